package com.clientele.webhooks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.clientele.shared.Components;
import com.clientele.shared.logs.LogScope;
import java.util.Map;

/**
 * The webhooks' sweep, every minute: wakes the deliveries whose wait outlasted SQS's 15-minute delay, and
 * any whose wake-up was lost ({@link WebhookSweep}). Stops well before its timeout; the next run
 * goes on. The scheduled event is taken as a plain map (the typed one would pull Joda-Time into the jar).
 */
public final class WebhookRetryHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final long RESERVE_MILLIS = 5_000;
    private final WebhookSweep sweep;

    public WebhookRetryHandler() {
        this(Components.from(System.getenv()));
    }

    public WebhookRetryHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public WebhookRetryHandler(Components components) {
        this.sweep = WebhookWiring.sweep(components);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> scheduledEvent, Context context) {
        var scope = LogScope.schedule("webhook-retries", scheduledEvent, context);
        return scope.run(() -> {
            int woken = sweep.sweep(() -> context == null || context.getRemainingTimeInMillis() > RESERVE_MILLIS);
            scope.put("items", woken);
            return Map.of("woken", woken);
        });
    }
}
