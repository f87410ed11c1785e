package com.clientele.webhooks;

import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.WorkQueue;
import com.clientele.shared.logs.LogScope;
import com.clientele.webhooks.WebhookRepository.Stale;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.f4b6a3.ulid.Ulid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;

/**
 * The rules of delivering. An event from the event queues is stored ({@code GET /events}) and gets one
 * delivery per enabled endpoint of its tenant that takes its type; each delivery is an item (its status and
 * last attempt) and wake-ups on the delivery queue. An attempt is claimed on the item first (its attempt
 * count, conditionally), so that of two wake-ups for one attempt only one sends; a wake-up that is late or
 * early is dropped. After a failure the next wake-up goes on the queue with a delay ({@link RetrySchedule})
 * or waits in the due shards for the sweep ({@link WebhookSweep}), which also wakes any pending delivery whose wake-up was lost
 * (a function that died between its write and its send): at least once, never silently dropped.
 */
public final class WebhookDeliveries {

    /** After a wake-up's time, how long the sweep leaves it to the queue before it sends one itself. */
    static final Duration SWEEP_GRACE = Duration.ofMinutes(2);
    /** An endpoint failing every attempt this long is disabled. */
    static final Duration DISABLE_AFTER = Duration.ofDays(5);

    private final WebhookRepository repository;
    private final WorkQueue<DeliveryMessage> queue;
    private final WebhookHttp http;
    private final SecretSealer sealer;
    private final RetrySchedule schedule;
    private final WebhookMetrics metrics;
    private final Clock clock;

    WebhookDeliveries(WebhookRepository repository, WorkQueue<DeliveryMessage> queue, WebhookHttp http, SecretSealer sealer,
                      RetrySchedule schedule, WebhookMetrics metrics, Clock clock) {
        this.repository = repository;
        this.queue = queue;
        this.http = http;
        this.sealer = sealer;
        this.schedule = schedule;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Stores the event and starts its deliveries; a redelivered event starts only those it does not have yet. */
    public void accept(WebhookEvent event) {
        if (ObjectEvent.PERSONAL.contains(event.type()) && repository.erased(event.tenantId(), event.objectId())) {
            // relayed after the customer's erasure reached the stored events (StoredEvents): stored without what was erased
            event = event.redacted();
        }
        repository.insertEvent(event);
        for (var stored : repository.endpoints(event.tenantId())) {
            if (stored.endpoint().wants(event.type())) {
                start(event.tenantId(), stored.endpoint().id(), event.id(), event.type());
            }
        }
    }

    /** The event of a queue message (any kind the outbox carries), stored and delivered. */
    public void acceptQueued(String body) {
        var event = WebhookEvent.fromQueued(body);
        LogScope.annotate("tenant", event.tenantId());
        LogScope.annotate("event_id", event.id());
        LogScope.annotate("event_type", event.type());
        accept(event);
    }

    private void start(String tenant, String endpointId, String eventId, String type) {
        Instant now = now();
        var delivery = new WebhookDelivery(endpointId, eventId, type, WebhookDelivery.PENDING, 0, null, null, null, now,
                now.plus(schedule.window()), now, now, null);
        if (repository.insertDelivery(tenant, delivery, now.plus(SWEEP_GRACE))) {
            queue.send(new DeliveryMessage(tenant, endpointId, eventId, 1));
        }
    }

    /** A resend: the delivery pending again (made if the endpoint had none), due now, with 3 more days of attempts. */
    WebhookDelivery resend(String tenant, String endpointId, WebhookEvent event) {
        Instant now = now();
        var delivery = repository.findDelivery(tenant, endpointId, event.id())
                .map(d -> new WebhookDelivery(endpointId, d.eventId(), d.eventType(), WebhookDelivery.PENDING, d.attempts(), d.responseCode(),
                        d.latencyMs(), d.error(), now, now.plus(schedule.window()), d.createdAt(), now, d.deliveredAt()))
                .orElseGet(() -> new WebhookDelivery(endpointId, event.id(), event.type(), WebhookDelivery.PENDING, 0, null, null, null, now,
                        now.plus(schedule.window()), now, now, null));
        repository.putDelivery(tenant, delivery, now.plus(SWEEP_GRACE));
        queue.send(new DeliveryMessage(tenant, endpointId, event.id(), delivery.attempts() + 1));
        return delivery;
    }

    /** One wake-up: makes its attempt if it is still the one due. */
    public void attempt(DeliveryMessage message) {
        LogScope.annotate("tenant", message.tenantId());
        LogScope.annotate("event_id", message.eventId());
        String tenant = message.tenantId();
        var found = repository.findDelivery(tenant, message.endpointId(), message.eventId());
        if (found.isEmpty()) {
            return;
        }
        var delivery = found.get();
        Instant now = now();
        if (!WebhookDelivery.PENDING.equals(delivery.status()) || delivery.attempts() != message.attempt() - 1
                || delivery.nextAttemptAt().isAfter(now)) {
            LogScope.annotate("stale_wakeup", true);
            return;
        }
        var stored = repository.findEndpoint(tenant, message.endpointId()).orElse(null);
        if (stored == null || !WebhookEndpoint.ENABLED.equals(stored.endpoint().status())) {
            finish(tenant, delivery, delivery, WebhookDelivery.FAILED, null, stored == null ? "endpoint_deleted" : "endpoint_disabled", 0, now);
            if (stored != null && stored.endpoint().disabledForFailing()
                    && repository.findEvent(tenant, disabledEventId(stored.endpoint())).isEmpty()) {
                announceDisabled(tenant, stored.endpoint(), now); // its disabling died before it announced it
            }
            return;
        }
        var event = repository.findEvent(tenant, message.eventId()).orElse(null);
        var claimed = new WebhookDelivery(delivery.endpointId(), delivery.eventId(), delivery.eventType(), delivery.status(),
                delivery.attempts() + 1, delivery.responseCode(), delivery.latencyMs(), delivery.error(), delivery.nextAttemptAt(),
                delivery.retryUntil(), delivery.createdAt(), now, delivery.deliveredAt());
        try {
            // the sweep wakes it again should this worker die before it records the outcome
            repository.replaceDelivery(tenant, delivery, claimed, now.plus(SWEEP_GRACE));
        } catch (Stale e) {
            LogScope.annotate("stale_wakeup", true);
            return;
        }
        if (event == null) {
            finish(tenant, claimed, claimed, WebhookDelivery.FAILED, null, "event_expired", 0, now);
            return;
        }
        String body = event.json();
        var secrets = stored.secrets();
        String previous = secrets.previousAt(now);
        String signature = Signatures.header(clock.instant().getEpochSecond(), body,
                sealer.open(secrets.current(), tenant, stored.endpoint().id()),
                previous == null ? null : sealer.open(previous, tenant, stored.endpoint().id()));
        var outcome = http.post(URI.create(stored.endpoint().url()), body,
                Map.of(Signatures.HEADER, signature, "Clientele-Event-Id", event.id()));
        LogScope.annotate("attempt", claimed.attempts());
        LogScope.annotate("response_code", outcome.status());
        Instant after = now();
        if (outcome.delivered()) {
            finish(tenant, claimed, claimed, WebhookDelivery.DELIVERED, outcome.status(), null, outcome.latencyMs(), after);
            if (stored.endpoint().failingSince() != null) {
                failing(tenant, stored, null);
            }
            return;
        }
        String error = outcome.error() != null ? outcome.error() : "http_" + outcome.status();
        if (!after.isBefore(claimed.retryUntil())) {
            finish(tenant, claimed, claimed, WebhookDelivery.FAILED, outcome.status(), error, outcome.latencyMs(), after);
        } else {
            retry(tenant, claimed, outcome, error, after);
        }
        failed(tenant, stored, after);
    }

    private void retry(String tenant, WebhookDelivery claimed, WebhookHttp.Outcome outcome, String error, Instant now) {
        Duration wait = schedule.waitAfter(claimed.attempts());
        Instant next = now.plus(wait).truncatedTo(ChronoUnit.MILLIS);
        if (next.isAfter(claimed.retryUntil())) {
            next = claimed.retryUntil();
            wait = Duration.between(now, next);
        }
        var pending = new WebhookDelivery(claimed.endpointId(), claimed.eventId(), claimed.eventType(), WebhookDelivery.PENDING,
                claimed.attempts(), outcome.status(), outcome.latencyMs(), error, next, claimed.retryUntil(), claimed.createdAt(), now, null);
        boolean onQueue = schedule.onQueue(wait);
        try {
            repository.replaceDelivery(tenant, claimed, pending, onQueue ? next.plus(SWEEP_GRACE) : next);
        } catch (Stale e) {
            return;
        }
        metrics.attempt("retrying", tenant, claimed.eventType(), outcome.latencyMs());
        if (onQueue) {
            queue.send(new DeliveryMessage(tenant, claimed.endpointId(), claimed.eventId(), claimed.attempts() + 1),
                    (int) Math.max(1, (wait.toMillis() + 999) / 1000));
        }
    }

    private void finish(String tenant, WebhookDelivery before, WebhookDelivery claimed, String status, Integer code, String error,
                        long latencyMs, Instant now) {
        var done = new WebhookDelivery(claimed.endpointId(), claimed.eventId(), claimed.eventType(), status, claimed.attempts(), code,
                latencyMs, error, null, claimed.retryUntil(), claimed.createdAt(), now,
                WebhookDelivery.DELIVERED.equals(status) ? now : null);
        try {
            repository.replaceDelivery(tenant, before, done, null);
        } catch (Stale e) {
            return;
        }
        metrics.attempt(status, tenant, claimed.eventType(), latencyMs);
    }

    /** An attempt to the endpoint failed: it is failing since now if it was not; at 5 days it is disabled, and an event says so. */
    private void failed(String tenant, WebhookRepository.Stored stored, Instant now) {
        var endpoint = stored.endpoint();
        if (endpoint.failingSince() == null) {
            failing(tenant, stored, now);
            return;
        }
        if (endpoint.failingSince().plus(DISABLE_AFTER).isAfter(now)) {
            return;
        }
        var disabled = endpoint.disabledForFailing(now);
        try {
            repository.replaceEndpoint(tenant, endpoint, disabled, stored.secrets());
        } catch (Stale e) {
            return; // changed meanwhile (a success, a client's change): the next failure looks again
        }
        announceDisabled(tenant, disabled, now);
    }

    /**
     * The {@code webhook_endpoint.disabled} event of an endpoint disabled for failing, under the id its failing
     * streak fixes ({@link #disabledEventId}): a function that died between the disabling and this is made good
     * by the next wake-up of any of the endpoint's deliveries, and an event accepted twice is stored and
     * delivered once.
     */
    private void announceDisabled(String tenant, WebhookEndpoint disabled, Instant now) {
        ObjectNode object = Json.MAPPER.valueToTree(disabled);
        object.put("object", "webhook_endpoint");
        accept(new WebhookEvent(disabledEventId(disabled), WebhookEvent.ENDPOINT_DISABLED, now, tenant,
                new WebhookEvent.Data(object, null), WebhookEvent.API_VERSION));
    }

    /**
     * The disabled event's id: an event id whose time is when the failing streak reached {@link #DISABLE_AFTER} (it
     * lists among the events of that moment) and whose random part is a hash of the endpoint and the streak's start.
     */
    static String disabledEventId(WebhookEndpoint endpoint) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest((endpoint.id() + "|" + endpoint.failingSince()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
        return Ids.EVENT + new Ulid(endpoint.failingSince().plus(DISABLE_AFTER).toEpochMilli(), Arrays.copyOf(hash, 10));
    }

    /** Sets (or clears, with null) when the endpoint started failing; no new version (nothing a client wrote). */
    private void failing(String tenant, WebhookRepository.Stored stored, Instant since) {
        var e = stored.endpoint();
        var changed = new WebhookEndpoint(e.id(), e.url(), e.events(), e.description(), e.status(), e.disabledReason(), since,
                e.secretRolledAt(), e.createdAt(), e.updatedAt(), e.version());
        try {
            repository.replaceEndpoint(tenant, e, changed, stored.secrets());
        } catch (Stale ignored) {
            // a client changed it meanwhile: the next outcome sets it
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
