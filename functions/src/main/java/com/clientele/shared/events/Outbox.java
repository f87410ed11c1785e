package com.clientele.shared.events;

import com.clientele.shared.Json;
import com.clientele.shared.Table;
import com.clientele.shared.Table.Index;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import com.clientele.shared.logs.Correlation;
import com.clientele.shared.logs.Log;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;

/**
 * The transactional outbox. A service writes an event's outbox item in the same transaction as
 * the change it reports, then {@link #publish}es it at once; only after every queue accepted it is
 * the item deleted. If the function dies between its commit and its send, the item stays, and the
 * scheduled relay ({@link #relayPending}) sends it later. Events may so arrive twice (consumers
 * dedupe by id), never zero times. Either way an event goes with the correlation id of the request
 * that wrote it (kept on its outbox item), so its consumers log that id.
 */
public final class Outbox {

    /** Sort-key prefix of an outbox item: it sits beside what it reports (same partition) until it is relayed. */
    public static final String OUTBOX = "OUTBOX#";
    /**
     * GSI3 partitions of pending outbox items, for the relay. The one key without a tenant: the
     * relay serves every tenant, and reads only these sparse shards.
     */
    public static final int OUTBOX_SHARDS = 4;

    /** The item type of the customer's partition this declares (built once, when the registry loads). */
    public static ItemType itemType() {
        // An event written with its change and not yet relayed (in the relay's sparse GSI3 shards).
        return ItemType.named("outbox").sortKey(SortKey.prefix(OUTBOX))
                .indexKeys(Index.GSI3.pk(), Index.GSI3.sk())
                .merge(MergePolicy.keep()) // deleted once relayed, wherever it is
                .export(ExportPolicy.notExported("an event waiting to be relayed"))
                // deleted as soon as it is relayed; one still waiting that holds the profile is deleted by the erasure
                // (the customer.erased event, written with the erasure, goes on)
                .erasure(ErasurePolicy.deleteWhen(EVENT_TYPE, ObjectEvent.CUSTOMER_CREATED, ObjectEvent.CUSTOMER_UPDATED))
                .softDelete(SoftDeletePolicy.KEEP);
    }

    public static String outboxSortKey(String eventId) {
        return OUTBOX + eventId;
    }

    public static String outboxShard(int shard) {
        return "OUTBOX#" + shard;
    }

    public static int outboxShardOf(String eventId) {
        return Math.floorMod(eventId.hashCode(), OUTBOX_SHARDS);
    }


    private static final String EVENT = "event";
    private static final String EVENT_ID = "eventId";
    private static final String EVENT_TYPE = "eventType";
    /** The correlation id of the request that wrote the event, sent on with it. */
    private static final String CORRELATION_ID = "correlationId";

    private final DynamoDbTable<EnhancedDocument> table;
    private final EventQueues queues;

    public Outbox(DynamoDbEnhancedClient client, String tableName, EventQueues queues) {
        this.table = client.table(tableName, Table.SCHEMA);
        this.queues = queues;
    }

    /**
     * The outbox item for {@code event}, beside the item it reports on (partition {@code home}), with the
     * correlation id of the work writing it, if any.
     */
    public TransactPutItemEnhancedRequest<EnhancedDocument> put(String home, OutboxEvent event) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class).item(item(home, event)).build();
    }

    /** The outbox item for {@code event}, as {@link #put} writes it. */
    public EnhancedDocument item(String home, OutboxEvent event) {
        var item = Table.item()
                .putString(Table.PK, home)
                .putString(Table.SK, outboxSortKey(event.id()))
                .putString(Index.GSI3.pk(), outboxShard(outboxShardOf(event.id())))
                .putString(Index.GSI3.sk(), event.occurredAt() + "#" + event.id())
                .putString("entity", "outbox")
                .putString(EVENT_ID, event.id())
                .putString(EVENT_TYPE, event.type())
                .putString(EVENT, Json.write(event));
        String correlationId = Correlation.current();
        if (correlationId != null) {
            item.putString(CORRELATION_ID, correlationId);
        }
        return item.build();
    }

    /**
     * Sends a committed event and clears its outbox item. A failure is reported to
     * {@code onFailure} and otherwise ignored: the committed change stands, and the relay will send it.
     */
    public void publish(String home, OutboxEvent event, Consumer<RuntimeException> onFailure) {
        try {
            queues.send(event.id(), event.type(), Json.write(event), Correlation.current());
            table.deleteItem(Key.builder().partitionValue(home).sortValue(outboxSortKey(event.id())).build());
        } catch (RuntimeException e) {
            onFailure.accept(e);
        }
    }

    /**
     * Relays every outbox item written before {@code writtenBefore} (younger ones are most likely
     * being published by the function that wrote them). Stops early when {@code budgetLeft} says
     * so; the next run continues. Returns how many events were sent.
     */
    public int relayPending(Instant writtenBefore, java.util.function.BooleanSupplier budgetLeft) {
        int sent = 0;
        for (int shard = 0; shard < OUTBOX_SHARDS; shard++) {
            int s = shard;
            var request = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.sortLessThan(k -> k
                            .partitionValue(outboxShard(s)).sortValue(writtenBefore.toString())))
                    .build();
            for (var page : table.index(Index.GSI3.name()).query(request)) {
                for (var item : page.items()) {
                    if (!budgetLeft.getAsBoolean()) {
                        return sent;
                    }
                    String correlationId = item.getString(CORRELATION_ID);
                    queues.send(item.getString(EVENT_ID), item.getString(EVENT_TYPE), item.getString(EVENT), correlationId);
                    Log.info("event relayed", correlationId, Map.of("event_id", item.getString(EVENT_ID),
                            "event_type", item.getString(EVENT_TYPE)));
                    table.deleteItem(Key.builder().partitionValue(item.getString(Table.PK))
                            .sortValue(item.getString(Table.SK)).build());
                    sent++;
                }
            }
        }
        return sent;
    }
}
