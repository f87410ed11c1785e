package com.clientele.payments;

import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.http.ApiException;
import java.time.Clock;
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
 * <tr><td>any other Luhn-valid number</td><td>succeeds</td></tr>
 * </table>
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
        LOST_RESPONSE("lost_response", null, null);

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
        requireKeyAndAmount(idempotencyKey, amount);
        var attempt = PROCESSOR.charge(idempotencyKey, cardToken, amount);
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

        /** A successful charge, and how much of it has been refunded (guarded by this). */
        private static final class Charge {
            final Money amount;
            long refunded;

            Charge(Money amount) {
                this.amount = amount;
            }
        }

        record Attempt(GatewayResult result, boolean firstTime) {
        }

        private final ConcurrentHashMap<String, Answer> chargeAnswers = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Answer> refundAnswers = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Charge> charges = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> chargesPerKey = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Long> refundsPerKey = new ConcurrentHashMap<>();
        private final java.util.Set<String> deletedTokens = ConcurrentHashMap.newKeySet();
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

        Attempt charge(String key, String token, Money amount) {
            String request = token + "|" + amount.amount() + "|" + amount.currency();
            boolean[] firstTime = {false};
            var answer = chargeAnswers.computeIfAbsent(key, k -> {
                firstTime[0] = true;
                return new Answer(request, performCharge(k, token, amount));
            });
            sameRequest(answer, request, key);
            return new Attempt(answer.result(), firstTime[0]);
        }

        private GatewayResult performCharge(String key, String token, Money amount) {
            String reference = Ids.next(CHARGE_PREFIX);
            var behaviour = Behaviour.ofToken(token);
            if (behaviour == null || deletedTokens.contains(token)) {
                return GatewayResult.declined(reference, "invalid_token", "The card token is not recognised.");
            }
            if (behaviour.failureCode != null) {
                return GatewayResult.declined(reference, behaviour.failureCode, behaviour.failureMessage);
            }
            charges.put(reference, new Charge(amount));
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
                if (amount.amount() > charge.amount.amount() - charge.refunded) {
                    return GatewayResult.declined(reference, "amount_too_large",
                            "The refund is larger than what is left of the charge.");
                }
                charge.refunded += amount.amount();
            }
            refundsPerKey.merge(key, 1L, Long::sum);
            totalRefunds.incrementAndGet();
            return GatewayResult.succeeded(reference);
        }

        private static void sameRequest(Answer answer, String request, String key) {
            if (!answer.request().equals(request)) {
                throw new IllegalArgumentException("idempotency key " + key + " was already used for another request");
            }
        }
    }
}
