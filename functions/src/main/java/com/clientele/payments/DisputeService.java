package com.clientele.payments;

import com.clientele.customers.CustomerRules;
import com.clientele.payments.DisputeRepository.AlreadyRecorded;
import com.clientele.payments.DisputeRepository.Effects;
import com.clientele.payments.DisputeRepository.StoredDispute;
import com.clientele.payments.PaymentRepository.Conflict;
import com.clientele.payments.PaymentRepository.StoredPayment;
import com.clientele.shared.Activity;
import com.clientele.shared.Ids;
import com.clientele.shared.Keys;
import com.clientele.shared.References;
import com.clientele.shared.events.ObjectEvent;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.OutboxEvent;
import com.clientele.shared.events.PaymentEvent;
import com.clientele.shared.events.Redelivery;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.MetricRecord;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of disputes: what the processor's notifications record (once each, whatever the redelivery: the processor's
 * dispute id exists once, and a status only moves forward), and what the merchant answers (evidence until the due date,
 * or accepting the loss). Each step writes the dispute, its payment's ledger entry ({@link PaymentDispute}), its events
 * (a {@code payment.dispute_*} event for LTV and points, a {@code dispute.*} event for webhooks) and its activity in one
 * transaction.
 */
public final class DisputeService {

    static final int MAX_EVIDENCE_TEXT = 20_000;
    static final int MAX_EVIDENCE_FILES = 20;
    private static final int MAX_WRITE_ATTEMPTS = 3;

    private final PaymentRepository payments;
    private final DisputeRepository repository;
    private final PaymentGateway gateway;
    private final Outbox outbox;
    private final Cursors cursors;
    private final Clock clock;
    private final Metrics metrics;

    public DisputeService(PaymentRepository payments, DisputeRepository repository, PaymentGateway gateway, Outbox outbox,
                          Cursors cursors, Clock clock, Metrics metrics) {
        this.payments = payments;
        this.repository = repository;
        this.gateway = gateway;
        this.outbox = outbox;
        this.cursors = cursors;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** What became of a notification. */
    public enum Outcome {
        /** A new dispute recorded. */
        RECORDED,
        /** A dispute moved to the notice's status. */
        MOVED,
        /** Nothing to do: the dispute is there already, or is at (or past) the notice's status. */
        DUPLICATE,
        /** Refused: another merchant's or an unknown payment, one disputed already, or more than is left of it. */
        REFUSED
    }

    /** The notice names a payment not settled yet (the notification outran the charge's answer): tried again soon. */
    static final class PaymentNotSettled extends RuntimeException implements Redelivery.Soon {
        PaymentNotSettled(String paymentId) {
            super("payment " + paymentId + " is not settled yet; the dispute notice will be retried", null, false, false);
        }
    }

    /** The merchant's answer to a dispute: texts and references to its files. */
    public record EvidenceInput(String productDescription, String customerCommunication, String shippingTrackingNumber,
                                String refundPolicy, String uncategorizedText, List<String> files) {
    }

    public record Page(List<Dispute> data, String nextCursor) {
    }

    // ---- the processor's notifications ----------------------------------------------------------

    /**
     * Applies a processor's notification: a new dispute is recorded with its payment's entry; a known one moves forward
     * (a notice that would not move it is a duplicate). Constant calls: a dispute's creation reads the processor's
     * pointer, the payment's pointer and the payment (3 GetItem) and writes once (1 TransactWriteItems); a move reads the
     * pointer, the dispute, the payment's pointer and the payment (4 GetItem) and writes once; a duplicate stops after
     * its reads. Then each event written is sent on ({@link Outbox#publish}).
     *
     * @throws DisputeNotice.Unreadable when the message is not a notification (parked in the DLQ)
     */
    public Outcome apply(String message) {
        var notice = gateway.disputeNotice(message);
        if (!Keys.isTenantId(notice.account()) || notice.processorDisputeId() == null || notice.occurredAt() == null
                || notice.amount().currency() == null) {
            throw new DisputeNotice.Unreadable("a dispute notice names its account, dispute, time and currency");
        }
        String tenant = notice.account();
        Outcome outcome;
        for (int attempt = 1; ; attempt++) {
            try {
                var known = repository.byProcessorId(tenant, notice.processorDisputeId());
                outcome = known.isPresent() ? move(tenant, known.get(), notice) : open(tenant, notice);
                break;
            } catch (AlreadyRecorded e) {
                outcome = Outcome.DUPLICATE;
                break;
            } catch (Conflict e) {
                if (attempt >= MAX_WRITE_ATTEMPTS) {
                    throw new IllegalStateException("the dispute or its payment kept changing; the notice will be retried");
                }
            }
        }
        metrics.record(MetricRecord.with("Outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).property("tenantId", tenant)
                .count("DisputeNotices", "Outcome"));
        return outcome;
    }

    private Outcome open(String tenant, DisputeNotice notice) {
        var found = Ids.isValid(Ids.PAYMENT, notice.paymentId()) ? payments.payment(tenant, notice.paymentId()) : java.util.Optional.<StoredPayment>empty();
        if (found.isEmpty()) {
            return refused(tenant, notice, "no such payment");
        }
        var stored = found.get();
        var payment = stored.payment();
        if (payment.status() == PaymentStatus.PENDING) {
            throw new PaymentNotSettled(payment.id());
        }
        if (stored.gatewayReference() == null || !stored.gatewayReference().equals(notice.chargeReference())) {
            return refused(tenant, notice, "the charge is not this payment's");
        }
        if (payment.dispute() != null) {
            return refused(tenant, notice, "the payment is disputed already (" + payment.dispute().id() + ")");
        }
        if (!payment.amount().currency().equals(notice.amount().currency())) {
            return refused(tenant, notice, "the dispute is not in the payment's currency");
        }
        long left = payment.disputable();
        if (!payment.status().captured() || left <= 0) {
            return refused(tenant, notice, "the payment is " + payment.status().json() + ": nothing is left to dispute");
        }
        if (notice.amount().amount() <= 0 || notice.amount().amount() > left) {
            return refused(tenant, notice, "the disputed amount is more than the " + left + " left of the payment");
        }
        Instant at = notice.occurredAt().truncatedTo(ChronoUnit.MILLIS);
        var status = notice.status();
        var dispute = new Dispute(Ids.next(Ids.DISPUTE), payment.id(), payment.customerId(), notice.amount(), notice.reason(), status,
                notice.evidenceDueBy(), null, notice.processorDisputeId(), status.warning() ? null : at, status.closed() ? at : null,
                at, at, 1);
        var paymentAfter = new StoredPayment(payment.withDispute(dispute.summary(), now()), stored.home(), stored.cardToken(),
                stored.gatewayReference());
        var events = events(tenant, null, dispute, paymentAfter.payment(), ObjectEvent.DISPUTE_CREATED);
        var activity = new Activity(at, Activity.Kind.DISPUTE_OPENED, (status.warning() ? "Fraud warning on a payment of "
                : "Payment disputed: ") + Activity.money(dispute.amount().amount(), dispute.amount().currency())
                + " (" + dispute.reason().json() + ")", dispute.id());
        repository.insert(tenant, new StoredDispute(dispute, stored.home()), new Effects(stored, paymentAfter, events, activity, null));
        publish(stored.home(), events);
        return Outcome.RECORDED;
    }

    private Outcome move(String tenant, StoredDispute stored, DisputeNotice notice) {
        var before = stored.dispute();
        if (!before.status().canBecome(notice.status())) {
            return Outcome.DUPLICATE;
        }
        change(tenant, stored, before.moved(notice.status(), notice.occurredAt().truncatedTo(ChronoUnit.MILLIS)));
        return Outcome.MOVED;
    }

    /** Writes a dispute's change with its payment's entry, events and activity; the dispute after. */
    private Dispute change(String tenant, StoredDispute stored, Dispute after) {
        var before = stored.dispute();
        var payment = payments.payment(tenant, before.paymentId()).orElseThrow(() -> new IllegalStateException(
                "dispute " + before.id() + " names payment " + before.paymentId() + ", which is not there"));
        var paymentAfter = new StoredPayment(payment.payment().withDispute(after.summary(), now()), payment.home(), payment.cardToken(),
                payment.gatewayReference());
        String type = after.status().closed() ? ObjectEvent.DISPUTE_CLOSED : ObjectEvent.DISPUTE_UPDATED;
        var events = events(tenant, before, after, paymentAfter.payment(), type);
        var activity = new Activity(after.updatedAt(), after.status().closed() ? Activity.Kind.DISPUTE_CLOSED : Activity.Kind.DISPUTE_UPDATED,
                "Dispute of " + Activity.money(after.amount().amount(), after.amount().currency()) + " " + after.status().json().replace('_', ' '),
                after.id());
        repository.update(tenant, stored, after, new Effects(payment, paymentAfter, events, activity, null));
        publish(stored.home(), events);
        return after;
    }

    /**
     * The events of a dispute's step: the ledger's ({@code payment.dispute_opened} when its amount is taken,
     * {@code payment.dispute_won}/{@code _lost} when a chargeback closes), timed as the payment's entry records them, and
     * the webhooks' {@code dispute.*} (the dispute without its evidence).
     */
    private List<OutboxEvent> events(String tenant, Dispute before, Dispute after, Payment payment, String objectType) {
        var events = new ArrayList<OutboxEvent>();
        if (after.heldAt() != null && (before == null || before.heldAt() == null)) {
            events.add(ledgerEvent(tenant, PaymentEvent.DISPUTED, payment, after, after.heldAt()));
        }
        if (after.heldAt() != null && (after.status() == DisputeStatus.WON || after.status() == DisputeStatus.LOST)) {
            events.add(ledgerEvent(tenant, after.status() == DisputeStatus.WON ? PaymentEvent.DISPUTE_WON : PaymentEvent.DISPUTE_LOST,
                    payment, after, after.closedAt()));
        }
        events.add(ObjectEvent.of(objectType, tenant, after.updatedAt(), withoutEvidence(after)));
        return events;
    }

    private static PaymentEvent ledgerEvent(String tenant, String type, Payment payment, Dispute dispute, Instant at) {
        return PaymentEvent.builder().id(Ids.next(Ids.EVENT)).type(type).tenantId(tenant).customerId(payment.customerId())
                .paymentId(payment.id()).disputeId(dispute.id()).amount(dispute.amount().amount()).currency(dispute.amount().currency())
                .occurredAt(at).storeId(payment.storeId()).terminalId(payment.terminalId()).receiptId(payment.receiptId())
                .cardFingerprint(payment.paymentMethod() == null ? null : payment.paymentMethod().fingerprint()).build();
    }

    private static Dispute withoutEvidence(Dispute d) {
        return new Dispute(d.id(), d.paymentId(), d.customerId(), d.amount(), d.reason(), d.status(), d.evidenceDueBy(), null,
                d.processorDisputeId(), d.heldAt(), d.closedAt(), d.createdAt(), d.updatedAt(), d.version());
    }

    private Outcome refused(String tenant, DisputeNotice notice, String why) {
        Log.warn("a dispute notice was refused", Map.of("tenant", tenant, "notification_id", String.valueOf(notice.notificationId()),
                "payment_id", String.valueOf(notice.paymentId()), "reason", why));
        return Outcome.REFUSED;
    }

    private void publish(String home, List<OutboxEvent> events) {
        events.forEach(event -> outbox.publish(home, event, e -> Log.warn("event left in the outbox for the relay",
                Map.of("event_id", event.id(), "error_type", e.getClass().getName()))));
    }

    // ---- the API --------------------------------------------------------------------------------

    public Dispute dispute(String tenant, String disputeId) {
        return stored(tenant, disputeId).dispute();
    }

    /** A customer's disputes, newest first. */
    public Page ofCustomer(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        if (!Ids.isValid(Ids.CUSTOMER, customerId) || payments.customer(tenant, customerId).isEmpty()) {
            throw ApiException.notFound("Customer " + customerId);
        }
        String scope = "disputes:" + customerId;
        var after = paging.cursor() == null ? null : cursors.decode(tenant, scope, paging.cursor());
        var slice = repository.ofCustomer(tenant, customerId, paging.limit(), after);
        return new Page(slice.items().stream().map(DisputeRepository::dispute).toList(), cursors.next(tenant, scope, slice));
    }

    /** The tenant's disputes, of one {@code status} if given, newest first. */
    public Page ofTenant(String tenant, Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var paging = ListParams.from(query, Set.of("status"), errors);
        String raw = ListParams.blank(query.get("status"));
        var status = raw == null ? null : DisputeStatus.parse(raw).orElse(null);
        if (raw != null && status == null) {
            errors.add(new FieldError("status", "must be one of " + String.join(", ", DisputeStatus.names())));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String scope = "disputes:" + (raw == null ? "" : raw);
        var after = paging.cursor() == null ? null : cursors.decode(tenant, scope, paging.cursor());
        var slice = repository.ofTenant(tenant, status, paging.limit(), after);
        return new Page(slice.items().stream().map(DisputeRepository::dispute).toList(), cursors.next(tenant, scope, slice));
    }

    /**
     * The merchant's evidence, until the due date and while the dispute is open: sent to the processor, kept on the
     * dispute (replacing any given before), and the dispute is under review.
     */
    public Dispute submitEvidence(String tenant, String disputeId, EvidenceInput input) {
        if (input == null) {
            throw ApiException.invalid("body", "is required: the evidence's texts and files");
        }
        var errors = new ArrayList<FieldError>();
        var texts = new LinkedHashMap<String, String>();
        texts.put("productDescription", input.productDescription());
        texts.put("customerCommunication", input.customerCommunication());
        texts.put("shippingTrackingNumber", input.shippingTrackingNumber());
        texts.put("refundPolicy", input.refundPolicy());
        texts.put("uncategorizedText", input.uncategorizedText());
        texts.replaceAll((field, raw) -> CustomerRules.text(errors, field, raw, MAX_EVIDENCE_TEXT, false));
        var files = input.files() == null ? List.<String>of() : input.files();
        if (files.size() > MAX_EVIDENCE_FILES) {
            errors.add(new FieldError("files", "must hold at most " + MAX_EVIDENCE_FILES + " file references"));
        } else {
            for (int i = 0; i < files.size(); i++) {
                if (!References.isValid(files.get(i))) {
                    errors.add(new FieldError("files[" + i + "]", References.RULE));
                }
            }
        }
        if (errors.isEmpty() && texts.values().stream().allMatch(v -> v == null) && files.isEmpty()) {
            errors.add(new FieldError("body", "must give at least one text or file"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        for (int attempt = 1; ; attempt++) {
            var stored = stored(tenant, disputeId);
            var dispute = stored.dispute();
            answerable(dispute, "Evidence");
            Instant now = now();
            var evidence = new Dispute.Evidence(texts.get("productDescription"), texts.get("customerCommunication"),
                    texts.get("shippingTrackingNumber"), texts.get("refundPolicy"), texts.get("uncategorizedText"), List.copyOf(files), now);
            gateway.submitDisputeEvidence(tenant, dispute.processorDisputeId(), evidence);
            try {
                return change(tenant, stored, dispute.withEvidence(evidence, now));
            } catch (Conflict e) {
                giveUpAfter(attempt);
            }
        }
    }

    /** The merchant accepts a chargeback: told to the processor, the dispute is lost (the amount stays with the cardholder). */
    public Dispute accept(String tenant, String disputeId) {
        for (int attempt = 1; ; attempt++) {
            var stored = stored(tenant, disputeId);
            var dispute = stored.dispute();
            if (dispute.status().closed()) {
                throw closed(dispute);
            }
            if (dispute.status().warning()) {
                throw new ApiException(409, "dispute_is_warning", "Dispute is a warning",
                        "Dispute " + disputeId + " is a warning (" + dispute.status().json() + "): no money was taken to concede. "
                                + "Refund the payment to settle it, or answer with evidence");
            }
            gateway.acceptDispute(tenant, dispute.processorDisputeId());
            try {
                return change(tenant, stored, dispute.moved(DisputeStatus.LOST, now()));
            } catch (Conflict e) {
                giveUpAfter(attempt);
            }
        }
    }

    private void answerable(Dispute dispute, String what) {
        if (dispute.status().closed()) {
            throw closed(dispute);
        }
        if (!dispute.answerableAt(now())) {
            throw new ApiException(409, "evidence_past_due", "Past the evidence due date",
                    what + " for dispute " + dispute.id() + " was due by " + dispute.evidenceDueBy() + "; the processor decides without it");
        }
    }

    private static ApiException closed(Dispute dispute) {
        return new ApiException(409, "dispute_closed", "Dispute closed",
                "Dispute " + dispute.id() + " is " + dispute.status().json() + ": it is final");
    }

    private StoredDispute stored(String tenant, String disputeId) {
        if (!Ids.isValid(Ids.DISPUTE, disputeId)) {
            throw ApiException.notFound("Dispute " + disputeId);
        }
        return repository.dispute(tenant, disputeId).orElseThrow(() -> ApiException.notFound("Dispute " + disputeId));
    }

    private static void giveUpAfter(int attempt) {
        if (attempt >= MAX_WRITE_ATTEMPTS) {
            throw new ApiException(409, "concurrent_update", "Conflict", "The dispute or its payment kept changing while this request ran; try again");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
