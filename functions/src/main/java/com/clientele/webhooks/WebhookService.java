package com.clientele.webhooks;

import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.Text;
import com.clientele.shared.events.InvoiceEvent;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.SubscriptionEvent;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.TierEvent;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.clientele.shared.http.MergePatch;
import com.clientele.webhooks.WebhookRepository.Stale;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of a tenant's webhook endpoints, its events and their deliveries, as the API sees them. A new
 * endpoint's secret is made here, sealed for storage and shown once (as is a rolled one); nothing returns it
 * afterwards.
 */
public final class WebhookService {

    /** Endpoints a tenant may have (Stripe allows 16). */
    static final int MAX_ENDPOINTS = 16;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_OVERLAP_HOURS = 72;
    static final int DEFAULT_OVERLAP_HOURS = 24;
    /** Every event type an endpoint may take. */
    public static final Set<String> EVENT_TYPES = eventTypes();
    private static final Set<String> WRITABLE = Set.of("url", "events", "description", "status");

    private final WebhookRepository repository;
    private final WebhookDeliveries deliveries;
    private final SecretSealer sealer;
    private final Destinations destinations;
    private final Cursors cursors;
    private final Clock clock;

    WebhookService(WebhookRepository repository, WebhookDeliveries deliveries, SecretSealer sealer, Destinations destinations,
                   Cursors cursors, Clock clock) {
        this.repository = repository;
        this.deliveries = deliveries;
        this.sealer = sealer;
        this.destinations = destinations;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** An endpoint with its signing secret, as the response that creates or rolls it shows (the only ones that do). */
    public record WithSecret(@JsonUnwrapped WebhookEndpoint endpoint, String secret) {
    }

    /** The body of {@code POST /webhook-endpoints/{id}/roll-secret}. */
    public record Roll(Integer overlapHours) {
    }

    /** The body of {@code POST /events/{id}/resend}. */
    public record Resend(String endpointId) {
    }

    public WithSecret create(String tenant, WebhookEndpoint.Input input) {
        if (input.status() != null && !WebhookEndpoint.ENABLED.equals(input.status())) {
            throw ApiException.invalid("status", "a new endpoint is enabled (disable it with PATCH)");
        }
        var valid = validate(new WebhookEndpoint.Input(input.url(), input.events(), input.description(), WebhookEndpoint.ENABLED));
        if (repository.endpoints(tenant).size() >= MAX_ENDPOINTS) {
            throw new ApiException(409, "too_many_endpoints", "Too many endpoints",
                    "An account has at most " + MAX_ENDPOINTS + " webhook endpoints: delete one first");
        }
        var endpoint = WebhookEndpoint.create(Ids.next(Ids.WEBHOOK_ENDPOINT), valid, now());
        String secret = Signatures.newSecret();
        repository.insertEndpoint(tenant, endpoint, new EndpointSecrets(sealer.seal(secret, tenant, endpoint.id()), null, null));
        return new WithSecret(endpoint, secret);
    }

    public WebhookEndpoint endpoint(String tenant, String endpointId) {
        return stored(tenant, endpointId).endpoint();
    }

    public Listing<WebhookEndpoint> endpoints(String tenant, Map<String, String> query) {
        var paging = ListParams.of(query);
        var slice = repository.endpointsPage(tenant, paging.limit(), cursors.after(tenant, "webhook-endpoints", paging));
        return new Listing<>(slice.items().stream().map(WebhookRepository::endpoint).toList(), cursors.next(tenant, "webhook-endpoints", slice));
    }

    /** Applies a merge patch of url, events, description and status, if {@code ifMatch} is the endpoint's ETag. */
    public WebhookEndpoint update(String tenant, String endpointId, JsonNode patch, String ifMatch) {
        var stored = stored(tenant, endpointId);
        var current = stored.endpoint();
        var changes = MergePatch.writable(current, patch, WRITABLE, "a webhook endpoint", name -> "is read-only");
        if (ifMatch == null) {
            throw new ApiException(428, "precondition_required", "Precondition required",
                    "Send If-Match with the ETag of the endpoint you are changing");
        }
        if (!MergePatch.matches(ifMatch, current.etag())) {
            throw stale();
        }
        var valid = validate(Bodies.convert(MergePatch.apply(Json.MAPPER.valueToTree(current.input()), changes), WebhookEndpoint.Input.class));
        if (valid.equals(current.input())) {
            return current;
        }
        var updated = current.edited(valid, now());
        try {
            repository.replaceEndpoint(tenant, current, updated, stored.secrets());
        } catch (Stale e) {
            throw stale();
        }
        return updated;
    }

    public void delete(String tenant, String endpointId) {
        stored(tenant, endpointId);
        repository.deleteEndpoint(tenant, endpointId);
    }

    /** A new secret; the current one keeps signing for {@code overlapHours} (default 24, 0 to stop at once). */
    public WithSecret rollSecret(String tenant, String endpointId, Roll roll) {
        int hours = roll == null || roll.overlapHours() == null ? DEFAULT_OVERLAP_HOURS : roll.overlapHours();
        if (hours < 0 || hours > MAX_OVERLAP_HOURS) {
            throw ApiException.invalid("overlapHours", "must be an integer from 0 to " + MAX_OVERLAP_HOURS);
        }
        var stored = stored(tenant, endpointId);
        Instant now = now();
        String secret = Signatures.newSecret();
        var secrets = new EndpointSecrets(sealer.seal(secret, tenant, endpointId), hours == 0 ? null : stored.secrets().current(),
                hours == 0 ? null : now.plus(Duration.ofHours(hours)));
        var rolled = stored.endpoint().rolled(now);
        try {
            repository.replaceEndpoint(tenant, stored.endpoint(), rolled, secrets);
        } catch (Stale e) {
            throw new ApiException(409, "concurrent_update", "Concurrent update", "The endpoint changed while its secret was rolled; retry");
        }
        return new WithSecret(rolled, secret);
    }

    // ---- events ------------------------------------------------------------------------------------

    /** The tenant's events of the last 30 days, newest first; {@code ?type=} and {@code ?objectId=} filter them. */
    public Listing<WebhookEvent> events(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("type", "objectId"), errors);
        String type = ListParams.blank(query.get("type"));
        String objectId = ListParams.blank(query.get("objectId"));
        if (type != null && !EVENT_TYPES.contains(type)) {
            errors.add(new FieldError("type", "must be an event type (" + String.join(", ", EVENT_TYPES) + ")"));
        }
        if (objectId != null && (objectId.length() > 64 || !objectId.matches("[A-Za-z0-9_]+"))) {
            errors.add(new FieldError("objectId", "must be an id (such as pay_…)"));
        }
        failOn(errors);
        String scope = "events:" + type + ":" + objectId;
        var slice = repository.eventsPage(tenant, type, objectId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(WebhookRepository::event).toList(), cursors.next(tenant, scope, slice));
    }

    public WebhookEvent event(String tenant, String eventId) {
        return (Ids.isValid(Ids.EVENT, eventId) ? repository.findEvent(tenant, eventId) : Optional.<WebhookEvent>empty())
                .orElseThrow(() -> ApiException.notFound("Event " + eventId));
    }

    // ---- deliveries --------------------------------------------------------------------------------

    /** The endpoint's deliveries, newest event first. */
    public Listing<WebhookDelivery> deliveries(String tenant, String endpointId, Map<String, String> query) {
        var paging = ListParams.of(query);
        stored(tenant, endpointId);
        String scope = "deliveries:" + endpointId;
        var slice = repository.deliveriesPage(tenant, endpointId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(WebhookRepository::delivery).toList(), cursors.next(tenant, scope, slice));
    }

    /** Sends the event to the endpoint again (or for the first time), now; its delivery as it then is. */
    public WebhookDelivery resend(String tenant, String eventId, Resend resend) {
        String endpointId = resend == null ? null : resend.endpointId();
        if (endpointId == null) {
            throw ApiException.invalid("endpointId", "is required");
        }
        var event = event(tenant, eventId);
        if (!Ids.isValid(Ids.WEBHOOK_ENDPOINT, endpointId)) {
            throw ApiException.invalid("endpointId", "must be a webhook endpoint id (we_…)");
        }
        var endpoint = repository.findEndpoint(tenant, endpointId)
                .orElseThrow(() -> ApiException.invalid("endpointId", "is no webhook endpoint of this account")).endpoint();
        if (!WebhookEndpoint.ENABLED.equals(endpoint.status())) {
            throw new ApiException(409, "endpoint_disabled", "Endpoint disabled", "Endpoint " + endpointId + " is disabled: enable it first");
        }
        return deliveries.resend(tenant, endpointId, event);
    }

    // ---- validation --------------------------------------------------------------------------------

    private WebhookEndpoint.Input validate(WebhookEndpoint.Input in) {
        var errors = new ArrayList<FieldError>();
        String url = line(errors, "url", in.url(), Destinations.MAX_URL);
        if (url == null && in.url() == null) {
            errors.add(new FieldError("url", "is required"));
        } else if (url != null) {
            String refusal = destinations.refusal(url);
            if (refusal != null) {
                errors.add(new FieldError("url", refusal));
            }
        }
        var events = new LinkedHashSet<String>();
        if (in.events() == null || in.events().isEmpty()) {
            errors.add(new FieldError("events", "must list the event types to send (or \"*\" for all)"));
        } else {
            for (int i = 0; i < in.events().size(); i++) {
                String type = in.events().get(i);
                if (!WebhookEndpoint.ALL_EVENTS.equals(type) && !EVENT_TYPES.contains(type)) {
                    errors.add(new FieldError("events[" + i + "]", "must be \"*\" or an event type (" + String.join(", ", EVENT_TYPES) + ")"));
                }
                events.add(type);
            }
        }
        String description = text(errors, "description", in.description(), MAX_DESCRIPTION);
        if (!WebhookEndpoint.ENABLED.equals(in.status()) && !WebhookEndpoint.DISABLED.equals(in.status())) {
            errors.add(new FieldError("status", "must be enabled or disabled"));
        }
        failOn(errors);
        return new WebhookEndpoint.Input(url, List.copyOf(events), description, in.status());
    }

    private static String line(List<FieldError> errors, String field, String raw, int max) {
        String value = text(errors, field, raw, max);
        if (value != null && value.chars().anyMatch(Character::isWhitespace)) {
            errors.add(new FieldError(field, "must be one line without spaces"));
        }
        return value;
    }

    private static String text(List<FieldError> errors, String field, String raw, int max) {
        int before = errors.size();
        String value = Text.check(errors, field, raw, true);
        if (errors.size() > before || value == null || value.isBlank()) {
            return null;
        }
        value = value.strip();
        if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        return value;
    }

    private WebhookRepository.Stored stored(String tenant, String endpointId) {
        return (Ids.isValid(Ids.WEBHOOK_ENDPOINT, endpointId) ? repository.findEndpoint(tenant, endpointId) : Optional.<WebhookRepository.Stored>empty())
                .orElseThrow(() -> ApiException.notFound("Webhook endpoint " + endpointId));
    }

    private static ApiException stale() {
        return new ApiException(412, "precondition_failed", "Precondition failed",
                "The endpoint changed since you read it; read it again and reapply your change");
    }

    private static void failOn(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private static Set<String> eventTypes() {
        var types = new TreeSet<String>();
        types.addAll(PaymentEvent.TYPES);
        types.addAll(SubscriptionEvent.TYPES);
        types.addAll(InvoiceEvent.TYPES);
        types.add(TierEvent.TIER_CHANGED);
        types.addAll(ObjectEvent.TYPES);
        types.add(WebhookEvent.ENDPOINT_DISABLED);
        return java.util.Collections.unmodifiableSet(types);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
