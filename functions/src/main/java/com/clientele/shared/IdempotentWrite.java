package com.clientele.shared;

import java.util.function.Supplier;

/**
 * What a service doing an idempotent write sees of its request's {@code Idempotency-Key} (the route
 * runs the protocol: replays, 409 while running, 422 for another request under the key). Once the
 * request is known to be valid, the service {@link #claim}s the key and gets the id of the resource
 * it creates; it says when that resource is {@link #started} (from then on a failure leaves the key to
 * be resumed by a retry, not forgotten), and it writes the {@link #completion} of its result in the
 * transaction that finishes the resource, so that the outcome and the stored response cannot part.
 *
 * @param <R> the service's result, which the route turns into the response stored under the key
 */
public interface IdempotentWrite<R> {

    /** The resource this request creates: {@code resumed} when an earlier request with the key died, which may have created it. */
    record Claimed(String resourceId, boolean resumed) {
    }

    /**
     * Claims the key: a new resource id from {@code newResourceId}, or the one of the request that
     * died. If another request with the key got there first, this one ends here with its outcome.
     */
    Claimed claim(Supplier<String> newResourceId);

    /** The claimed resource now exists: a failure from here on releases the key to a retry instead of forgetting it. */
    void started();

    /**
     * The item that stores {@code result} as the request's outcome, to be put in the transaction that
     * finishes the resource; {@code customerId} is the customer it is about (null: none, a guest
     * payment), whose erasure then finds it. Null when there is no request to answer ({@link #owned}).
     */
    TransactPut completion(R result, String customerId);

    /** To throw when an earlier request with the key is found to have finished the work: its stored response answers. */
    RuntimeException finishedEarlier();

    /**
     * The write of a service that owns the id of what it makes, because it recorded that id first
     * where its own retries find it (a renewal claims its payment's id on the subscription before it
     * charges): every claim resumes that id, so the work is found and finished if an earlier attempt
     * started it, or started under that id if not. No request and no stored response go with it.
     */
    static <R> IdempotentWrite<R> owned(String resourceId) {
        return owned(resourceId, true);
    }

    /**
     * {@link #owned(String)}, {@code resumed} false when the owner has just recorded a new id, so nothing
     * can have been made under it yet: the service does not look for it (one read less).
     */
    static <R> IdempotentWrite<R> owned(String resourceId, boolean resumed) {
        java.util.Objects.requireNonNull(resourceId, "resourceId");
        return new IdempotentWrite<>() {
            @Override
            public Claimed claim(Supplier<String> newResourceId) {
                return new Claimed(resourceId, resumed);
            }

            @Override
            public void started() {
                // nothing to release: the owner's record is what a retry resumes from
            }

            @Override
            public TransactPut completion(R result, String customerId) {
                return null;
            }

            @Override
            public RuntimeException finishedEarlier() {
                return new IllegalStateException(resourceId + " was finished by an earlier attempt");
            }
        };
    }
}
