package com.clientele.messages;

import com.clientele.exports.S3ExportFiles;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.events.Sqs;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * How the sender function's parts are built. Which provider sends is configuration:
 * {@code EMAIL_SENDER} {@code ses} (the template's: {@code MAIL_FROM} from a verified SES identity,
 * {@code SES_CONFIGURATION_SET} optional) or {@code smtp} ({@code SMTP_HOST}, {@code SMTP_PORT}: the local
 * cloud's mail server); {@code SMS_SENDER} {@code sns} or {@code sandbox} (the local cloud's: delivered
 * nowhere, recorded as sent). Only this function reaches the SES, SNS and mail classes.
 */
final class SenderWiring {

    /** The local SMS sender: no SMS leaves the machine; the communication is recorded as sent. */
    static final MessageSender SANDBOX_SMS = message -> "sandbox-" + UUID.randomUUID();

    private SenderWiring() {
    }

    static MessageDelivery delivery(Components components) {
        var env = components.env();
        return components.once(MessageDelivery.class, () -> new MessageDelivery(MessagesWiring.repository(components),
                email(env), sms(env), key -> components.once(S3Client.class, () -> S3ExportFiles.client(env))
                        .getObjectAsBytes(r -> r.bucket(env.require("EXPORT_BUCKET")).key(key)).asByteArray(),
                components.metrics(), components.clock(), Integer.parseInt(env.get("MESSAGES_MAX_RECEIVES", "5")),
                Integer.parseInt(env.get("MESSAGES_RETRY_SECONDS", "60")),
                Duration.ofSeconds(Long.parseLong(env.get("MESSAGES_STUCK_SECONDS", "120")))));
    }

    static MessageQueue queue(Components components) {
        return components.once(MessageQueue.class,
                () -> new MessageQueue(Sqs.client(components), components.env().require("MESSAGES_QUEUE_URL")));
    }

    private static MessageSender email(Env env) {
        return switch (env.get("EMAIL_SENDER", "ses")) {
            case "smtp" -> new SmtpSender(env.require("SMTP_HOST"), Integer.parseInt(env.require("SMTP_PORT")), env.require("MAIL_FROM"));
            case "ses" -> new SesSender(Aws.build(SesV2Client.builder(), env, "AWS_ENDPOINT_URL_SESV2"), env.require("MAIL_FROM"),
                    env.get("SES_CONFIGURATION_SET", ""));
            default -> throw new IllegalStateException("EMAIL_SENDER must be ses or smtp");
        };
    }

    private static MessageSender sms(Env env) {
        return switch (env.get("SMS_SENDER", "sns")) {
            case "sandbox" -> SANDBOX_SMS;
            case "sns" -> new SnsSmsSender(Aws.build(SnsClient.builder(), env, "AWS_ENDPOINT_URL_SNS"));
            default -> throw new IllegalStateException("SMS_SENDER must be sns or sandbox");
        };
    }
}
