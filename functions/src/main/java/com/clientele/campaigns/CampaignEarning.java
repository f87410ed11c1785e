package com.clientele.campaigns;

import com.clientele.campaigns.Campaign.Audience;
import com.clientele.customers.Customer;
import com.clientele.customers.SegmentSettings;
import com.clientele.customers.Segments;
import com.clientele.shared.events.PaymentEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The campaigns' side of a payment's accrual: which of the tenant's active campaigns apply to the
 * payment's customer, and what each adds ({@link CampaignRules}). Reads only what the campaigns
 * that could apply need: the tenant's active campaigns (one Query; none active, nothing more), the
 * customer's profile when an audience is not everyone or a first-purchase bonus may be due, the
 * segment settings for a segment audience, and the campaign's participation for a first-purchase
 * bonus.
 *
 * <p>A first purchase is the customer's first succeeded charge as far as their figures know
 * ({@code firstPurchaseAt} not before this payment, or not yet recorded) whose campaign participation
 * has had no first-purchase bonus: the accrual's transaction records the payment on the
 * participation, on condition that none did, so reordered or concurrent charges get it once.
 *
 * <p>{@code cacheFor}: how long a warm function keeps a tenant's active campaigns (zero: read for
 * every payment). A change to a campaign reaches accruals that long after at most.
 */
public final class CampaignEarning {

    private final CampaignRepository repository;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();

    public CampaignEarning(CampaignRepository repository, Clock clock, Duration cacheFor) {
        this.repository = repository;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    private record Read(Instant at, List<Campaign> campaigns) {
    }

    /** What the tenant's campaigns add to a succeeded charge that earns {@code basePoints}, stacked as {@code stacking} says. */
    public List<CampaignCredit> credits(PaymentEvent e, long basePoints, String stacking) {
        var purchase = new CampaignRules.Purchase(e.amount(), e.currency(), e.storeId(), e.occurredAt(), basePoints);
        var candidates = active(e.tenantId()).stream().filter(c -> CampaignRules.candidate(c, purchase)).toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        var member = lazy(() -> repository.member(e.tenantId(), e.customerId()));
        var segments = lazy(() -> repository.segmentSettings(e.tenantId()));
        return CampaignRules.credits(candidates, purchase,
                c -> inAudience(c.audience(), e.customerId(), member, segments),
                c -> firstPurchase(c, e, member),
                stacking);
    }

    private boolean inAudience(Audience audience, String customerId, Supplier<Optional<Customer>> member, Supplier<SegmentSettings> segments) {
        return switch (audience.type()) {
            case Audience.ALL -> true;
            case Audience.CUSTOMERS -> audience.customerIds().contains(customerId);
            case Audience.SEGMENT -> member.get().filter(c -> Segments.isIn(c, audience.segment(), segments.get(), clock.instant()))
                    .isPresent();
            case Audience.TIER -> member.get().map(Customer::tier).filter(t -> audience.tierId().equals(t.key())).isPresent();
            default -> false;
        };
    }

    private boolean firstPurchase(Campaign campaign, PaymentEvent e, Supplier<Optional<Customer>> member) {
        if (campaign.earning().firstPurchaseBonus() == null) {
            return false;
        }
        var stats = member.get().map(Customer::stats);
        boolean first = stats.isPresent() && (stats.get() == null || stats.get().firstPurchaseAt() == null
                || !stats.get().firstPurchaseAt().isBefore(e.occurredAt()));
        return first && repository.firstPurchasePayment(e.tenantId(), e.customerId(), campaign.id()).isEmpty();
    }

    private List<Campaign> active(String tenant) {
        if (cacheFor.isZero()) {
            return repository.active(tenant);
        }
        Instant now = clock.instant();
        var read = cache.get(tenant);
        if (read == null || !read.at().plus(cacheFor).isAfter(now)) {
            read = new Read(now, repository.active(tenant));
            cache.put(tenant, read);
        }
        return read.campaigns();
    }

    /** A value read once, when first asked for. */
    private static <T> Supplier<T> lazy(Supplier<T> read) {
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    value = read.get();
                    done = true;
                }
                return value;
            }
        };
    }
}
