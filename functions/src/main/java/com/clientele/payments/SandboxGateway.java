package com.clientele.payments;

import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.time.YearMonth;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A card processor's test mode. The card number picks the outcome:
 *
 * <table>
 * <caption>Sandbox cards</caption>
 * <tr><th>Number</th><th>Outcome</th></tr>
 * <tr><td>4242 4242 4242 4242</td><td>succeeds</td></tr>
 * <tr><td>4000 0000 0000 0002</td><td>declined {@code card_declined}</td></tr>
 * <tr><td>4000 0000 0000 9995</td><td>declined {@code insufficient_funds}</td></tr>
 * <tr><td>4000 0000 0000 0069</td><td>declined {@code expired_card}</td></tr>
 * <tr><td>4000 0000 0000 0119</td><td>declined {@code processing_error} (transient: retry with a new key)</td></tr>
 * <tr><td>4000 0000 0000 0341</td><td>tokenizes, but every charge is declined {@code card_declined}</td></tr>
 * <tr><td>4000 0000 0000 0408</td><td>lost response: the first charge for a key is performed but the
 *     call throws {@link GatewayUnavailable}, as a timeout would; a repeat with that key returns the
 *     stored success</td></tr>
 * <tr><td>4000 0000 0000 0259</td><td>succeeds, then is disputed as {@code fraudulent} (a chargeback: {@code needs_response})</td></tr>
 * <tr><td>4000 0000 0000 2685</td><td>succeeds, then is disputed as {@code product_not_received} (a chargeback)</td></tr>
 * <tr><td>4000 0000 0000 5423</td><td>succeeds, then gets an early-fraud warning only ({@code warning_needs_response},
 *     reason {@code fraudulent}): no money moves unless it is escalated</td></tr>
 * <tr><td>any other Luhn-valid number</td><td>succeeds</td></tr>
 * </table>
 *
 * <p>Disputes: a charge on a disputing card opens its dispute as soon as it succeeds, and the processor sends its
 * notification ({@code dispute.created}) to whoever listens ({@link Processor#onNotification}; the local cloud puts it on
 * the queue the processor's notifications reach); {@link Processor#play} moves a dispute as the processor would (the
 * local cloud's {@code POST /_local/processor/disputes}). A disputed amount cannot be refunded as well.
 *
 * <p>A card {@link CardRules} rejects is refused at tokenization with the same field errors under
 * {@code card}. The token carries only the behaviour and a random ULID
 * ({@code tok_sandbox_decline_charge_01J...}), never the number or CVC, so any Lambda instance can
 * charge it later. The "remote processor" is one {@link Processor} per JVM: every gateway instance
 * shares it, as they would share the real processor.
 */
public final class SandboxGateway implements PaymentGateway {

    /** The card whose first charge per idempotency key is performed but answered by a timeout. */
    public static final String LOST_RESPONSE_CARD = "4000000000000408";

    static final String TOKEN_PREFIX = "tok_sandbox_";
    static final String CHARGE_PREFIX = "ch_sandbox_";
    static final String REFUND_PREFIX = "rf_sandbox_";
    static final String DISPUTE_PREFIX = "dp_sandbox_";
    static final String NOTIFICATION_PREFIX = "evt_sandbox_";
    /** How long the merchant has to answer a dispute, in the sandbox. */
    static final java.time.Duration EVIDENCE_WINDOW = java.time.Duration.ofDays(7);

    private static final String DECLINED = "Your card was declined.";
    private static final Processor PROCESSOR = new Processor();

    private final Clock clock;

    /** A gateway judging card expiry by {@code clock}. */
    public SandboxGateway(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    /** The process-wide processor behind every sandbox gateway, read-only, for tests. */
    public static Processor processor() {
        return PROCESSOR;
    }

    /** What a sandbox card does when charged; its word is what the token carries. */
    enum Behaviour {
        SUCCEED("succeed", null, null),
        DECLINE("decline", "card_declined", DECLINED),
        INSUFFICIENT_FUNDS("insufficient_funds", "insufficient_funds", "Your card has insufficient funds."),
        EXPIRED_CARD("expired_card", "expired_card", "Your card has expired."),
        PROCESSING_ERROR("processing_error", "processing_error",
                "An error occurred while processing your card. Try again in a little bit."),
        DECLINE_CHARGE("decline_charge", "card_declined", DECLINED),
        LOST_RESPONSE("lost_response", null, null),
        DISPUTE_FRAUDULENT("dispute_fraudulent", null, null),
        DISPUTE_NOT_RECEIVED("dispute_not_received", null, null),
        FRAUD_WARNING("fraud_warning", null, null);

        final String word;
        final String failureCode;
        final String failureMessage;

        Behaviour(String word, String failureCode, String failureMessage) {
            this.word = word;
            this.failureCode = failureCode;
            this.failureMessage = failureMessage;
        }

        static Behaviour ofNumber(String number) {
            return switch (number) {
                case "4000000000000002" -> DECLINE;
                case "4000000000009995" -> INSUFFICIENT_FUNDS;
                case "4000000000000069" -> EXPIRED_CARD;
                case "4000000000000119" -> PROCESSING_ERROR;
                case "4000000000000341" -> DECLINE_CHARGE;
                case LOST_RESPONSE_CARD -> LOST_RESPONSE;
                case "4000000000000259" -> DISPUTE_FRAUDULENT;
                case "4000000000002685" -> DISPUTE_NOT_RECEIVED;
                case "4000000000005423" -> FRAUD_WARNING;
                default -> SUCCEED;
            };
        }

        /** The behaviour a sandbox token names, or null if it is not one of ours. */
        static Behaviour ofToken(String token) {
            if (token == null || !token.startsWith(TOKEN_PREFIX)) {
                return null;
            }
            int cut = token.lastIndexOf('_');
            if (cut < TOKEN_PREFIX.length() || !Ids.isValid("_", token.substring(cut))) {
                return null;
            }
            String word = token.substring(TOKEN_PREFIX.length(), cut);
            for (var b : values()) {
                if (b.word.equals(word)) {
                    return b;
                }
            }
            return null;
        }
    }

    @Override
    public CardToken tokenize(CardDetails card) {
        var errors = CardRules.validate(card, YearMonth.now(clock), "card");
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String number = CardRules.normalise(card.number());
        var behaviour = Behaviour.ofNumber(number);
        return new CardToken(Ids.next(TOKEN_PREFIX + behaviour.word + "_"), CardRules.brand(number),
                number.substring(0, 6), number.substring(number.length() - 4));
    }

    /**
     * {@inheritDoc} A token that is not a sandbox token, or one deleted ({@link #deleteToken}), is
     * declined {@code invalid_token}; the description is not kept.
     *
     * @throws IllegalArgumentException when the amount is not positive, or the key was already
     *                                  used for a different charge (a caller's bug)
     */
    @Override
    public GatewayResult charge(String cardToken, Money amount, String description, String idempotencyKey) {
        return charge(null, cardToken, amount, description, idempotencyKey);
    }

    /** {@inheritDoc} A charge on a disputing card is disputed at once, on {@code account}. */
    @Override
    public GatewayResult charge(String account, String cardToken, Money amount, String description, String idempotencyKey) {
        requireKeyAndAmount(idempotencyKey, amount);
        var attempt = PROCESSOR.charge(idempotencyKey, cardToken, amount, account, clock.instant());
        if (attempt.firstTime() && Behaviour.ofToken(cardToken) == Behaviour.LOST_RESPONSE) {
            throw new GatewayUnavailable("sandbox: the charge was performed but its response was lost");
        }
        return attempt.result();
    }

    /**
     * {@inheritDoc} Only a successful charge can be refunded: any other reference is declined
     * {@code charge_not_found}; more than what is left of the charge, {@code amount_too_large};
     * another currency than the charge's, {@code currency_mismatch}.
     *
     * @throws IllegalArgumentException when the amount is not positive, or the key was already
     *                                  used for a different refund
     */
    @Override
    public GatewayResult refund(String chargeReference, Money amount, String idempotencyKey) {
        requireKeyAndAmount(idempotencyKey, amount);
        return PROCESSOR.refund(idempotencyKey, chargeReference, amount);
    }

    /**
     * {@inheritDoc} The sandbox's notifications are JSON: {@code {"id": "evt_sandbox_...", "type": "dispute.created",
     * "account", "created", "data": {"id": "dp_sandbox_...", "charge", "paymentId", "amount", "currency", "reason", "status",
     * "evidenceDueBy"}}}.
     */
    @Override
    public DisputeNotice disputeNotice(String message) {
        return Processor.read(message);
    }

    /** {@inheritDoc} The sandbox's dispute goes under review; its text is not kept. */
    @Override
    public void submitDisputeEvidence(String account, String processorDisputeId, Dispute.Evidence evidence) {
        PROCESSOR.answer(processorDisputeId, false);
    }

    /** {@inheritDoc} The sandbox's dispute is lost. */
    @Override
    public void acceptDispute(String account, String processorDisputeId) {
        PROCESSOR.answer(processorDisputeId, true);
    }

    /** {@inheritDoc} The processor forgets the token: a charge on it is declined {@code invalid_token}. */
    @Override
    public void deleteToken(String cardToken) {
        PROCESSOR.deleteToken(cardToken);
    }

    private static void requireKeyAndAmount(String idempotencyKey, Money amount) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("an idempotency key is required");
        }
        if (amount == null || amount.amount() <= 0 || amount.currency() == null) {
            throw new IllegalArgumentException("the amount must be positive, in a currency");
        }
    }

    /**
     * The remote processor the sandbox stands for: what it performed, per idempotency key. Each
     * key is settled once, atomically, however many calls race on it. Public methods only read.
     */
    public static final class Processor {

        /** The first answer to a key, and the request it answered, to catch a reused key. */
        private record Answer(String request, GatewayResult result) {
        }

        /** A successful charge, how much of it has been refunded and its dispute, if any (guarded by this). */
        private static final class Charge {
            final Money amount;
            final String account;
            final String paymentId;
            long refunded;
            SandboxDispute dispute;

            Charge(Money amount, String account, String paymentId) {
                this.amount = amount;
                this.account = account;
                this.paymentId = paymentId;
            }
        }

        /** A dispute of a charge as the processor keeps it. */
        private record SandboxDispute(String id, Money amount, DisputeReason reason, DisputeStatus status, Instant evidenceDueBy) {
        }

        record Attempt(GatewayResult result, boolean firstTime) {
        }

        private final ConcurrentHashMap<String, Answer> chargeAnswers = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Answer> refundAnswers = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Charge> charges = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> chargesPerKey = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> refundsPerKey = new ConcurrentHashMap<>();
        private final java.util.Set<String> deletedTokens = ConcurrentHashMap.newKeySet();
        private final ConcurrentHashMap<String, String> chargeOfPayment = new ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<String> undelivered = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.List<Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final AtomicLong totalCharges = new AtomicLong();
        private final AtomicLong totalRefunds = new AtomicLong();

        private Processor() {
        }

        /** Successful charges performed under this idempotency key: 0 or 1, if all is well. */
        public long chargesPerformed(String idempotencyKey) {
            return chargesPerKey.getOrDefault(idempotencyKey, 0L);
        }

        /** Successful charges performed since the JVM started. */
        public long totalChargesPerformed() {
            return totalCharges.get();
        }

        /** The reference of the charge answered under this key (even if the answer was lost), or null. */
        public String chargeReference(String idempotencyKey) {
            var answer = chargeAnswers.get(idempotencyKey);
            return answer == null ? null : answer.result().reference();
        }

        /** Successful refunds performed under this idempotency key: 0 or 1, if all is well. */
        public long refundsPerformed(String idempotencyKey) {
            return refundsPerKey.getOrDefault(idempotencyKey, 0L);
        }

        /** Successful refunds performed since the JVM started. */
        public long totalRefundsPerformed() {
            return totalRefunds.get();
        }

        /** How much of a charge has been refunded, in minor units; 0 for an unknown charge. */
        public long refunded(String chargeReference) {
            var charge = charges.get(chargeReference);
            if (charge == null) {
                return 0;
            }
            synchronized (charge) {
                return charge.refunded;
            }
        }

        /** Whether the token was deleted (its customer's personal data erased). */
        public boolean tokenDeleted(String token) {
            return deletedTokens.contains(token);
        }

        void deleteToken(String token) {
            deletedTokens.add(token);
        }

        Attempt charge(String key, String token, Money amount, String account, Instant now) {
            String request = token + "|" + amount.amount() + "|" + amount.currency();
            boolean[] firstTime = {false};
            var answer = chargeAnswers.computeIfAbsent(key, k -> {
                firstTime[0] = true;
                return new Answer(request, performCharge(k, token, amount, account));
            });
            if (firstTime[0] && answer.result().succeeded()) {
                var behaviour = Behaviour.ofToken(token);
                if (behaviour == Behaviour.DISPUTE_FRAUDULENT || behaviour == Behaviour.DISPUTE_NOT_RECEIVED
                        || behaviour == Behaviour.FRAUD_WARNING) {
                    var charge = charges.get(answer.result().reference());
                    synchronized (charge) {
                        open(answer.result().reference(), charge, behaviour == Behaviour.FRAUD_WARNING
                                ? DisputeStatus.WARNING_NEEDS_RESPONSE : DisputeStatus.NEEDS_RESPONSE,
                                behaviour == Behaviour.DISPUTE_NOT_RECEIVED ? DisputeReason.PRODUCT_NOT_RECEIVED
                                        : DisputeReason.FRAUDULENT, charge.amount.amount(), now);
                    }
                }
            }
            sameRequest(answer, request, key);
            return new Attempt(answer.result(), firstTime[0]);
        }

        private GatewayResult performCharge(String key, String token, Money amount, String account) {
            String reference = Ids.next(CHARGE_PREFIX);
            var behaviour = Behaviour.ofToken(token);
            if (behaviour == null || deletedTokens.contains(token)) {
                return GatewayResult.declined(reference, "invalid_token", "The card token is not recognised.");
            }
            if (behaviour.failureCode != null) {
                return GatewayResult.declined(reference, behaviour.failureCode, behaviour.failureMessage);
            }
            charges.put(reference, new Charge(amount, account, key));
            chargeOfPayment.put(key, reference);
            chargesPerKey.merge(key, 1L, Long::sum);
            totalCharges.incrementAndGet();
            return GatewayResult.succeeded(reference);
        }

        GatewayResult refund(String key, String chargeReference, Money amount) {
            String request = chargeReference + "|" + amount.amount() + "|" + amount.currency();
            var answer = refundAnswers.computeIfAbsent(key,
                    k -> new Answer(request, performRefund(k, chargeReference, amount)));
            sameRequest(answer, request, key);
            return answer.result();
        }

        private GatewayResult performRefund(String key, String chargeReference, Money amount) {
            String reference = Ids.next(REFUND_PREFIX);
            var charge = chargeReference == null ? null : charges.get(chargeReference);
            if (charge == null) {
                return GatewayResult.declined(reference, "charge_not_found", "No such charge.");
            }
            synchronized (charge) {
                if (!charge.amount.currency().equals(amount.currency())) {
                    return GatewayResult.declined(reference, "currency_mismatch",
                            "The refund must be in the charge's currency.");
                }
                long disputed = charge.dispute == null || !charge.dispute.status().holdsFunds() ? 0 : charge.dispute.amount().amount();
                if (amount.amount() > charge.amount.amount() - charge.refunded - disputed) {
                    return GatewayResult.declined(reference, "amount_too_large",
                            "The refund is larger than what is left of the charge.");
                }
                charge.refunded += amount.amount();
            }
            refundsPerKey.merge(key, 1L, Long::sum);
            totalRefunds.incrementAndGet();
            return GatewayResult.succeeded(reference);
        }

        /**
         * Sends the processor's notifications to {@code listener} too from now on (those sent before, with none listening,
         * first). Each local cloud of the JVM listens (the one whose table holds the payment records the dispute).
         */
        public void onNotification(Consumer<String> listener) {
            listeners.add(listener);
            for (String message; (message = undelivered.poll()) != null; ) {
                listener.accept(message);
            }
        }

        /** The notifications sent while nobody listened (and forgets them). */
        public List<String> takeUndelivered() {
            var taken = new ArrayList<String>();
            for (String message; (message = undelivered.poll()) != null; ) {
                taken.add(message);
            }
            return taken;
        }

        /** What {@link #play} refuses: no such charge (404), or a move the dispute cannot make (409). */
        public static final class Refusal extends RuntimeException {
            public final int status;

            Refusal(int status, String message) {
                super(message, null, false, false);
                this.status = status;
            }
        }

        /**
         * Plays the processor for the charge made under {@code paymentId} (its idempotency key): with no dispute yet, the
         * cardholder's bank disputes it ({@code status} {@code needs_response} or {@code warning_needs_response}, of
         * {@code amount} minor units: what is left of it unless said); else its dispute moves to {@code status} (an
         * escalation, a review, won, lost, warning closed). Answers the notification sent (and sends it).
         *
         * @throws Refusal when there is no such charge, the charge is wholly refunded, the amount is more than what is
         *                 left of it, or the dispute cannot move so
         */
        public String play(String paymentId, DisputeStatus status, DisputeReason reason, Long amount, Instant now) {
            String reference = paymentId == null ? null : chargeOfPayment.get(paymentId);
            var charge = reference == null ? null : charges.get(reference);
            if (charge == null) {
                throw new Refusal(404, "no successful charge was made for payment " + paymentId);
            }
            synchronized (charge) {
                var dispute = charge.dispute;
                if (dispute == null) {
                    var opening = status == null ? DisputeStatus.NEEDS_RESPONSE : status;
                    if (opening != DisputeStatus.NEEDS_RESPONSE && opening != DisputeStatus.WARNING_NEEDS_RESPONSE) {
                        throw new Refusal(409, "a dispute opens as needs_response or warning_needs_response, not " + opening.json());
                    }
                    long left = charge.amount.amount() - charge.refunded;
                    if (left <= 0) {
                        throw new Refusal(409, "the charge is wholly refunded: there is nothing left to dispute");
                    }
                    long disputed = amount == null ? left : amount;
                    if (disputed <= 0 || disputed > left) {
                        throw new Refusal(422, "the disputed amount must be from 1 to " + left + ", what is left of the charge");
                    }
                    return open(reference, charge, opening, reason == null ? DisputeReason.GENERAL : reason, disputed, now);
                }
                if (status == null || !dispute.status().canBecome(status)) {
                    throw new Refusal(409, "the dispute is " + dispute.status().json() + ": it cannot become "
                            + (status == null ? "(no status given)" : status.json()));
                }
                var moved = new SandboxDispute(dispute.id(), dispute.amount(), dispute.reason(), status, dispute.evidenceDueBy());
                charge.dispute = moved;
                return send(status.closed() ? "dispute.closed" : "dispute.updated", reference, charge, moved, now);
            }
        }

        /** The merchant's answer to a dispute: evidence (under review) or acceptance (lost); no notification follows. */
        void answer(String processorDisputeId, boolean accepted) {
            for (var charge : charges.values()) {
                synchronized (charge) {
                    var d = charge.dispute;
                    if (d != null && d.id().equals(processorDisputeId)) {
                        var next = accepted ? DisputeStatus.LOST : d.status().warning() ? DisputeStatus.WARNING_UNDER_REVIEW
                                : DisputeStatus.UNDER_REVIEW;
                        if (d.status().canBecome(next)) {
                            charge.dispute = new SandboxDispute(d.id(), d.amount(), d.reason(), next, d.evidenceDueBy());
                        }
                        return;
                    }
                }
            }
        }

        /** Opens the charge's dispute (its lock held) and sends {@code dispute.created}. */
        private String open(String reference, Charge charge, DisputeStatus status, DisputeReason reason, long amount, Instant now) {
            var dispute = new SandboxDispute(Ids.next(DISPUTE_PREFIX), new Money(amount, charge.amount.currency()), reason, status,
                    now.plus(EVIDENCE_WINDOW));
            charge.dispute = dispute;
            return send("dispute.created", reference, charge, dispute, now);
        }

        private String send(String type, String reference, Charge charge, SandboxDispute dispute, Instant now) {
            var message = Json.MAPPER.createObjectNode().put("id", Ids.next(NOTIFICATION_PREFIX)).put("type", type)
                    .put("account", charge.account).put("created", now.toString());
            message.putObject("data").put("id", dispute.id()).put("charge", reference).put("paymentId", charge.paymentId)
                    .put("amount", dispute.amount().amount()).put("currency", dispute.amount().currency())
                    .put("reason", dispute.reason().json()).put("status", dispute.status().json())
                    .put("evidenceDueBy", dispute.evidenceDueBy().toString());
            String text = Json.write(message);
            if (listeners.isEmpty()) {
                undelivered.add(text);
            }
            listeners.forEach(listener -> listener.accept(text));
            return text;
        }

        /** A sandbox notification as the service reads it. */
        static DisputeNotice read(String message) {
            try {
                var json = Json.MAPPER.readTree(message);
                var data = json.path("data");
                String id = json.path("id").asText("");
                if (!id.startsWith(NOTIFICATION_PREFIX) || !json.path("type").asText("").startsWith("dispute.")
                        || !data.path("id").asText("").startsWith(DISPUTE_PREFIX) || !data.path("amount").canConvertToExactIntegral()) {
                    throw new DisputeNotice.Unreadable("not a sandbox dispute notification");
                }
                var status = DisputeStatus.parse(data.path("status").asText())
                        .orElseThrow(() -> new DisputeNotice.Unreadable("unknown dispute status " + data.path("status")));
                return new DisputeNotice(id, json.path("account").asText(null), data.path("id").asText(), data.path("charge").asText(null),
                        data.path("paymentId").asText(null), new Money(data.path("amount").asLong(), data.path("currency").asText(null)),
                        DisputeReason.of(data.path("reason").asText()), status, Instant.parse(data.path("evidenceDueBy").asText()),
                        Instant.parse(json.path("created").asText()));
            } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
                throw new DisputeNotice.Unreadable("not a sandbox dispute notification: " + e.getClass().getSimpleName());
            }
        }

        private static void sameRequest(Answer answer, String request, String key) {
            if (!answer.request().equals(request)) {
                throw new IllegalArgumentException("idempotency key " + key + " was already used for another request");
            }
        }
    }
}
