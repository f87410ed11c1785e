package com.clientele.local;

import com.clientele.payments.DisputeReason;
import com.clientele.payments.DisputeStatus;
import com.clientele.payments.SandboxGateway;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The card processor's side of the local cloud: the sandbox's notifications about disputes are put on the queue the
 * template routes the processor's notifications to ({@code DisputeNotificationsQueue}), a moment later, as the
 * processor's event bus would deliver them; {@code POST /_local/processor/disputes} plays the processor
 * ({@link SandboxGateway.Processor#play}).
 */
final class LocalProcessor {

    /** At most this many deliveries of one notification may be asked for (a redelivery test). */
    static final int MAX_DELIVERIES = 5;
    /**
     * A notification waits this long on the queue, as the processor's event bus takes a moment: the sandbox sends a
     * disputing card's during the charge, before the payment is settled (one that outruns it anyway is received again).
     */
    static final int DELAY_SECONDS = 2;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    LocalProcessor(SqsClient sqs, String queueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
        if (queueUrl != null) {
            SandboxGateway.processor().onNotification(this::deliver);
        }
    }

    /** What {@code POST /_local/processor/disputes} answers: its status and body. */
    record Answer(int status, String body) {
    }

    /**
     * {@code {"paymentId": "pay_...", "status": "needs_response"|"warning_needs_response"|"under_review"|"won"|"lost"|
     * "warning_closed", "reason": "fraudulent", "amount": 500, "deliveries": 1}}: a dispute opened on the payment's charge
     * (status, reason and amount optional) or its dispute moved to {@code status}; its notification delivered
     * {@code deliveries} times (1 to 5: more plays a redelivery). 202 with the notification; 404 for no such charge, 409 or
     * 422 for what the processor refuses, 400 for a malformed request.
     */
    Answer play(byte[] body) {
        if (queueUrl == null) {
            return new Answer(501, "{\"message\":\"the template declares no DisputeNotificationsQueue\"}");
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return problem(400, "the body must be a JSON object");
        }
        var status = request.hasNonNull("status") ? DisputeStatus.parse(request.path("status").asText()).orElse(null) : null;
        if (request.hasNonNull("status") && status == null) {
            return problem(400, "status must be one of " + DisputeStatus.names());
        }
        int deliveries = request.path("deliveries").asInt(1);
        if (deliveries < 1 || deliveries > MAX_DELIVERIES) {
            return problem(400, "deliveries must be from 1 to " + MAX_DELIVERIES);
        }
        if (request.has("amount") && !request.path("amount").canConvertToExactIntegral()) {
            return problem(400, "amount must be a whole number of minor units");
        }
        String notification;
        try {
            notification = SandboxGateway.processor().play(request.path("paymentId").asText(null), status,
                    request.hasNonNull("reason") ? DisputeReason.of(request.path("reason").asText()) : null,
                    request.has("amount") ? request.path("amount").asLong() : null, clock.instant());
        } catch (SandboxGateway.Processor.Refusal e) {
            return problem(e.status, e.getMessage());
        }
        for (int i = 1; i < deliveries; i++) {
            deliver(notification);
        }
        return new Answer(202, "{\"deliveries\":" + deliveries + ",\"notification\":" + notification + "}");
    }

    private void deliver(String notification) {
        try {
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(notification).delaySeconds(DELAY_SECONDS));
        } catch (RuntimeException e) {
            // this local cloud is closed: another one of the JVM may hold the payment
        }
    }

    private static Answer problem(int status, String message) {
        return new Answer(status, Json.write(Json.MAPPER.createObjectNode().put("message", message)));
    }
}
