package com.clientele.webhooks;

import com.clientele.shared.events.WorkQueue;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;

/**
 * The sweep of the due shards: wakes every delivery whose time came (a wait longer than the queue's
 * delay, or a short one whose wake-up was lost), moving its sweep time on first so that the next sweep
 * does not wake it again meanwhile. It only sends wake-ups; {@link WebhookDeliveries} makes the attempts.
 */
public final class WebhookSweep {

    private final WebhookRepository repository;
    private final WorkQueue<DeliveryMessage> queue;
    private final Clock clock;

    WebhookSweep(WebhookRepository repository, WorkQueue<DeliveryMessage> queue, Clock clock) {
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
    }

    /** Wakes the due deliveries while {@code budgetLeft}; how many it woke. */
    public int sweep(BooleanSupplier budgetLeft) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int[] woken = {0};
        repository.due(now, budgetLeft, due -> {
            if (repository.postpone(due, now.plus(WebhookDeliveries.SWEEP_GRACE))) {
                var d = due.delivery();
                queue.send(new DeliveryMessage(due.tenantId(), d.endpointId(), d.eventId(), d.attempts() + 1));
                woken[0]++;
            }
        });
        return woken[0];
    }
}
