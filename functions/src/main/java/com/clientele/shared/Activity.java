package com.clientele.shared;

import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;

/**
 * One line of a customer's activity feed: when, what kind of change, a one-line summary and the id
 * of what changed ({@code ref}). Every writer of such a change adds its activity to the change's own
 * transaction ({@link #put}), so the feed never shows what did not happen; the key (time, kind, ref) is
 * the same however often a change is retried, so a change is shown once. {@code actor} is who made the
 * change: the {@link Actor} current when the activity is made (null on activities written before it was kept).
 */
public record Activity(Instant at, Kind kind, String summary, String ref, Actor actor) {

    /** An activity of the change the current {@link Actor} is making. */
    public Activity(Instant at, Kind kind, String summary, String ref) {
        this(at, kind, summary, ref, Actor.current().orElse(null));
    }

    /** What kind of change an activity records, written as its dotted name ({@code note.added}) in the item and the API. */
    public enum Kind {
        CUSTOMER_CREATED("customer.created"),
        CUSTOMER_UPDATED("customer.updated"),
        CARD_SAVED("card.saved"),
        CHARGED("payment.succeeded"),
        CHARGE_FAILED("payment.failed"),
        REFUNDED("payment.refunded"),
        DISPUTE_OPENED("dispute.created"),
        DISPUTE_UPDATED("dispute.updated"),
        DISPUTE_CLOSED("dispute.closed"),
        POINTS_EARNED("points.earned"),
        POINTS_REDEEMED("points.redeemed"),
        POINTS_EXPIRED("points.expired"),
        POINTS_ADJUSTED("points.adjusted"),
        POINTS_REFERRAL("points.referral"),
        POINTS_CLAWED_BACK("points.clawed_back"),
        NOTE_ADDED("note.added"),
        MERGED("customer.merged"),
        CUSTOMER_ERASED("customer.erased"),
        SUBSCRIPTION_STARTED("subscription.started"),
        SUBSCRIPTION_CHANGED("subscription.changed"),
        SUBSCRIPTION_PAUSED("subscription.paused"),
        SUBSCRIPTION_RESUMED("subscription.resumed"),
        SUBSCRIPTION_EXTENDED("subscription.extended"),
        SUBSCRIPTION_CANCELED("subscription.canceled"),
        SUBSCRIPTION_BOUGHT_OUT("subscription.bought_out"),
        SUBSCRIPTION_ENDED("subscription.ended"),
        SUBSCRIPTION_PAYMENT_FAILED("subscription.payment_failed"),
        SUBSCRIPTION_PAYMENT_DUE("subscription.payment_due"),
        SUBSCRIPTION_RENEWAL_UPCOMING("subscription.renewal_upcoming"),
        SUBSCRIPTION_CONTRACT_ENDING("subscription.contract_ending"),
        ORDER_CREATED("order.created"),
        ORDER_PAID("order.paid"),
        ORDER_FULFILLED("order.fulfilled"),
        ORDER_CANCELED("order.canceled"),
        ORDER_REFUNDED("order.refunded"),
        INVOICE_FINALIZED("invoice.finalized"),
        INVOICE_PAID("invoice.paid"),
        INVOICE_VOIDED("invoice.voided"),
        INVOICE_UNCOLLECTIBLE("invoice.marked_uncollectible"),
        INVOICE_OVERDUE("invoice.overdue"),
        INVOICE_CREDITED("invoice.credited"),
        TIER_CHANGED("customer.tier_changed");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        /** As stored and shown: {@code customer.created}, {@code payment.succeeded}, … */
        @JsonValue
        public String value() {
            return value;
        }

        @JsonCreator
        public static Kind of(String value) {
            for (Kind kind : values()) {
                if (kind.value.equals(value)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown activity kind " + value);
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** Sort-key prefix of a customer's activities: time-ordered, so a descending Query is newest first. */
    public static final String ACTIVITY = "ACT#";

    /** The item type of the customer's partition this declares (built once, when the registry loads). */
    public static ItemType itemType() {
        // The activity feed. A merge moves the duplicate's activities but its own "merged into" one; the erasure
        // rewrites the summaries that quote personal text: a note's, a redemption's or an adjustment's reason.
        return ItemType.named("activity").sortKey(SortKey.prefix(ACTIVITY)).indexKeys()
                .merge(MergePolicy.move("activities").deciding((item, merge) -> Kind.MERGED.value().equals(item.path("kind").asText())
                        && merge.primaryId().equals(item.path("ref").asText()) ? MergePolicy.Action.KEEP : MergePolicy.Action.MOVE))
                .export(ExportPolicy.list("activities"))
                .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("summary", "Note added").when("kind", Kind.NOTE_ADDED.value()),
                        ErasurePolicy.Scrub.cutAt("summary", ": ").when("kind", Kind.POINTS_REDEEMED.value(), Kind.POINTS_ADJUSTED.value())))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    /** By time, then kind: a charge and the points it earned share their time and ref, not their kind. */
    public static String activitySortKey(Instant at, Kind kind, String ref) {
        return ACTIVITY + String.format("%015d", at.toEpochMilli()) + "#" + kind.value() + "#" + ref;
    }

    /** The activity's item in the customer's partition, for the transaction of the change it records. */
    public TransactPutItemEnhancedRequest<EnhancedDocument> put(String tenant, String customerId) {
        Actor.touch(customerId);
        ObjectNode json = Items.attributes(this);
        json.put(Table.PK, Keys.customer(tenant, customerId)).put(Table.SK, activitySortKey(at, kind, ref))
                .put("entity", "activity");
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(Items.document(json)).build();
    }

    /** {@code 89.00 USD}: minor units shown in the currency's own decimals. */
    public static String money(long minorUnits, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException | NullPointerException e) {
            digits = 2;
        }
        return BigDecimal.valueOf(minorUnits).movePointLeft(digits).toPlainString() + " " + currency;
    }
}
