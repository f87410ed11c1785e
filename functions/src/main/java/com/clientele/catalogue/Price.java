package com.clientele.catalogue;

import com.clientele.shared.Money;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;

/**
 * What a product (or one of its variants) costs: {@code unitAmount} minor units of {@code currency},
 * once ({@link Type#ONE_TIME}) or every {@code recurring} period, with an optional contract length and
 * the cost of the asset the subscription recovers ({@code assetCost}, same currency). Amount, currency,
 * type and period never change: a new price is made and the old one archived, so what a subscription
 * was sold at stays what it says. An archived price takes no new sales and goes on serving the
 * subscriptions sold at it. {@code monthlyAmount} is the amount normalised to one month (null once).
 */
public record Price(String id, String productId, String variantId, String currency, long unitAmount, Type type,
                    Recurring recurring, Long monthlyAmount, Long assetCost, String nickname, Map<String, String> metadata,
                    boolean active, Instant createdAt, Instant updatedAt, long version) {

    public Price {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Once, or every period. */
    public enum Type {
        ONE_TIME("one_time"), RECURRING("recurring");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        @JsonCreator
        public static Type of(String value) {
            for (var type : values()) {
                if (type.value.equals(value)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("no price type " + value);
        }
    }

    /** The unit of a billing period. */
    public enum Interval {
        MONTH("month", 1, 12), YEAR("year", 12, 3);

        private final String value;
        private final int months;
        private final int maxCount;

        Interval(String value, int months, int maxCount) {
            this.value = value;
            this.months = months;
            this.maxCount = maxCount;
        }

        @JsonValue
        public String value() {
            return value;
        }

        /** The most periods of this unit one billing period may span (12 months, 3 years). */
        public int maxCount() {
            return maxCount;
        }

        @JsonCreator
        public static Interval of(String value) {
            for (var interval : values()) {
                if (interval.value.equals(value)) {
                    return interval;
                }
            }
            throw new IllegalArgumentException("no interval " + value);
        }
    }

    /** A billing period of {@code intervalCount} intervals, and the contract's length in months (null: none). */
    public record Recurring(Interval interval, int intervalCount, Integer contractMonths) {

        /** How many months one period spans. */
        public int months() {
            return interval.months * intervalCount;
        }
    }

    static Price create(String id, Valid valid, Instant now) {
        return new Price(id, valid.productId(), valid.variantId(), valid.currency(), valid.unitAmount(), valid.type(),
                valid.recurring(), monthly(valid.unitAmount(), valid.recurring()), valid.assetCost(), valid.nickname(),
                valid.metadata(), true, now, now, 1);
    }

    /** A price as validated, before it has an id. */
    record Valid(String productId, String variantId, String currency, long unitAmount, Type type, Recurring recurring,
                 Long assetCost, String nickname, Map<String, String> metadata) {
    }

    /** {@code unitAmount} per month of its period, rounded half-even; null for a one-time price. */
    static Long monthly(long unitAmount, Recurring recurring) {
        if (recurring == null) {
            return null;
        }
        return BigDecimal.valueOf(unitAmount).divide(BigDecimal.valueOf(recurring.months()), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** What one unit costs, per sale or per period. */
    public Money unit() {
        return new Money(unitAmount, currency);
    }

    /** The price normalised to one month (a subscription's monthly payment); null for a one-time price. */
    public Money monthly() {
        return monthlyAmount == null ? null : new Money(monthlyAmount, currency);
    }

    Price edited(String newNickname, Map<String, String> newMetadata, Instant now) {
        return new Price(id, productId, variantId, currency, unitAmount, type, recurring, monthlyAmount, assetCost, newNickname,
                newMetadata, active, createdAt, now, version + 1);
    }

    Price withActive(boolean nowActive, Instant now) {
        return new Price(id, productId, variantId, currency, unitAmount, type, recurring, monthlyAmount, assetCost, nickname,
                metadata, nowActive, createdAt, now, version + 1);
    }

    public String etag() {
        return "\"" + version + "\"";
    }
}
