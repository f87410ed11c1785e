package com.clientele.loyalty;

import com.clientele.customers.CustomerRules;
import com.clientele.loyalty.PointsStore.LotChange;
import com.clientele.loyalty.PointsStore.PointsWrite;
import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Ids;
import com.clientele.shared.Money;
import com.clientele.shared.References;
import com.clientele.shared.events.Refused;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Points a merchant moves on request: redemptions at the till and manual adjustments. Both take an
 * {@code Idempotency-Key}; both spend lots soonest-expiring first and write one statement line per
 * lot they touch. The balance, the lots, the lines, the idempotency key's response (and the OTP
 * that approved a redemption) are one transaction under the balance's version, so two requests at
 * once can never spend the same points: the second sees the first's balance and is refused (409
 * {@code insufficient_points}) if too little is left.
 */
public final class RedemptionService {

    static final long MAX_POINTS = 1_000_000_000;
    static final int MAX_REASON = 200;
    /**
     * A transaction holds 100 items: marker, balance, profile, activity, idempotency key and OTP, then
     * a lot and its statement line per lot used.
     */
    static final int MAX_LOTS = 45;
    static final int ATTEMPTS = 5;
    private static final Pattern OTP = Pattern.compile("\\d{6}");

    private final LoyaltyRepository repository;
    private final OtpService otps;
    private final Clock clock;

    public RedemptionService(LoyaltyRepository repository, OtpService otps, Clock clock) {
        this.repository = repository;
        this.otps = otps;
        this.clock = clock;
    }

    /** The body of a redemption. */
    public record RedemptionInput(Long points, String reason, String storeId, String terminalId, String otp) {
    }

    /** The body of an adjustment. */
    public record AdjustmentInput(Long points, String reason) {
    }

    /** A redemption asked for by {@code userId}. */
    public record RedeemCommand(String tenant, String customerId, String userId, RedemptionInput input) {
    }

    /** An adjustment made by {@code userId}. */
    public record AdjustCommand(String tenant, String customerId, String userId, AdjustmentInput input) {
    }

    /** A lot a redemption or an adjustment took from (or, for a positive adjustment, the lot it made). */
    public record LotUse(String lotId, long points, String expiryDate, long pointsLeft) {
    }

    public record Redemption(String id, String customerId, long points, Money value, String reason, String storeId,
                             String terminalId, String otpId, String userId, Instant createdAt, List<LotUse> lots,
                             LoyaltyService.Points balance) {
    }

    public record Adjustment(String id, String customerId, long points, String reason, String userId, Instant createdAt,
                             List<LotUse> lots, LoyaltyService.Points balance) {
    }

    /** {@code POST /customers/{id}/points/redemptions}: what was taken from which lots, and the balance after. */
    public Redemption redeem(RedeemCommand command, IdempotentWrite<Redemption> key) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        long points = points(errors, input.points(), false);
        String reason = CustomerRules.text(errors, "reason", input.reason(), MAX_REASON, true);
        reference(errors, "storeId", input.storeId());
        reference(errors, "terminalId", input.terminalId());
        if (input.otp() != null && !OTP.matcher(input.otp()).matches()) {
            errors.add(new FieldError("otp", "must be the 6-digit code sent to the customer"));
        }
        return run(tenant, customerId, key, errors, Ids.REDEMPTION, (id, attempt) -> {
            var settings = repository.settings(tenant);
            var otp = otps.verify(tenant, customerId, input.otp(), settings.otpRequired());
            Instant now = attempt.now();
            var write = debit(StatementLine.REDEEM, customerId, id, attempt.balance(), attempt.lots(), points, now,
                    input.storeId(), input.terminalId(), reason, command.userId());
            var value = new Money(Math.multiplyExact(points, settings.pointValue().amount()), settings.pointValue().currency());
            var result = new Redemption(id, customerId, points, value, reason, input.storeId(), input.terminalId(),
                    otp == null ? null : otp.id(), command.userId(), now, uses(write.lots()), LoyaltyService.points(write.after(), now));
            return new Outcome<>(write, result, otp == null ? null : otp.used(now, id));
        });
    }

    /**
     * {@code POST /customers/{id}/points/adjustments}: a signed correction with a reason, recorded with
     * the user who made it. A credit is a new lot (it expires like earned points); a debit spends
     * lots like a redemption and is refused below zero.
     */
    public Adjustment adjust(AdjustCommand command, IdempotentWrite<Adjustment> key) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        var input = command.input();
        var errors = new ArrayList<FieldError>();
        long points = points(errors, input.points(), true);
        String reason = CustomerRules.text(errors, "reason", input.reason(), MAX_REASON, true);
        return run(tenant, customerId, key, errors, Ids.ADJUSTMENT, (id, attempt) -> {
            Instant now = attempt.now();
            var write = points > 0
                    ? credit(customerId, id, attempt.balance(), points, repository.settings(tenant).lotLifetimeMonths(), now,
                            reason, command.userId())
                    : debit(StatementLine.ADJUST, customerId, id, attempt.balance(), attempt.lots(), -points, now, null, null,
                            reason, command.userId());
            var result = new Adjustment(id, customerId, points, reason, command.userId(), now, uses(write.lots()),
                    LoyaltyService.points(write.after(), now));
            return new Outcome<>(write, result, null);
        });
    }

    /** What one attempt read: the balance and the lots, at {@code now}. */
    private record Attempt(Balance balance, List<Lot> lots, Instant now) {
    }

    /** What one attempt would write, what it answers, and the OTP it used (none when null). */
    private record Outcome<R>(PointsWrite write, R result, Otp usedOtp) {
    }

    /**
     * The points request under its claimed key: 400 for {@code errors}, 404 for an unknown customer,
     * then the key is claimed and attempts are made until one commits, with the request's completion.
     * Nothing is written before the commit, so a refusal (insufficient points, a wrong OTP) or a
     * failure leaves the key free.
     */
    private <R> R run(String tenant, String customerId, IdempotentWrite<R> key, List<FieldError> errors, String idPrefix,
                      BiFunction<String, Attempt, Outcome<R>> attempt) {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        LoyaltyService.existing(repository, tenant, customerId);
        var claimed = key.claim(() -> Ids.next(idPrefix));
        for (int n = 1; n <= ATTEMPTS; n++) {
            var read = new Attempt(repository.balance(tenant, customerId), repository.lots(tenant, customerId), clock.instant());
            var outcome = attempt.apply(claimed.resourceId(), read);
            try {
                repository.apply(tenant, outcome.write(), outcome.usedOtp(), key.completion(outcome.result(), customerId));
                return outcome.result();
            } catch (Refused refused) {
                if (refused.why == Refused.Refusal.DUPLICATE) {
                    // an earlier request with this key committed it (and its response) already
                    throw key.finishedEarlier();
                }
                backOff(n);
            }
        }
        throw new ApiException(409, "points_busy", "Points changing",
                "The customer's points kept changing while this request was applied; retry with the same Idempotency-Key");
    }

    /** Another write got there first: wait a little (jittered, growing) so that racing tills spread out. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A debit of {@code points} from {@code lots} at {@code now}, soonest-expiring first: a redemption
     * (REDEEM) or a negative adjustment (ADJUST), one line per lot. 409 when the lots hold too little.
     */
    static PointsWrite debit(String type, String customerId, String entryId, Balance balance, List<Lot> lots, long points,
                             Instant now, String storeId, String terminalId, String reason, String userId) {
        var spent = spend(lots, points, now);
        var after = StatementLine.REDEEM.equals(type) ? balance.redeem(spent) : balance.adjustDown(spent);
        return new PointsWrite(customerId, entryId, null, balance, after, spent.changes(),
                lines(spent.changes(), type, now, entryId, storeId, terminalId, reason, userId));
    }

    /** A credit adjustment: a new lot of {@code points} that expires after {@code lifetimeMonths}, like earned points. */
    static PointsWrite credit(String customerId, String entryId, Balance balance, long points, int lifetimeMonths, Instant now,
                              String reason, String userId) {
        if (balance.lifetime() > Balance.MAX_LIFETIME - points) {
            throw ApiException.invalid("points", "would take the customer's points past " + Balance.MAX_LIFETIME);
        }
        var expiresAt = now.atOffset(ZoneOffset.UTC).plusMonths(lifetimeMonths).toInstant();
        var lot = new Lot(Ids.next(Ids.LOT), points, points, now, expiresAt, null, null, entryId, null, 0, null);
        var changes = List.of(new LotChange(null, lot));
        return new PointsWrite(customerId, entryId, null, balance, balance.earn(lot), changes,
                lines(changes, StatementLine.ADJUST, now, entryId, null, null, reason, userId));
    }

    private static Spending spend(List<Lot> lots, long points, Instant now) {
        long spendable = Spending.spendable(lots, now);
        if (spendable < points) {
            throw new ApiException(409, "insufficient_points", "Not enough points",
                    "The customer has " + spendable + " points available; " + points + " were asked for",
                    List.of(), Map.of("available", spendable, "requested", points), Map.of());
        }
        var spent = Spending.take(lots, points, now, MAX_LOTS);
        if (spent.taken() < points) {
            throw new ApiException(409, "too_many_lots", "Too many lots at once",
                    "At most " + spent.taken() + " of these points can be taken in one request (they sit in more than "
                            + MAX_LOTS + " lots); take them in two requests", List.of(),
                    Map.of("available", spendable, "maxInOneRequest", spent.taken()), Map.of());
        }
        return spent;
    }

    /** One line per lot: what the lot gave (or, for a new lot, got) and what it holds after. */
    private static List<StatementLine> lines(List<LotChange> changes, String type, Instant at, String entryId, String storeId,
                                             String terminalId, String reason, String userId) {
        return changes.stream().map(c -> new StatementLine(type, at, c.after().id(), storeId, terminalId, entryId,
                null, c.after().expiryDate(), c.after().pointsLeft() - (c.before() == null ? 0 : c.before().pointsLeft()),
                c.after().pointsLeft(), null, reason, userId)).toList();
    }

    private static List<LotUse> uses(List<LotChange> changes) {
        return changes.stream().map(c -> new LotUse(c.after().id(),
                Math.abs(c.after().pointsLeft() - (c.before() == null ? 0 : c.before().pointsLeft())),
                c.after().expiryDate(), c.after().pointsLeft())).toList();
    }

    private static long points(List<FieldError> errors, Long points, boolean signed) {
        // Compared to both bounds: Math.abs(Long.MIN_VALUE) is negative.
        if (points == null || points < (signed ? -MAX_POINTS : 1) || points > MAX_POINTS || points == 0) {
            errors.add(new FieldError("points", signed
                    ? "must be a non-zero integer from -" + MAX_POINTS + " to " + MAX_POINTS + " (negative takes points away)"
                    : "must be an integer from 1 to " + MAX_POINTS));
            return 0;
        }
        return points;
    }

    private static void reference(List<FieldError> errors, String field, String value) {
        if (value != null && !References.isValid(value)) {
            errors.add(new FieldError(field, References.RULE));
        }
    }
}
