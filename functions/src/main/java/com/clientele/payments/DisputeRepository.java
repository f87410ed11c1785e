package com.clientele.payments;

import com.clientele.payments.PaymentRepository.StoredPayment;
import com.clientele.shared.Activity;
import com.clientele.shared.Items;
import com.clientele.shared.Keys;
import com.clientele.shared.Pages;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.TransactPut;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.OutboxEvent;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.MergePolicy;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Disputes in the single table: one item per dispute ({@code DSP#dp_...}) in its payment's partition (the customer's,
 * or a guest payment's own), indexed tenant-wide by GSI1 ({@code T#<t>#DISPUTES}) and by status in GSI2
 * ({@code T#<t>#DISPUTES#<status>}), both sorted by id (time-ordered); a pointer from our id ({@code T#<t>#DISPUTE#dp_...})
 * and one from the processor's ({@code T#<t>#DISPUTE#PROC#...}), which exists once: a dispute is recorded once. Every
 * write of a dispute carries its payment's new state (the ledger entry), its events (outbox) and its activity in one
 * transaction.
 */
public final class DisputeRepository {

    private static final String ENTITY = "entity";
    private static final String HOME = "home";
    private static final String DISPUTE_ID = "disputeId";
    private static final Set<String> ITEM_ONLY = Set.of(ENTITY, HOME);

    private final DynamoDbEnhancedClient client;
    private final DynamoDbTable<EnhancedDocument> table;
    private final Outbox outbox;

    public DisputeRepository(DynamoDbEnhancedClient client, String tableName, Outbox outbox) {
        this.client = client;
        this.table = client.table(tableName, Table.SCHEMA);
        this.outbox = outbox;
    }

    /** A dispute with the partition it lives in (its payment's). */
    record StoredDispute(Dispute dispute, String home) {
    }

    /** The processor's dispute is recorded already. */
    static final class AlreadyRecorded extends RuntimeException {
        AlreadyRecorded() {
            super(null, null, false, false);
        }
    }

    /** What a dispute's write carries besides the dispute: its payment before and after, its events and its activity. */
    record Effects(StoredPayment paymentBefore, StoredPayment paymentAfter, List<OutboxEvent> events, Activity activity,
                   TransactPut completion) {
    }

    /** A dispute by our id: its pointer, then the dispute (two reads). */
    Optional<StoredDispute> dispute(String tenant, String disputeId) {
        return follow(get(PaymentItems.disputePointer(tenant, disputeId), PaymentItems.POINTER));
    }

    /** A dispute by the processor's id: its pointer, then the dispute (two reads). */
    Optional<StoredDispute> byProcessorId(String tenant, String processorDisputeId) {
        return follow(get(PaymentItems.processorDisputePointer(tenant, processorDisputeId), PaymentItems.POINTER));
    }

    private Optional<StoredDispute> follow(EnhancedDocument pointer) {
        if (pointer == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(get(pointer.getString(HOME), PaymentItems.disputeSortKey(pointer.getString(DISPUTE_ID))))
                .map(DisputeRepository::stored);
    }

    /** A customer's disputes, newest first. */
    Pages.Slice ofCustomer(String tenant, String customerId, int limit, Map<String, String> after) {
        var condition = QueryConditional.sortBeginsWith(k -> k.partitionValue(Keys.customer(tenant, customerId))
                .sortValue(PaymentItems.DISPUTE));
        return Pages.read(table::query, null, condition, false, limit, after, null);
    }

    /** The tenant's disputes, of one status when given, newest first (GSI2 by status, GSI1 all). */
    Pages.Slice ofTenant(String tenant, DisputeStatus status, int limit, Map<String, String> after) {
        var index = status == null ? Index.GSI1 : Index.GSI2;
        String partition = status == null ? PaymentItems.tenantDisputes(tenant) : PaymentItems.tenantDisputes(tenant, status);
        return Pages.read(table.index(index.name())::query, index, QueryConditional.keyEqualTo(k -> k.partitionValue(partition)),
                false, limit, after, null);
    }

    /**
     * A new dispute, its pointers (the processor's only if absent: {@link AlreadyRecorded} otherwise), its payment's new
     * state (at the version read), events and activity: one transaction.
     */
    void insert(String tenant, StoredDispute created, Effects effects) {
        var dispute = created.dispute();
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(pointer(PaymentItems.processorDisputePointer(tenant, dispute.processorDisputeId()), dispute.id(), created.home()))
                        .conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build()).build())
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(item(tenant, created)).conditionExpression(Expression.builder().expression("attribute_not_exists(PK)").build())
                        .build())
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(pointer(PaymentItems.disputePointer(tenant, dispute.id()), dispute.id(), created.home())).build());
        write(tenant, tx, created.home(), effects, true);
    }

    /** A dispute's new state if it is still at {@code before}'s version, with its effects: one transaction. */
    void update(String tenant, StoredDispute before, Dispute after, Effects effects) {
        var tx = TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(item(tenant, new StoredDispute(after, before.home())))
                        .conditionExpression(PaymentRepository.isVersion(before.dispute().version())).build());
        write(tenant, tx, before.home(), effects, false);
    }

    private void write(String tenant, TransactWriteItemsEnhancedRequest.Builder tx, String home, Effects effects, boolean inserting) {
        if (effects.paymentAfter() != null) {
            tx.addPutItem(table, TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(PaymentRepository.paymentItem(tenant, effects.paymentAfter()))
                    .conditionExpression(PaymentRepository.isVersion(effects.paymentBefore().payment().version())).build());
        }
        effects.events().forEach(event -> tx.addPutItem(table, outbox.put(home, event)));
        String customerId = effects.paymentAfter() != null ? effects.paymentAfter().payment().customerId()
                : effects.paymentBefore() == null ? null : effects.paymentBefore().payment().customerId();
        if (effects.activity() != null && customerId != null) {
            tx.addPutItem(table, effects.activity().put(tenant, customerId));
        }
        if (effects.completion() != null) {
            tx.addPutItem(table, effects.completion().request());
        }
        try {
            client.transactWriteItems(tx.build());
        } catch (TransactionCanceledException e) {
            var reasons = e.cancellationReasons();
            if (inserting && !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new AlreadyRecorded();
            }
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                throw new PaymentRepository.Conflict();
            }
            throw e;
        }
    }

    /** The dispute an item holds, as the API shows it. */
    static Dispute dispute(EnhancedDocument item) {
        return stored(item).dispute();
    }

    private static StoredDispute stored(EnhancedDocument item) {
        return new StoredDispute(Items.read(item, Dispute.class, ITEM_ONLY), item.getString(HOME));
    }

    private static EnhancedDocument item(String tenant, StoredDispute stored) {
        var dispute = stored.dispute();
        ObjectNode json = Items.attributes(dispute);
        json.put(Table.PK, stored.home()).put(Table.SK, PaymentItems.disputeSortKey(dispute.id())).put(ENTITY, "dispute")
                .put(HOME, stored.home())
                .put(Index.GSI1.pk(), PaymentItems.tenantDisputes(tenant)).put(Index.GSI1.sk(), dispute.id())
                .put(Index.GSI2.pk(), PaymentItems.tenantDisputes(tenant, dispute.status())).put(Index.GSI2.sk(), dispute.id());
        return Items.document(json);
    }

    private static EnhancedDocument pointer(String partition, String disputeId, String home) {
        return Table.item().putString(Table.PK, partition).putString(Table.SK, PaymentItems.POINTER)
                .putString(ENTITY, "disputePointer").putString(DISPUTE_ID, disputeId).putString(HOME, home).build();
    }

    /**
     * A merge's move of a duplicate's dispute ({@link PaymentItems#types}): copied into the primary's partition at the
     * version read, its two pointers moved to it, then the original deleted at that version (again if it changed).
     */
    static void moveIntoPrimary(ObjectNode item, MergeContext merge) {
        MergePolicy.moveAtVersion(item, merge, copy -> copy.put(HOME, merge.to()), moved -> {
            String disputeId = moved.path("id").asText();
            merge.store().put(Items.json(pointer(PaymentItems.disputePointer(merge.tenant(), disputeId), disputeId, merge.to())));
            merge.store().put(Items.json(pointer(PaymentItems.processorDisputePointer(merge.tenant(),
                    moved.path("processorDisputeId").asText()), disputeId, merge.to())));
        });
    }

    private EnhancedDocument get(String partition, String sort) {
        return table.getItem(r -> r.key(Key.builder().partitionValue(partition).sortValue(sort).build()).consistentRead(true));
    }
}
