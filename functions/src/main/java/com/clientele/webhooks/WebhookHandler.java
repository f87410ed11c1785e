package com.clientele.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.Json;
import com.clientele.shared.events.Batches;
import java.util.Map;

/**
 * The webhook function, on two queues: the events (its queue of the outbox's fan-out), each stored and
 * given its deliveries; and the deliveries' wake-ups, each an attempt (a POST). The messages of a batch are
 * handled at once (each may wait up to the POST's timeout); a failed one is received again.
 */
public final class WebhookHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private final WebhookDeliveries deliveries;

    public WebhookHandler() {
        this(Components.from(System.getenv()));
    }

    public WebhookHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public WebhookHandler(Components components) {
        this(WebhookWiring.deliveries(components));
    }

    public WebhookHandler(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent batch, Context context) {
        return Batches.eachAtOnce(batch, context, message -> {
            if (isWakeUp(message.getBody())) {
                deliveries.attempt(Batches.parse(message.getBody(), DeliveryMessage.class));
            } else {
                deliveries.acceptQueued(message.getBody());
            }
        });
    }

    /** Whether a message is a delivery's wake-up (it names an endpoint and an attempt), not an event. */
    private static boolean isWakeUp(String body) {
        try {
            var json = Json.MAPPER.readTree(body);
            return json != null && json.has("endpointId") && json.has("attempt");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
