package com.clientele.shared.http;

import com.clientele.shared.Json;
import com.clientele.shared.Table;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code Idempotency-Key} for writes that move money, as Stripe does it. A request first
 * {@link #check}s its key (a replay is answered before anything else is read), is validated, then
 * {@link #claim}s the key (a conditional put) and names the resource it is creating; its final response is
 * stored in the same transaction as the resource's final state ({@link #completion}). Then:
 * a replay gets the stored response with {@code Idempotent-Replayed: true}; the same key with
 * another request is 422; a key whose first request is still running is 409. A claim whose request
 * died (its lock ran out) is taken over by the next request with the key, which resumes the same
 * resource. Keys live 24 hours (the table's TTL removes them).
 *
 * <p>Requests refused by validation are not stored: the key can be reused once they are fixed.
 */
public final class Idempotency {

    /** Sort key of an idempotency key's item (its partition is {@link #idempotencyKey}). */
    public static final String IDEMPOTENCY = "IDEMPOTENCY";

    public static String idempotencyKey(String tenantId, String key) {
        return com.clientele.shared.Keys.tenant(tenantId) + "#IDEM#" + key;
    }


    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 255;
    static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than any function's timeout: a running request keeps its claim. */
    static final Duration LOCK = Duration.ofSeconds(60);
    private static final String IN_PROGRESS = "in_progress";
    private static final String COMPLETED = "completed";

    private final DynamoDbTable<EnhancedDocument> table;
    private final Clock clock;

    public Idempotency(DynamoDbEnhancedClient client, String tableName, Clock clock) {
        this.table = client.table(tableName, Table.SCHEMA);
        this.clock = clock;
    }

    /** What {@link #check} or {@link #claim} found: a stored response to replay, a free key, or a claim. */
    public sealed interface Start permits Replay, Free, Claim {
    }

    public record Replay(ApiResponse response) implements Start {
    }

    /** Nobody holds the key: it is new, or the request that held it died ({@code held} is its item). */
    public record Free(String tenant, String key, String requestHash, EnhancedDocument held) implements Start {
    }

    /**
     * This request holds the key. {@code resourceId} is the id of what it creates; when
     * {@code resumed}, an earlier request with this key died and the resource may exist already.
     */
    public record Claim(String tenant, String key, String requestHash, String resourceId, boolean resumed) implements Start {
    }

    /** The key the request carries, checked, or a 400 naming the header. */
    public static String key(ApiRequest request) {
        String key = request.header(HEADER).map(String::strip).orElse("");
        if (key.isEmpty()) {
            throw ApiException.invalid(HEADER, "is required: send a unique key (a UUID, say) per operation, and the same key when you retry it");
        }
        if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiException.invalid(HEADER, "must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters without spaces");
        }
        return key;
    }

    /**
     * First step, before the request is validated: a replay of the stored response, or the key is
     * free. 422 if the key was used with another request, 409 while that request runs.
     */
    public Start check(String tenant, ApiRequest request) {
        return check(tenant, key(request), hash(request));
    }

    private Start check(String tenant, String key, String hash) {
        var existing = table.getItem(r -> r.key(key(tenant, key)).consistentRead(true));
        Instant now = clock.instant();
        if (existing == null || expired(existing, now)) {
            return new Free(tenant, key, hash, null);
        }
        if (!hash.equals(existing.getString("requestHash"))) {
            throw new ApiException(422, "idempotency_key_reused", "Idempotency key reused",
                    "This Idempotency-Key was used with another request; use a new key for a new operation");
        }
        if (COMPLETED.equals(existing.getString("state"))) {
            return new Replay(stored(existing));
        }
        if (Instant.parse(existing.getString("lockedUntil")).isAfter(now)) {
            throw inUse();
        }
        return new Free(tenant, key, hash, existing);
    }

    /**
     * Second step, once the request is known to be valid: claims the free key for it (a conditional
     * put). A request that died is resumed with its resource id; if another request claimed the key
     * first, its outcome applies (a replay, or 409 while it runs).
     */
    public Start claim(Free free, Supplier<String> newResourceId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            boolean resumed = free.held() != null;
            var claim = new Claim(free.tenant(), free.key(), free.requestHash(),
                    resumed ? free.held().getString("resourceId") : newResourceId.get(), resumed);
            try {
                table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(item(claim, IN_PROGRESS, clock.instant().plus(LOCK), null))
                        .conditionExpression(resumed
                                ? Expression.builder().expression("lockedUntil = :seen")
                                        .putExpressionValue(":seen", AttributeValue.fromS(free.held().getString("lockedUntil"))).build()
                                : Expression.builder().expression("attribute_not_exists(PK) OR #ttl < :now")
                                        .putExpressionName("#ttl", Table.TTL)
                                        .putExpressionValue(":now", AttributeValue.fromN(Long.toString(clock.instant().getEpochSecond()))).build())
                        .build());
                return claim;
            } catch (ConditionalCheckFailedException raced) {
                var now = check(free.tenant(), free.key(), free.requestHash());
                if (!(now instanceof Free again)) {
                    return now;
                }
                free = again;
            }
        }
        throw inUse();
    }

    private static ApiException inUse() {
        return new ApiException(409, "idempotency_key_in_use", "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry shortly with the same key");
    }

    /** The claim's final response, to be written in the transaction that finishes its resource. */
    public TransactPutItemEnhancedRequest<EnhancedDocument> completion(Claim claim, ApiResponse response) {
        return TransactPutItemEnhancedRequest.builder(EnhancedDocument.class)
                .item(item(claim, COMPLETED, clock.instant(), response))
                .conditionExpression(ownedBy(claim))
                .build();
    }

    /** Lets the next request with the key take over at once (its outcome is still open). */
    public void release(Claim claim) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(item(claim, IN_PROGRESS, clock.instant(), null))
                    .conditionExpression(ownedBy(claim)).build());
        } catch (ConditionalCheckFailedException lost) {
            // someone else holds it now
        }
    }

    /** Forgets the claim: nothing was done under it (the request failed validation). */
    public void abandon(Claim claim) {
        if (!claim.resumed()) {
            table.deleteItem(r -> r.key(key(claim.tenant(), claim.key())).conditionExpression(ownedBy(claim)));
        } else {
            release(claim);
        }
    }

    private static Expression ownedBy(Claim claim) {
        return Expression.builder().expression("resourceId = :id AND #s = :running")
                .putExpressionName("#s", "state")
                .putExpressionValue(":id", AttributeValue.fromS(claim.resourceId()))
                .putExpressionValue(":running", AttributeValue.fromS(IN_PROGRESS)).build();
    }

    private EnhancedDocument item(Claim claim, String state, Instant lockedUntil, ApiResponse response) {
        var item = Table.item()
                .putString(Table.PK, idempotencyKey(claim.tenant(), claim.key()))
                .putString(Table.SK, IDEMPOTENCY)
                .putString("entity", "idempotencyKey")
                .putString("state", state)
                .putString("requestHash", claim.requestHash())
                .putString("resourceId", claim.resourceId())
                .putString("lockedUntil", lockedUntil.toString())
                .putNumber(Table.TTL, clock.instant().plus(RETENTION).getEpochSecond());
        if (response != null) {
            item.putNumber("responseStatus", response.status())
                    .putString("responseHeaders", Json.write(response.headers()))
                    .putString("responseBody", Json.write(response.body()));
        }
        return item.build();
    }

    private static ApiResponse stored(EnhancedDocument item) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            Json.MAPPER.readTree(item.getString("responseHeaders")).properties()
                    .forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            headers.put("Idempotent-Replayed", "true");
            Object body = Json.MAPPER.readTree(item.getString("responseBody"));
            return new ApiResponse(item.getNumber("responseStatus").intValue(), headers, body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored response is not JSON", e);
        }
    }

    private static boolean expired(EnhancedDocument item, Instant now) {
        // The TTL sweeper runs late: an item past its time is gone as far as callers are concerned.
        return item.getNumber(Table.TTL).longValue() < now.getEpochSecond();
    }

    private static Key key(String tenant, String idempotencyKey) {
        return Key.builder().partitionValue(idempotencyKey(tenant, idempotencyKey)).sortValue(IDEMPOTENCY).build();
    }

    /** What makes two requests "the same": route, path and body. */
    static String hash(ApiRequest request) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(request.routeKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(request.path()).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(request.body() == null ? new byte[0] : request.body().strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
