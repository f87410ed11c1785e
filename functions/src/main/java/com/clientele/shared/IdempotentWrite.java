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
     * payment), whose erasure then finds it.
     */
    TransactPut completion(R result, String customerId);

    /** To throw when an earlier request with the key is found to have finished the work: its stored response answers. */
    RuntimeException finishedEarlier();
}
