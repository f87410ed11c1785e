package com.clientele.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's webhook endpoint: where its events are POSTed ({@code url}), which ones ({@code events}:
 * types, or {@code *} for all), and whether it is {@code enabled}. Its signing secrets are never part of
 * it: they are stored sealed beside it ({@link WebhookRepository}) and shown once, when made.
 *
 * @param failingSince    since when every attempt to it failed (null after a success): at 5 days it is disabled
 * @param disabledReason  why it was disabled: {@code by_request}, or {@code failing} by the delivery
 */
public record WebhookEndpoint(String id, String url, List<String> events, String description, String status,
                              String disabledReason, Instant failingSince, Instant secretRolledAt,
                              Instant createdAt, Instant updatedAt, long version) {

    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String ALL_EVENTS = "*";

    public WebhookEndpoint {
        events = events == null ? null : List.copyOf(events);
    }

    public String etag() {
        return "\"" + version + "\"";
    }

    /** Whether it is enabled and takes events of {@code type}. */
    boolean wants(String type) {
        return ENABLED.equals(status) && (events.contains(ALL_EVENTS) || events.contains(type));
    }

    /** The fields a client writes (create, and what a merge patch applies to). */
    public record Input(String url, List<String> events, String description, String status) {
    }

    Input input() {
        return new Input(url, events, description, status);
    }

    static WebhookEndpoint create(String id, Input valid, Instant now) {
        return new WebhookEndpoint(id, valid.url(), valid.events(), valid.description(), ENABLED, null, null, now, now, now, 1);
    }

    WebhookEndpoint edited(Input valid, Instant now) {
        boolean enabling = ENABLED.equals(valid.status()) && !ENABLED.equals(status);
        String reason = ENABLED.equals(valid.status()) ? null : DISABLED.equals(status) ? disabledReason : "by_request";
        return new WebhookEndpoint(id, valid.url(), valid.events(), valid.description(), valid.status(), reason,
                enabling ? null : failingSince, secretRolledAt, createdAt, now, version + 1);
    }

    WebhookEndpoint rolled(Instant now) {
        return new WebhookEndpoint(id, url, events, description, status, disabledReason, failingSince, now, createdAt, now, version + 1);
    }

    /** Whether the deliveries disabled it, after failing for 5 days (not a client). */
    boolean disabledForFailing() {
        return DISABLED.equals(status) && "failing".equals(disabledReason) && failingSince != null;
    }

    WebhookEndpoint disabledForFailing(Instant now) {
        return new WebhookEndpoint(id, url, events, description, DISABLED, "failing", failingSince, secretRolledAt, createdAt, now,
                version + 1);
    }
}
