package com.clientele.shared.events;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Actor;
import com.clientele.shared.Json;
import com.clientele.shared.logs.LogScope;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Partial batch handling for SQS consumers (what Powertools' batch module does, small): each
 * message is handled on its own, and the ids of the ones that failed are reported back so that
 * only they are retried (and, past the queue's receive limit, moved to its DLQ). Each message is
 * handled with the consumer as its {@link Actor} ({@code system:<function>}, the message id), and
 * logged: one line per message, with its outcome and, when it failed, the error's stack trace.
 */
public final class Batches {

    private static final AtomicLong FAILED = new AtomicLong();

    private Batches() {
    }

    /** How many messages this JVM's consumers failed so far (each left to be received again). */
    public static long failed() {
        return FAILED.get();
    }

    /**
     * Parses each message as a {@link PaymentEvent} (strictly: unknown fields fail) and hands it
     * on; an event of any other type on the same queue is passed over (logged, not failed). Events of different customers are handled concurrently (they touch different items);
     * a customer's events one after another, in batch order, so they do not race each other.
     */
    public static SQSBatchResponse eachPaymentEvent(SQSEvent batch, Context context, Consumer<PaymentEvent> handler) {
        return eachPaymentEvent(batch, context, null, handler);
    }

    /**
     * {@link #eachPaymentEvent(SQSEvent, Context, Consumer)}, and a message whose handling fails with a
     * {@link Redelivery.Soon} is asked for again soon ({@code redelivery}).
     */
    public static SQSBatchResponse eachPaymentEvent(SQSEvent batch, Context context, Redelivery redelivery,
                                                    Consumer<PaymentEvent> handler) {
        var failures = new ConcurrentLinkedQueue<String>();
        var byCustomer = new LinkedHashMap<String, List<Parsed>>();
        for (var parsed : paymentEvents(batch, context, failures)) {
            byCustomer.computeIfAbsent(parsed.event().tenantId() + "/" + parsed.event().customerId(), k -> new ArrayList<>()).add(parsed);
        }
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var events : byCustomer.values()) {
                threads.submit(() -> {
                    for (var parsed : events) {
                        try {
                            parsed.scope().run(() -> Actor.as(system(context, parsed.messageId()), () -> handler.accept(parsed.event())));
                        } catch (RuntimeException e) {
                            if (redelivery != null && e instanceof Redelivery.Soon) {
                                redelivery.soon(parsed.message());
                            }
                            fail(failures, parsed.messageId());
                        }
                    }
                });
            }
        }
        return response(failures);
    }

    /**
     * {@link #eachPaymentEvent(SQSEvent, Context, Consumer)} for a consumer of the subscriptions' reminders
     * too: each {@link SubscriptionEvent} of the batch is handed to {@code subscriptions} (strictly parsed, one
     * after another, each on its own log line) instead of being passed over.
     */
    public static SQSBatchResponse eachEvent(SQSEvent batch, Context context, Consumer<PaymentEvent> payments,
                                             Consumer<SubscriptionEvent> subscriptions) {
        var paymentMessages = new ArrayList<SQSEvent.SQSMessage>();
        var failures = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        for (var message : batch.getRecords()) {
            if (!SubscriptionEvent.isType(otherEventType(message.getBody()))) {
                // a payment event, or another kind passed over with the payment events
                paymentMessages.add(message);
                continue;
            }
            try {
                var scope = LogScope.message(message, context);
                var event = parse(message.getBody(), SubscriptionEvent.class);
                scope.put("tenant", event.tenantId()).put("event_id", event.id()).put("event_type", event.type())
                        .run(() -> Actor.as(system(context, message.getMessageId()), () -> subscriptions.accept(event)));
            } catch (RuntimeException e) {
                FAILED.incrementAndGet();
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
            }
        }
        var rest = new SQSEvent();
        rest.setRecords(paymentMessages);
        var response = eachPaymentEvent(rest, context, payments);
        failures.addAll(response.getBatchItemFailures());
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Parses each message as a {@link PaymentEvent} and hands the batch's events to {@code handler} at
     * once, in batch order, for a consumer that writes a batch in fewer calls than one per event. The
     * handler answers, per event and in the same order, null when it is done or the error it failed
     * with (that message alone is received again); if it throws, every message of the batch is. Each
     * message is logged on its own line, with the batch's duration.
     */
    public static SQSBatchResponse paymentEventsAtOnce(SQSEvent batch, Context context,
                                                       Function<List<PaymentEvent>, List<? extends RuntimeException>> handler) {
        var failures = new ConcurrentLinkedQueue<String>();
        var parsed = paymentEvents(batch, context, failures);
        if (parsed.isEmpty()) {
            return response(failures);
        }
        long start = System.nanoTime();
        List<? extends RuntimeException> outcomes;
        try {
            outcomes = handler.apply(parsed.stream().map(Parsed::event).toList());
        } catch (RuntimeException e) {
            outcomes = Collections.nCopies(parsed.size(), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (int i = 0; i < parsed.size(); i++) {
            var error = outcomes.get(i);
            parsed.get(i).scope().put("batch_size", parsed.size()).done(millis, error);
            if (error != null) {
                fail(failures, parsed.get(i).messageId());
            }
        }
        return response(failures);
    }

    /**
     * The batch's messages read as payment events (strictly), each with its log line; a message that
     * is none is logged as failed and reported in {@code failures}.
     */
    private static List<Parsed> paymentEvents(SQSEvent batch, Context context, ConcurrentLinkedQueue<String> failures) {
        var parsed = new ArrayList<Parsed>();
        for (var message : batch.getRecords()) {
            var scope = LogScope.message(message, context);
            String other = otherEventType(message.getBody());
            if (other != null) {
                // another kind of event on the same queues (for the outbound webhooks): not this consumer's
                scope.put("event_type", other).put("passed_over", true).run(() -> { });
                continue;
            }
            try {
                var event = parse(message.getBody(), PaymentEvent.class);
                scope.put("tenant", event.tenantId()).put("event_id", event.id()).put("event_type", event.type());
                parsed.add(new Parsed(message, event, scope));
            } catch (RuntimeException e) {
                scope.failed(e);
                fail(failures, message.getMessageId());
            }
        }
        return parsed;
    }

    /**
     * The type of a message that is an event of another known kind than payments' ({@link SubscriptionEvent},
     * {@link InvoiceEvent}, {@link TierEvent}, {@link ObjectEvent}: the relay sends every event to every queue, and
     * each consumer passes over what is not its own), or null (a payment event, or none: parsed strictly, an
     * unknown type fails).
     */
    private static String otherEventType(String body) {
        try {
            String type = Json.MAPPER.readTree(body).path("type").asText(null);
            return type != null && (SubscriptionEvent.isType(type) || InvoiceEvent.isType(type) || TierEvent.TIER_CHANGED.equals(type)
                    || ObjectEvent.TYPES.contains(type)) ? type : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** A message read as a payment event, and its log line. */
    private record Parsed(SQSEvent.SQSMessage message, PaymentEvent event, LogScope scope) {

        String messageId() {
            return message.getMessageId();
        }
    }

    /**
     * Hands each message on, one after another; those whose handling throws are reported as failed.
     * Each is logged: one line per message ({@link LogScope#message}), which the handler may add to.
     */
    public static SQSBatchResponse each(SQSEvent batch, Context context, Consumer<SQSEvent.SQSMessage> handler) {
        var failures = new ConcurrentLinkedQueue<String>();
        for (var message : batch.getRecords()) {
            handleOne(message, context, handler, failures);
        }
        return response(failures);
    }

    /**
     * {@link #each}, the messages handled at once, each on a virtual thread of its own: for a consumer that
     * mostly waits on the network (the webhooks' POSTs, up to their timeout each).
     */
    public static SQSBatchResponse eachAtOnce(SQSEvent batch, Context context, Consumer<SQSEvent.SQSMessage> handler) {
        var failures = new ConcurrentLinkedQueue<String>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var message : batch.getRecords()) {
                threads.submit(() -> handleOne(message, context, handler, failures));
            }
        }
        return response(failures);
    }

    private static void handleOne(SQSEvent.SQSMessage message, Context context, Consumer<SQSEvent.SQSMessage> handler,
                                  ConcurrentLinkedQueue<String> failures) {
        try {
            LogScope.message(message, context).run(() -> Actor.as(system(context, message.getMessageId()),
                    () -> handler.accept(message)));
        } catch (RuntimeException e) {
            fail(failures, message.getMessageId());
        }
    }

    /** The consumer as the actor of what it writes for one message: its function, the message id. */
    private static Actor system(Context context, String messageId) {
        return Actor.system(context == null ? null : context.getFunctionName(), messageId);
    }

    private static SQSBatchResponse response(ConcurrentLinkedQueue<String> failures) {
        var reported = new ArrayList<SQSBatchResponse.BatchItemFailure>();
        failures.forEach(id -> reported.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()));
        return SQSBatchResponse.builder().withBatchItemFailures(reported).build();
    }

    /** Reports the message as failed, to be received again (and counted: {@link #failed()}). */
    private static void fail(ConcurrentLinkedQueue<String> failures, String messageId) {
        FAILED.incrementAndGet();
        failures.add(messageId);
    }

    /** A message body as {@code type}, strictly (unknown fields fail). */
    public static <T> T parse(String body, Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }
}
