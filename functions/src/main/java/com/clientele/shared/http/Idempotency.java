package com.clientele.shared.http;

import com.clientele.shared.IdempotentWrite;
import com.clientele.shared.Json;
import com.clientele.shared.Keys;
import com.clientele.shared.Table;
import com.clientele.shared.TransactPut;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code Idempotency-Key} for writes that move money or points, as Stripe does it, run for a route
 * declared idempotent ({@link Router#idempotent}). The key is {@link #check}ed first (a replay is
 * answered before anything else is read); the route parses its command and calls its service with an
 * {@link IdempotentWrite}, through which the service, once it has validated the request, claims the
 * key (a conditional put) and names the resource it creates, and stores its result's response in the
 * same transaction as the resource's final state ({@link IdempotentWrite#completion}). Then: a replay
 * gets the stored response with {@code Idempotent-Replayed: true}; the same key with another request
 * is 422; a key whose first request is still running is 409. A claim whose request died (its lock ran
 * out) is taken over by the next request with the key, which resumes the same resource. Keys live
 * 24 hours (the table's TTL removes them).
 *
 * <p>Requests refused by validation are not stored: the key can be reused once they are fixed. A
 * request that fails after claiming the key gives it up: forgotten if its resource was not started
 * (nothing was done under it), released to the next request with the key otherwise.
 *
 * <p>A request is known by a keyed hash (HMAC-SHA256 with the function's secret) of its route, path
 * and body, never a plain one: a guest payment's body holds a card number, which a plain hash would
 * let anyone holding the table test guesses against. A stored response names the customer it is
 * about and is found by the customer ({@link #customerRecords} in GSI2), so the erasure of the
 * customer's personal data reduces it to the resource's id ({@link #forgetCustomer}).
 */
public final class Idempotency {

    /** Sort key of an idempotency key's item (its partition is {@link #idempotencyKey}). */
    public static final String IDEMPOTENCY = "IDEMPOTENCY";

    public static String idempotencyKey(String tenantId, String key) {
        return Keys.tenant(tenantId) + "#IDEM#" + key;
    }


    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 255;
    static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than any function's timeout: a running request keeps its claim. */
    static final Duration LOCK = Duration.ofSeconds(60);
    private static final String IN_PROGRESS = "in_progress";
    private static final String COMPLETED = "completed";

    private final DynamoDbTable<EnhancedDocument> table;
    private final byte[] secret;
    private final Clock clock;

    /** Keys in {@code tableName}, requests hashed with {@code secret}. */
    public Idempotency(DynamoDbEnhancedClient client, String tableName, String secret, Clock clock) {
        this.table = client.table(tableName, Table.SCHEMA);
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** GSI2 partition of the stored responses about a customer. */
    public static String customerRecords(String tenantId, String customerId) {
        return Keys.tenant(tenantId) + "#IDEM#CUSTOMER#" + customerId;
    }

    /** What {@link #check} or {@link #claim} found: a stored response to replay, a free key, or a claim. */
    sealed interface Start permits Replay, Free, Claim {
    }

    record Replay(ApiResponse response) implements Start {
    }

    /** Nobody holds the key: it is new, or the request that held it died ({@code held} is its item). */
    record Free(String tenant, String key, String requestHash, EnhancedDocument held) implements Start {
    }

    /**
     * This request holds the key. {@code resourceId} is the id of what it creates; when
     * {@code resumed}, an earlier request with this key died and the resource may exist already.
     */
    record Claim(String tenant, String key, String requestHash, String resourceId, boolean resumed) implements Start {
    }

    /**
     * The protocol around one request of an idempotent route: the key checked (a replay answered
     * at once), the command parsed, the service run with its hold on the key, and its result turned
     * into the response (the one its completion stored).
     */
    <C, R> ApiResponse run(ApiRequest request, Function<ApiRequest, C> command,
                           BiFunction<C, IdempotentWrite<R>, R> service, Function<R, ApiResponse> response) {
        String tenant = request.tenantId();
        String key = key(request);
        String hash = hash(secret, request);
        var checked = check(tenant, key, hash);
        if (checked instanceof Replay replay) {
            return replay.response();
        }
        var parsed = command.apply(request);
        var write = new Write<>((Free) checked, response);
        try {
            return response.apply(service.apply(parsed, write));
        } catch (Replayed replayed) {
            if (replayed.response != null) {
                return replayed.response;
            }
            // an earlier request with this key committed the work, and its response with it
            return ((Replay) check(tenant, key, hash)).response();
        } catch (RuntimeException failed) {
            write.giveUp();
            throw failed;
        }
    }

    /** Ends a request whose outcome is another's: {@code response} (null: the stored one, read again). */
    private static final class Replayed extends RuntimeException {
        final transient ApiResponse response;

        Replayed(ApiResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    /** One request's hold on its key, as its service uses it. */
    private final class Write<R> implements IdempotentWrite<R> {
        private final Free free;
        private final Function<R, ApiResponse> response;
        private Claim claim;
        private boolean started;

        Write(Free free, Function<R, ApiResponse> response) {
            this.free = free;
            this.response = response;
        }

        @Override
        public Claimed claim(Supplier<String> newResourceId) {
            if (claim != null) {
                throw new IllegalStateException("the key is claimed already");
            }
            var start = Idempotency.this.claim(free, newResourceId);
            if (start instanceof Replay replay) {
                throw new Replayed(replay.response());
            }
            claim = (Claim) start;
            return new Claimed(claim.resourceId(), claim.resumed());
        }

        @Override
        public void started() {
            started = true;
        }

        @Override
        public TransactPut completion(R result, String customerId) {
            if (claim == null) {
                throw new IllegalStateException("the key is not claimed");
            }
            return Idempotency.this.completion(claim, customerId, response.apply(result));
        }

        @Override
        public RuntimeException finishedEarlier() {
            return new Replayed(null);
        }

        void giveUp() {
            if (claim == null) {
                return;
            }
            if (started) {
                release(claim);
            } else {
                abandon(claim);
            }
        }
    }

    /** The key the request carries, checked, or a 400 naming the header. */
    static String key(ApiRequest request) {
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
    private Start claim(Free free, Supplier<String> newResourceId) {
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

    /**
     * The claim's final response, to be written in the transaction that finishes its resource;
     * about {@code customerId} (null for a guest payment), in that customer's GSI2 partition.
     */
    private TransactPut completion(Claim claim, String customerId, ApiResponse response) {
        var item = item(claim, COMPLETED, clock.instant(), response);
        if (customerId != null) {
            item = item.toBuilder().putString("customerId", customerId)
                    .putString(Table.Index.GSI2.pk(), customerRecords(claim.tenant(), customerId))
                    .putString(Table.Index.GSI2.sk(), claim.key()).build();
        }
        return new TransactPut(item, ownedBy(claim));
    }

    /** Lets the next request with the key take over at once (its outcome is still open). */
    private void release(Claim claim) {
        try {
            table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                    .item(item(claim, IN_PROGRESS, clock.instant(), null))
                    .conditionExpression(ownedBy(claim)).build());
        } catch (ConditionalCheckFailedException lost) {
            // someone else holds it now
        }
    }

    /** Forgets the claim: nothing was done under it (the request was refused, or failed before its resource was started). */
    private void abandon(Claim claim) {
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

    /**
     * Forgets what the stored responses about a customer said (its personal data is being erased):
     * each keeps its key, request hash, status and resource id, so a retry of the request is still
     * answered as a replay (never done twice), but its body is reduced to {@code {"id": …}} and it
     * leaves the customer's index. How many were rewritten; a repeat finds none.
     */
    public int forgetCustomer(String tenant, String customerId) {
        var request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(customerRecords(tenant, customerId)))).build();
        int forgotten = 0;
        for (var item : table.index(Table.Index.GSI2.name()).query(request).stream().flatMap(page -> page.items().stream()).toList()) {
            var attributes = new LinkedHashMap<>(item.toMap());
            attributes.keySet().removeAll(List.of("customerId", Table.Index.GSI2.pk(), Table.Index.GSI2.sk()));
            attributes.put("responseBody", AttributeValue.fromS(Json.write(Map.of("id", item.getString("resourceId")))));
            try {
                table.putItem(PutItemEnhancedRequest.builder(EnhancedDocument.class)
                        .item(EnhancedDocument.fromAttributeValueMap(attributes))
                        .conditionExpression(Expression.builder().expression("requestHash = :hash")
                                .putExpressionValue(":hash", AttributeValue.fromS(item.getString("requestHash"))).build()).build());
                forgotten++;
            } catch (ConditionalCheckFailedException reused) {
                // the key expired and was used again since: that record is another request's
            }
        }
        return forgotten;
    }

    /** What makes two requests "the same": route, path and body, hashed with the secret. */
    static String hash(byte[] secret, ApiRequest request) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(request.routeKey().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(String.valueOf(request.path()).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(request.body() == null ? new byte[0] : request.body().strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
