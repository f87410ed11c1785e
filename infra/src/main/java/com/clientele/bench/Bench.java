package com.clientele.bench;

import com.clientele.shared.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** What the benchmarks share: their options and where the repository's files are. */
final class Bench {

    private Bench() {
    }

    /** The options, whether Maven passed them as separate arguments or as one (possibly empty) string. */
    static List<String> options(String[] args) {
        String joined = String.join(" ", args).strip();
        return joined.isEmpty() ? List.of() : List.of(joined.split("\\s+"));
    }

    static int intOption(List<String> options, int index, int fallback) {
        return options.size() > index ? Integer.parseInt(options.get(index)) : fallback;
    }

    static Path template() {
        return Path.of(System.getProperty("clientele.template", "template.yaml")).toAbsolutePath();
    }

    /**
     * Times {@code request} on every way in turn, request by request, so that noise falls on all of
     * them alike: {@code warmUp} untimed rounds, then {@code requests} timed ones. {@code request} gets
     * the way and the round's number, counting the warm-up.
     */
    static <W> Map<W, Samples> interleave(List<W> ways, int warmUp, int requests, ObjIntConsumer<W> request) {
        var results = new LinkedHashMap<W, Samples>();
        ways.forEach(way -> results.put(way, new Samples()));
        for (int i = 0; i < warmUp + requests; i++) {
            for (var way : ways) {
                long start = System.nanoTime();
                request.accept(way, i);
                long elapsed = System.nanoTime() - start;
                if (i >= warmUp) {
                    results.get(way).addNanos(elapsed);
                }
            }
        }
        return results;
    }

    /** Puts up to 25 items with BatchWriteItem, again and again until DynamoDB has taken every one. */
    static void batchWrite(DynamoDbClient dynamo, String table,
                           List<Map<String, AttributeValue>> chunk) {
        List<WriteRequest> requests = chunk.stream()
                .map(item -> WriteRequest.builder()
                        .putRequest(p -> p.item(item)).build()).toList();
        while (!requests.isEmpty()) {
            var pending = requests;
            requests = dynamo.batchWriteItem(r -> r.requestItems(Map.of(table, pending))).unprocessedItems()
                    .getOrDefault(table, List.of());
        }
    }

    /** Fails the benchmark unless {@code holds}: its figures would mean nothing. */
    static void check(boolean holds, String problem) {
        if (!holds) {
            throw new IllegalStateException(problem);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A raw floor's put for a transaction, with its condition and values (none when null or empty). */
    static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        var put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition);
        }
        if (values != null && !values.isEmpty()) {
            put.expressionAttributeValues(values);
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Table.PK, AttributeValue.fromS(pk), Table.SK, AttributeValue.fromS(sk));
    }

    /** {@code work} on every item, {@code parallelism} at once (on virtual threads), until all are done; a failure is thrown. */
    static <T> void atOnce(List<T> items, int parallelism, Consumer<T> work) throws Exception {
        var slots = new Semaphore(parallelism);
        var done = new ArrayList<Future<?>>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var item : items) {
                slots.acquireUninterruptibly();
                done.add(threads.submit(() -> {
                    try {
                        work.accept(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (var d : done) {
            d.get();
        }
    }
}
