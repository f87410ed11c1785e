package com.clientele.messages;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sender's rules: a queued communication is sent once. A delivery first takes the communication
 * from {@code queued} to {@code sending} with a conditional write (a second delivery of the same message,
 * or a redelivery of one already sent, finds it taken and skips it), then renders and sends it, then
 * marks it {@code sent} with the provider's id. A provider failure puts it back to {@code queued} and
 * asks for the message again after a wait ({@link RetryLater}); on the last receive the queue allows,
 * it is marked {@code failed} instead. A communication left {@code sending} by a sender that died
 * mid-send cannot be known sent or not: past {@code stuckAfter} it is marked {@code failed}
 * ({@code outcome_unknown}) rather than risk sending it twice. One whose address was erased after it was
 * queued is marked failed ({@code no_address}).
 */
public final class MessageDelivery {

    static final String PROVIDER_ERROR = "provider_error";
    static final String OUTCOME_UNKNOWN = "outcome_unknown";

    /** What a delivery did. */
    public enum Outcome { SENT, FAILED, DUPLICATE, GONE }

    /** Ask for the message again after {@code seconds} (a provider failure with tries left, or a send still under way). */
    public static final class RetryLater extends RuntimeException {
        private final int seconds;

        RetryLater(int seconds, String why) {
            super(why, null, false, false);
            this.seconds = seconds;
        }

        public int seconds() {
            return seconds;
        }
    }

    /** Reads an attachment's bytes (the exports bucket). */
    @FunctionalInterface
    public interface Files {
        byte[] read(String key);
    }

    private final CommunicationRepository repository;
    private final MessageSender email;
    private final MessageSender sms;
    private final Files files;
    private final MessageMetrics metrics;
    private final Clock clock;
    private final int maxReceives;
    private final int retrySeconds;
    private final Duration stuckAfter;

    public MessageDelivery(CommunicationRepository repository, MessageSender email, MessageSender sms, Files files,
                           com.clientele.shared.metrics.Metrics metrics, Clock clock, int maxReceives, int retrySeconds,
                           Duration stuckAfter) {
        this.repository = repository;
        this.email = email;
        this.sms = sms;
        this.files = files;
        this.metrics = new MessageMetrics(metrics);
        this.clock = clock;
        this.maxReceives = maxReceives;
        this.retrySeconds = retrySeconds;
        this.stuckAfter = stuckAfter;
    }

    /** Sends the job's communication, on its {@code receives}-th delivery. */
    public Outcome deliver(MessageJob job, int receives) {
        String tenant = job.tenantId();
        var stored = repository.stored(tenant, job.customerId(), job.communicationId());
        if (stored.isEmpty()) {
            return Outcome.GONE;
        }
        var communication = stored.get().communication();
        switch (communication.status()) {
            case QUEUED -> { }
            case SENDING -> {
                var since = stored.get().sendingSince();
                if (since != null && since.plus(stuckAfter).isAfter(clock.instant())) {
                    throw new RetryLater((int) stuckAfter.toSeconds(), "being sent by another delivery");
                }
                if (repository.failed(tenant, job.customerId(), communication.id(), OUTCOME_UNKNOWN, clock.instant())) {
                    metrics.failed(tenant, communication);
                    return Outcome.FAILED;
                }
                return Outcome.DUPLICATE;
            }
            default -> {
                return Outcome.DUPLICATE;
            }
        }
        if (communication.to() == null) {
            // its address was erased after it was queued: there is no one to send it to
            repository.failed(tenant, job.customerId(), communication.id(), Messages.NO_ADDRESS, clock.instant());
            metrics.failed(tenant, communication);
            return Outcome.FAILED;
        }
        if (!repository.claim(tenant, job.customerId(), communication.id(), clock.instant())) {
            return Outcome.DUPLICATE;
        }
        String providerId;
        try {
            var sender = MessageRequest.SMS.equals(communication.channel()) ? sms : email;
            providerId = sender.send(new MessageSender.Outgoing(communication.to(), Rendering.of(communication.template(), job.variables()),
                    files(communication), java.util.Map.of(MessageSender.TENANT, tenant, MessageSender.CUSTOMER, job.customerId(),
                            MessageSender.COMMUNICATION, communication.id())));
        } catch (RuntimeException e) {
            // Nothing was handed over (the provider refused, or the message could not be made): safe to try again.
            if (receives >= maxReceives) {
                repository.failed(tenant, job.customerId(), communication.id(), PROVIDER_ERROR, clock.instant());
                metrics.failed(tenant, communication);
                return Outcome.FAILED;
            }
            repository.requeue(tenant, job.customerId(), communication.id(), PROVIDER_ERROR, clock.instant());
            metrics.retried(tenant, communication);
            throw new RetryLater(retrySeconds * Math.max(1, receives), "not sent: " + e.getMessage());
        }
        repository.sent(tenant, job.customerId(), communication.id(), providerId, clock.instant());
        metrics.sent(tenant, communication);
        return Outcome.SENT;
    }

    private List<MessageSender.File> files(Communication communication) {
        var out = new ArrayList<MessageSender.File>();
        for (var attachment : communication.attachments()) {
            out.add(new MessageSender.File(attachment.fileName(), contentType(attachment.fileName()), files.read(attachment.s3Key())));
        }
        return out;
    }

    static String contentType(String fileName) {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".pdf")) {
            return "application/pdf";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        if (name.endsWith(".txt")) {
            return "text/plain";
        }
        return "application/octet-stream";
    }
}
