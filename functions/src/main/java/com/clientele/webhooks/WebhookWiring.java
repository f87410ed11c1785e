package com.clientele.webhooks;

import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.events.WorkQueue;
import java.time.Duration;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * How the webhooks' parts are built from a function's {@link Components}, each once. The environment:
 * {@code WEBHOOK_DELIVERIES_QUEUE_URL}; {@code WEBHOOK_SECRET_SEALER} ({@code kms} with {@code WEBHOOK_KMS_KEY_ID},
 * or {@code local}: the local cloud's); {@code WEBHOOK_ALLOW_LOOPBACK} (the local cloud's explicit flag for a
 * receiver on this machine, http allowed); {@code WEBHOOK_TIMEOUT_SECONDS} (10); {@code WEBHOOK_MAX_QUEUE_DELAY_SECONDS}
 * (900, SQS's most: longer waits go to the sweep; 0 sends every retry to the sweep).
 */
public final class WebhookWiring {

    private WebhookWiring() {
    }

    static WebhookRepository repository(Components components) {
        return components.once(WebhookRepository.class, () -> new WebhookRepository(components.enhanced(), components.table()));
    }

    static SecretSealer sealer(Components components) {
        return components.once(SecretSealer.class, () -> switch (components.env().require("WEBHOOK_SECRET_SEALER")) {
            case "kms" -> new KmsSealer(Aws.build(KmsClient.builder(), components.env(), "AWS_ENDPOINT_URL_KMS"),
                    components.env().require("WEBHOOK_KMS_KEY_ID"));
            case "local" -> new LocalSealer();
            default -> throw new IllegalStateException("WEBHOOK_SECRET_SEALER must be kms or local");
        });
    }

    static Destinations destinations(Components components) {
        return new Destinations(Boolean.parseBoolean(components.env().get("WEBHOOK_ALLOW_LOOPBACK", "false")));
    }

    public static WebhookDeliveries deliveries(Components components) {
        return components.once(WebhookDeliveries.class, () -> {
            var env = components.env();
            var http = new WebhookHttp(destinations(components), Duration.ofSeconds(Long.parseLong(env.get("WEBHOOK_TIMEOUT_SECONDS", "10"))));
            var schedule = RetrySchedule.standard(Duration.ofSeconds(Long.parseLong(env.get("WEBHOOK_MAX_QUEUE_DELAY_SECONDS", "900"))));
            return new WebhookDeliveries(repository(components), queue(components), http, sealer(components), schedule,
                    new WebhookMetrics(components.metrics()), components.clock());
        });
    }

    /** The sweep alone: no HTTP client and no sealer (the retry function only sends wake-ups). */
    public static WebhookSweep sweep(Components components) {
        return new WebhookSweep(repository(components), queue(components), components.clock());
    }

    private static WorkQueue<DeliveryMessage> queue(Components components) {
        return new WorkQueue<>(Sqs.client(components), components.env().require("WEBHOOK_DELIVERIES_QUEUE_URL"));
    }

    public static WebhookService service(Components components) {
        return components.once(WebhookService.class, () -> new WebhookService(repository(components), deliveries(components),
                sealer(components), destinations(components), components.cursors(), components.clock()));
    }
}
