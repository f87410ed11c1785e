package com.clientele.payments;

import com.clientele.shared.Money;

/**
 * The card processor, as the payments service sees it. A real processor's adapter is one class
 * implementing this; {@link SandboxGateway} behaves like a processor's test mode.
 *
 * <p>Every call that moves money takes an idempotency key: the processor performs it at most once
 * per key and answers a repeated call with the first outcome, so a retry after a lost response
 * can never charge or refund twice.
 */
public interface PaymentGateway {

    /**
     * Hands the card to the processor and returns what may be stored instead of it. The number
     * and CVC go nowhere else.
     *
     * @throws GatewayUnavailable when the processor cannot be reached
     */
    CardToken tokenize(CardDetails card);

    /**
     * Charges a tokenized card.
     *
     * @throws GatewayUnavailable when the outcome is unknown (timeout, connection lost); a repeat
     *                            with the same key settles it
     */
    GatewayResult charge(String cardToken, Money amount, String description, String idempotencyKey);

    /**
     * {@link #charge(String, Money, String, String)} on the merchant's account at the processor ({@code account}: the
     * tenant, as a platform's connected account), which its later notifications about the charge (a dispute) name.
     */
    default GatewayResult charge(String account, String cardToken, Money amount, String description, String idempotencyKey) {
        return charge(cardToken, amount, description, idempotencyKey);
    }

    /**
     * Reads the processor's notification about a dispute (its message, as the processor sends it: created, updated,
     * closed), after checking it is the processor's.
     *
     * @throws DisputeNotice.Unreadable when it is not one
     */
    DisputeNotice disputeNotice(String message);

    /**
     * Submits the merchant's evidence for a dispute ({@code processorDisputeId}, on the merchant's {@code account}): the
     * processor puts it before the bank.
     *
     * @throws GatewayUnavailable when the processor cannot be reached
     */
    void submitDisputeEvidence(String account, String processorDisputeId, Dispute.Evidence evidence);

    /**
     * Concedes a dispute: the processor closes it as lost.
     *
     * @throws GatewayUnavailable when the processor cannot be reached
     */
    void acceptDispute(String account, String processorDisputeId);

    /**
     * Refunds (part of) a charge this gateway made, by the reference its charge returned.
     *
     * @throws GatewayUnavailable when the outcome is unknown; a repeat with the same key settles it
     */
    GatewayResult refund(String chargeReference, Money amount, String idempotencyKey);

    /**
     * Removes a tokenized card at the processor (the customer's personal data is erased): no charge
     * can use the token afterwards. Removing a token that is gone already is no error.
     *
     * @throws GatewayUnavailable when the processor cannot be reached (the erasure is repeated)
     */
    void deleteToken(String cardToken);

    /** The processor could not be reached or did not answer in time: the outcome is unknown. */
    final class GatewayUnavailable extends RuntimeException {
        public GatewayUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
