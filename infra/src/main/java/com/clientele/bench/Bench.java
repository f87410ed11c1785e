package com.clientele.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
}
