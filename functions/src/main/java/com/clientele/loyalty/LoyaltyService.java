package com.clientele.loyalty;

import com.clientele.customers.Customer;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.ListParams;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The loyalty API's reads and settings: programme settings, a customer's points and statement. */
public final class LoyaltyService {

    private final LoyaltyRepository repository;
    private final Cursors cursors;
    private final Clock clock;

    public LoyaltyService(LoyaltyRepository repository, Cursors cursors, Clock clock) {
        this.repository = repository;
        this.cursors = cursors;
        this.clock = clock;
    }

    public LoyaltySettings settings(String tenant) {
        return repository.settings(tenant);
    }

    /** Replaces the tenant's programme; every field is required and checked. Applies to events applied from now on. */
    public LoyaltySettings updateSettings(String tenant, LoyaltySettings.Input input) {
        var settings = LoyaltySettings.of(input, clock.instant());
        repository.putSettings(tenant, settings);
        return settings;
    }

    public record NextExpiry(String date, long points) {
    }

    public record Points(long available, long lifetime, long redeemed, long expired, long clawedBack, long adjustedDown,
                         long unrecoverable, NextExpiry nextExpiry) {
    }

    /** Two GetItems: the profile (404 for an unknown or another tenant's customer) and the balance. */
    public Points points(String tenant, String customerId) {
        customer(tenant, customerId);
        return points(repository.balance(tenant, customerId), clock.instant());
    }

    /** The balance as the API shows it at {@code now}: the next expiry is the first day from today on. */
    static Points points(Balance balance, Instant now) {
        String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        var next = balance.expiring().entrySet().stream()
                .filter(e -> e.getKey().compareTo(today) >= 0 && e.getValue() > 0)
                .min(Map.Entry.comparingByKey())
                .map(e -> new NextExpiry(e.getKey(), e.getValue())).orElse(null);
        return new Points(balance.available(), balance.lifetime(), balance.redeemed(), balance.expired(),
                balance.clawedBack(), balance.adjustedDown(), balance.unrecoverable(), next);
    }

    public record Row(String createdAt, String type, String storeId, String terminalId, String transactionId,
                      String refundId, String lotId, String expiryDate, long points, Long pointsLeft, Long unrecoverable,
                      String reason, String userId, String campaignId, String description) {
    }

    public record Totals(long credited, long redeemed, long expired, long clawedBack, long adjustedDown) {
    }

    public record Statement(List<Row> data, String nextCursor, Totals totals) {
    }

    /** Newest first, {@code limit} and {@code cursor}; totals from the balance. */
    public Statement statement(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        customer(tenant, customerId);
        String scope = "points-statement:" + customerId;
        var slice = repository.statement(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        var balance = repository.balance(tenant, customerId);
        var rows = slice.items().stream().map(LoyaltyRepository::line).map(l -> new Row(l.createdAt().toString(), l.type(),
                l.storeId(), l.terminalId(), l.transactionId(), l.refundId(), l.lotId(), l.expiryDate(), l.points(), l.pointsLeft(),
                l.unrecoverable(), l.reason(), l.userId(), l.campaignId(), l.description())).toList();
        return new Statement(rows, cursors.next(tenant, scope, slice),
                new Totals(balance.lifetime(), balance.redeemed(), balance.expired(), balance.clawedBack(), balance.adjustedDown()));
    }

    private void customer(String tenant, String customerId) {
        existing(repository, tenant, customerId);
    }

    /** The tenant's live customer, or 404 (an unknown or malformed id, another tenant's customer). */
    static Customer existing(LoyaltyRepository repository, String tenant, String customerId) {
        return repository.customer(tenant, customerId).orElseThrow(() -> ApiException.notFound("Customer " + customerId));
    }
}
