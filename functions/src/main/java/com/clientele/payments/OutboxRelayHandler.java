package com.clientele.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.logs.LogScope;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The outbox relay, on a schedule: sends the payment events whose function died between its
 * commit and its send. Leaves the youngest ones (under {@code OUTBOX_GRACE_SECONDS}) to the
 * function that is publishing them, and stops well before its own timeout; the next run goes on.
 * The EventBridge event itself carries nothing it needs, so it is taken as a plain map (the typed
 * {@code ScheduledEvent} would pull Joda-Time into the jar).
 */
public final class OutboxRelayHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** Time kept back from the function's timeout for the last send and delete. */
    private static final long RESERVE_MILLIS = 5_000;

    private final Outbox outbox;
    private final Clock clock;
    private final Duration grace;

    public OutboxRelayHandler() {
        this(Components.from(System.getenv()));
    }

    public OutboxRelayHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public OutboxRelayHandler(Components components) {
        this(PaymentsWiring.outbox(components), components.clock(),
                Duration.ofSeconds(Long.parseLong(components.env().get("OUTBOX_GRACE_SECONDS", "30"))));
    }

    public OutboxRelayHandler(Outbox outbox, Clock clock, Duration grace) {
        this.outbox = outbox;
        this.clock = clock;
        this.grace = grace;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("outbox-relay", scheduledEvent, context);
        return scope.run(() -> {
            int sent = outbox.relayPending(clock.instant().minus(grace),
                    () -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS);
            scope.put("items", sent);
            return Map.of("sent", sent);
        });
    }
}
