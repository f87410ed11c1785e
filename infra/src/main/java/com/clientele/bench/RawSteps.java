package com.clientele.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the raw baselines of the benchmarks share: each raw call timed on its own ({@link #steps}), the
 * transaction puts they build, and copies of a model's items with another request's tenant and ids.
 */
final class RawSteps {

    private final String table;
    /** Each call's own time, since the last clear. */
    private final Map<String, Samples> steps = new LinkedHashMap<>();

    RawSteps(String table) {
        this.table = table;
    }

    /** Runs {@code call}, timed as {@code name}. */
    <T> T step(String name, Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        steps.computeIfAbsent(name, k -> new Samples()).addNanos(System.nanoTime() - start);
        return result;
    }

    void clear() {
        steps.clear();
    }

    /** Each call's p50 and p99, a line each, its name in a column {@code width} wide. */
    void print(int width) {
        steps.forEach((step, samples) -> System.out.printf("  %-" + width + "s %7.2f %8.2f%n", step, samples.percentile(50),
                samples.percentile(99)));
    }

    /** A put of {@code item} into the table for a transaction, under {@code condition} (none when null). */
    TransactWriteItem put(Map<String, AttributeValue> item, String condition, Map<String, String> names,
                          Map<String, AttributeValue> values) {
        var put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition);
        }
        if (!names.isEmpty()) {
            put.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            put.expressionAttributeValues(values);
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** An item a model request stored (consistent), which must be there. */
    static Map<String, AttributeValue> read(DynamoDbClient dynamo, String table, String pk, String sk) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(WarmBenchmark.key(pk, sk))).item();
        if (item.isEmpty()) {
            throw new IllegalStateException("no item " + pk + " " + sk);
        }
        return item;
    }

    /** A model's item with each of {@code names}' keys replaced by its value in every string, nested ones too. */
    static Map<String, AttributeValue> rename(Map<String, AttributeValue> item, Map<String, String> names) {
        var renamed = new HashMap<String, AttributeValue>();
        item.forEach((name, value) -> renamed.put(name, rename(value, names)));
        return renamed;
    }

    private static AttributeValue rename(AttributeValue value, Map<String, String> names) {
        if (value.s() != null) {
            return AttributeValue.fromS(rename(value.s(), names));
        }
        if (value.hasM()) {
            return AttributeValue.fromM(rename(value.m(), names));
        }
        if (value.hasL()) {
            return AttributeValue.fromL(value.l().stream().map(v -> rename(v, names)).toList());
        }
        return value;
    }

    static String rename(String text, Map<String, String> names) {
        for (var entry : names.entrySet()) {
            text = text.replace(entry.getKey(), entry.getValue());
        }
        return text;
    }
}
