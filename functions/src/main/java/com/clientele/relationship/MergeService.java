package com.clientele.relationship;

import com.clientele.analytics.TenantCounters;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.loyalty.LoyaltyRepository;
import com.clientele.ltv.RecomputeService;
import com.clientele.ltv.StatsFold;
import com.clientele.payments.Payment;
import com.clientele.payments.PaymentItems;
import com.clientele.payments.PaymentRepository;
import com.clientele.shared.Activity;
import com.clientele.shared.Ids;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.events.Refused;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.shared.items.ItemStore;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.SortKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merging a duplicate customer into a primary one ({@code POST /customers/{primaryId}/merge}).
 *
 * <p>A merge is a few steps, each idempotent, recorded on a {@code MERGE} item in the duplicate's
 * partition, so that one that dies half-way is finished by repeating the request:
 * <ol>
 * <li>one transaction: the record (new), a lock in the primary's partition (one merge into a customer at
 * a time), the duplicate's profile {@code merged} with {@code mergedInto} (it leaves every index, frees its
 * email, leaves the tenant's counters), its activity, and checks that the primary is live and that
 * nothing is being merged into the duplicate;</li>
 * <li>each of its items is kept, dropped or moved as its item type's merge policy says ({@link CustomerPartition}):
 * its payments (and their pointers), cards (dropped where the primary holds the same card), point lots,
 * statement lines, notes and activities move, one item at a time: a conditional copy into the primary's
 * partition, then a conditional delete;</li>
 * <li>the two points balances become one, in one transaction with the record's step ({@link LoyaltyRepository#absorb});</li>
 * <li>the primary's stats are recomputed from its ledger, now both ledgers, which also moves the counters;</li>
 * <li>the record {@code done}, the lock released, the primary's activity and profile (the duplicate's
 * currency and card references when it had none, and its subscription figures added to the primary's,
 * with the tenant's counters), in one transaction.</li>
 * </ol>
 */
public final class MergeService {

    /** A test's hook into a running merge: called after each item moved and after each step. */
    public interface Checkpoint {
        Checkpoint NONE = step -> { };

        void reached(String step);
    }

    private static final int MAX_ATTEMPTS = 5;

    private final ItemRegistry types;
    private final MergeRepository merges;
    private final CustomerRepository customers;
    private final LoyaltyRepository loyalty;
    private final RecomputeService recompute;
    private final Clock clock;
    private final Checkpoint checkpoint;

    public MergeService(MergeRepository merges, CustomerRepository customers, LoyaltyRepository loyalty, RecomputeService recompute,
                        Clock clock, Checkpoint checkpoint) {
        this(CustomerPartition.TYPES, merges, customers, loyalty, recompute, clock, checkpoint);
    }

    /** The merge over the item types of {@code types} (a test adds one of its own). */
    public MergeService(ItemRegistry types, MergeRepository merges, CustomerRepository customers, LoyaltyRepository loyalty,
                        RecomputeService recompute, Clock clock, Checkpoint checkpoint) {
        this.types = types;
        this.merges = merges;
        this.customers = customers;
        this.loyalty = loyalty;
        this.recompute = recompute;
        this.clock = clock;
        this.checkpoint = checkpoint;
    }

    /** {@code userId} asks for {@code duplicateId} to be merged into {@code primaryId}, or ({@code dryRun}) for the preview. */
    public record MergeCommand(String tenant, String primaryId, String duplicateId, boolean dryRun, String userId) {
    }

    /** {@code POST /customers/{primaryId}/merge}: the preview ({@code dryRun}) or the merge. */
    public Merge merge(MergeCommand command) {
        String tenant = command.tenant();
        String primaryId = command.primaryId();
        String duplicateId = command.duplicateId();
        boolean dryRun = command.dryRun();
        String userId = command.userId();
        if (duplicateId == null || duplicateId.isBlank()) {
            throw ApiException.invalid("duplicateId", "is required");
        }
        if (!Ids.isValid(Ids.CUSTOMER, duplicateId)) {
            throw ApiException.invalid("duplicateId", "must be a customer id (cus_…)");
        }
        if (!Ids.isValid(Ids.CUSTOMER, primaryId)) {
            throw ApiException.notFound("Customer " + primaryId);
        }
        if (duplicateId.equals(primaryId)) {
            throw new ApiException(400, "self_merge", "A customer cannot be merged into itself",
                    "duplicateId: is the customer being merged into", List.of(new FieldError("duplicateId", "is the primary customer itself")),
                    Map.of(), Map.of());
        }
        for (int attempt = 1; ; attempt++) {
            var existing = merges.record(tenant, duplicateId);
            if (existing.isPresent()) {
                var record = existing.get();
                if (!record.primaryId().equals(primaryId) || dryRun) {
                    throw alreadyMerged(duplicateId, record.primaryId());
                }
                return resume(tenant, record);
            }
            var duplicate = live(tenant, duplicateId, false);
            var primary = live(tenant, primaryId, true);
            if (primary.currency() != null && duplicate.currency() != null && !primary.currency().equals(duplicate.currency())) {
                throw new ApiException(409, "currency_mismatch", "Currencies differ", "Customer " + primaryId + " pays in "
                        + primary.currency() + " and " + duplicateId + " in " + duplicate.currency()
                        + ": their payments and stats cannot be added up", List.of(),
                        Map.of("primaryCurrency", primary.currency(), "duplicateCurrency", duplicate.currency()), Map.of());
            }
            merges.mergeRunningInto(tenant, duplicateId).ifPresent(other -> {
                throw inProgress(other + " is being merged into " + duplicateId + "; merge " + duplicateId + " when that is done");
            });
            merges.mergeRunningInto(tenant, primaryId).filter(other -> !other.equals(duplicateId)).ifPresent(other -> {
                throw inProgress(other + " is being merged into " + primaryId + "; repeat when that is done");
            });
            var items = merges.items(tenant, duplicateId, "");
            var moves = moves(types, items, new Context(tenant, primaryId, duplicateId));
            if (dryRun) {
                return new Merge(primaryId, duplicateId, true, "preview", moves, preview(tenant, primary, duplicate, items), null, null, null);
            }
            Instant now = clock.instant();
            var card = duplicate.paymentMethod() == null || moves.paymentMethodsDropped().contains(duplicate.paymentMethod().id())
                    ? null : duplicate;
            var record = new MergeRecord(primaryId, duplicateId, MergeRecord.Status.RUNNING, false, moves, null,
                    new MergeRecord.Carried(duplicate.currency(), card == null ? null : card.paymentMethod(),
                            card == null ? null : card.defaultPaymentMethodId(), duplicate.subscriptions(), duplicate.balance()),
                    userId, now, null);
            try {
                customers.markMerged(tenant, duplicate, primaryId, now,
                        List.of(merges.start(tenant, record), merges.lock(tenant, primaryId, duplicateId)),
                        List.of(CustomerRepository.liveCheck(tenant, primaryId), merges.noMergeInto(tenant, duplicateId)));
            } catch (CustomerRepository.StaleVersion raced) {
                // another request started this merge, or one of the two changed: read again
                if (attempt == MAX_ATTEMPTS) {
                    throw changed();
                }
                continue;
            }
            checkpoint.reached("started");
            return resume(tenant, record);
        }
    }

    /** The live customer, or the problem that says why not (404, or 409 for a merged one). */
    private Customer live(String tenant, String id, boolean primary) {
        return customers.find(tenant, id).orElseThrow(() -> customers.mergedInto(tenant, id)
                .map(into -> primary
                        ? new ApiException(409, "merge_chain", "Customer merged",
                        "Customer " + id + " was merged into " + into + "; merge into " + into + " instead", List.of(),
                        Map.of("mergedInto", into), Map.of())
                        : alreadyMerged(id, into))
                .orElseGet(() -> ApiException.notFound("Customer " + id)));
    }

    private static ApiException alreadyMerged(String id, String into) {
        return new ApiException(409, "customer_merged", "Customer merged", "Customer " + id + " was merged into " + into
                + " already", List.of(new FieldError("duplicateId", "was merged into " + into)), Map.of("mergedInto", into), Map.of());
    }

    private static ApiException inProgress(String detail) {
        return new ApiException(409, "merge_in_progress", "Another merge is running", detail);
    }

    private static ApiException changed() {
        return new ApiException(409, "merge_interrupted", "The customers changed while merging",
                "The customers kept changing while the merge ran; repeat the request to finish it");
    }

    // ---- the steps ------------------------------------------------------------------------------------

    private Merge resume(String tenant, MergeRecord record) {
        if (record.status() == MergeRecord.Status.DONE) {
            return done(tenant, record);
        }
        moveItems(tenant, record);
        checkpoint.reached("moved");
        record = movePoints(tenant, record);
        checkpoint.reached("points");
        try {
            recompute.recompute(tenant, record.primaryId()).orElseThrow(MergeService::changed);
        } catch (IllegalStateException busy) {
            throw changed();
        }
        checkpoint.reached("recomputed");
        return finish(tenant, record);
    }

    /**
     * Step 2: every item of the duplicate, as its type's merge policy says: kept, dropped, or moved into the
     * primary's partition, one at a time (each move can be repeated, and run twice at once).
     */
    private void moveItems(String tenant, MergeRecord record) {
        var merge = new Context(tenant, record.primaryId(), record.duplicateId());
        for (var item : merges.items(tenant, record.duplicateId(), "")) {
            String sk = item.path(Table.SK).asText();
            var type = types.typeOf(sk);
            if (type.isEmpty()) {
                continue;
            }
            var policy = type.get().merge();
            switch (policy.planner().plan(item, merge)) {
                case KEEP -> {
                    continue;
                }
                case DROP -> merges.delete(merge.from(), sk, null);
                case MOVE -> {
                    try {
                        policy.mover().move(item, merge);
                    } catch (MergeContext.Interrupted e) {
                        throw changed();
                    }
                }
            }
            checkpoint.reached("moved " + sk);
        }
    }

    /** Step 3: the balances as one, once. */
    private MergeRecord movePoints(String tenant, MergeRecord record) {
        if (record.pointsMoved()) {
            return record;
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var after = record.withPointsMoved();
            try {
                loyalty.absorb(tenant, record.primaryId(), loyalty.balance(tenant, record.primaryId()), record.duplicateId(),
                        loyalty.balance(tenant, record.duplicateId()), merges.advance(tenant, record, after));
                return after;
            } catch (Refused conflict) {
                var now = merges.record(tenant, record.duplicateId()).orElseThrow(MergeService::changed);
                if (now.pointsMoved()) {
                    return now;
                }
            }
        }
        throw changed();
    }

    /** Step 5: the record done, the lock released, the primary's activity and what its profile takes over. */
    private Merge finish(String tenant, MergeRecord record) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var primary = customers.find(tenant, record.primaryId()).orElseThrow(MergeService::changed);
            Instant now = clock.instant();
            var carried = record.carried();
            var after = primary;
            if (carried != null && primary.currency() == null && carried.currency() != null) {
                after = after.withCurrency(carried.currency(), now);
            }
            if (carried != null && primary.paymentMethod() == null && carried.paymentMethod() != null) {
                after = after.withCards(carried.paymentMethod(), carried.defaultPaymentMethodId(), now);
            }
            if (carried != null && carried.subscriptions() != null && carried.subscriptions().total() > 0) {
                // the duplicate's subscriptions moved: their figures join the primary's (and its counters, in finish)
                after = after.withSubscriptions(after.subscriptions().plus(carried.subscriptions()));
            }
            if (carried != null && carried.balance() != null && carried.balance().outstanding() > 0
                    && after.balance().accepts(carried.balance())) {
                // the duplicate's open invoices moved: what they ask joins the primary's balance
                after = after.withBalance(after.balance().plus(carried.balance()));
            }
            var outcome = new MergeRecord.Outcome(after.stats(), loyalty.balance(tenant, record.primaryId()).available(),
                    after.currency());
            var done = record.done(outcome, now);
            var activity = new Activity(now, Activity.Kind.MERGED, "Merged " + record.duplicateId() + " into this customer",
                    record.duplicateId()).put(tenant, record.primaryId());
            try {
                merges.finish(tenant, record, done, activity, after == primary ? null : customers.profileUpdate(tenant, primary, after),
                        TenantCounters.difference(primary, after));
                checkpoint.reached("done");
                return new Merge(done.primaryId(), done.duplicateId(), false, "merged", done.moves(), outcome, after,
                        done.startedAt(), done.finishedAt());
            } catch (MergeRepository.Changed raced) {
                var current = merges.record(tenant, record.duplicateId()).orElseThrow(MergeService::changed);
                if (current.status() == MergeRecord.Status.DONE) {
                    return done(tenant, current);
                }
            }
        }
        throw changed();
    }

    /** A merge done: what it moved and the figures it left, with the primary as it is now. */
    private Merge done(String tenant, MergeRecord record) {
        var primary = customers.find(tenant, record.primaryId()).orElse(null);
        return new Merge(record.primaryId(), record.duplicateId(), false, "merged", record.moves(), record.result(), primary,
                record.startedAt(), record.finishedAt());
    }

    // ---- the plan ---------------------------------------------------------------------------------

    /** A merge of two customers as the item types' merge policies see it: the primary's items read once per shape. */
    private final class Context implements MergeContext {
        private final String tenant;
        private final String primaryId;
        private final String duplicateId;
        private final Map<SortKey, List<ObjectNode>> primaryItems = new HashMap<>();

        Context(String tenant, String primaryId, String duplicateId) {
            this.tenant = tenant;
            this.primaryId = primaryId;
            this.duplicateId = duplicateId;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public String primaryId() {
            return primaryId;
        }

        @Override
        public String duplicateId() {
            return duplicateId;
        }

        @Override
        public String from() {
            return Keys.customer(tenant, duplicateId);
        }

        @Override
        public String to() {
            return Keys.customer(tenant, primaryId);
        }

        @Override
        public List<ObjectNode> primaryItems(SortKey shape) {
            return primaryItems.computeIfAbsent(shape, s -> merges.items(tenant, primaryId, s.value()).stream()
                    .filter(item -> s.matches(item.path(Table.SK).asText())).toList());
        }

        @Override
        public ItemStore store() {
            return merges;
        }
    }

    /**
     * What moves, counted from the duplicate's items as their types' merge policies decide: per counter, the
     * items that move; the ids of the cards dropped (the primary holds the same card).
     */
    static MergeRecord.Moves moves(ItemRegistry types, List<ObjectNode> items, MergeContext merge) {
        var counts = new HashMap<String, Integer>();
        var dropped = new HashMap<String, List<String>>();
        for (var item : items) {
            var type = types.typeOf(item.path(Table.SK).asText());
            if (type.isEmpty() || type.get().merge().counter() == null) {
                continue;
            }
            String counter = type.get().merge().counter();
            switch (type.get().merge().planner().plan(item, merge)) {
                case MOVE -> counts.merge(counter, 1, Integer::sum);
                case DROP -> dropped.computeIfAbsent(counter, c -> new ArrayList<>()).add(item.path("id").asText());
                case KEEP -> { }
            }
        }
        return MergeRecord.Moves.counted(counts, dropped);
    }

    /** The primary's figures after the merge, computed without writing: the fold of both ledgers, the points summed. */
    private MergeRecord.Outcome preview(String tenant, Customer primary, Customer duplicate, List<ObjectNode> duplicateItems) {
        var ledger = new ArrayList<Payment>();
        merges.items(tenant, primary.id(), PaymentItems.PAYMENT).forEach(item -> ledger.add(PaymentRepository.payment(Items.document(item))));
        duplicateItems.stream().filter(item -> item.path(Table.SK).asText().startsWith(PaymentItems.PAYMENT))
                .forEach(item -> ledger.add(PaymentRepository.payment(Items.document(item))));
        long points = loyalty.balance(tenant, primary.id()).available() + loyalty.balance(tenant, duplicate.id()).available();
        return new MergeRecord.Outcome(StatsFold.fromLedger(ledger), points,
                primary.currency() != null ? primary.currency() : duplicate.currency());
    }
}
