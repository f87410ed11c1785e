package com.clientele.shared;

import com.clientele.shared.audit.AuditLog;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.logs.Log;
import com.clientele.shared.metrics.EmfMetrics;
import com.clientele.shared.metrics.Metrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A function's composition root: its environment, and each SDK client and each repository or
 * service it uses, built once and only when first asked for (a function builds what it uses and
 * nothing else, which keeps a cold start short). Every handler's Lambda constructor is
 * {@code this(Components.from(System.getenv()))}; each capability's {@code *Wiring} class says how
 * its parts are built from here. Benchmarks and tests put a part of their own {@link #with} it, and
 * the local cloud its clock, which it moves forward on request.
 * Building them also sets the function's log level ({@link Log#configure}: {@code LOG_LEVEL}).
 */
public final class Components {

    private final Env env;
    private final Map<Object, Object> built = new HashMap<>();

    private Components(Env env) {
        this.env = env;
        Log.configure(env);
    }

    public static Components from(Map<String, String> environment) {
        return new Components(new Env(environment));
    }

    public static Components from(Env env) {
        return new Components(env);
    }

    /**
     * These components with {@code part} in place of the one they would build for {@code type}
     * (a benchmark's DynamoDB client that counts calls, a test's event queues that fail); to be
     * called before anything is built.
     */
    public <T> Components with(Class<T> type, T part) {
        built.put(type, part);
        return this;
    }

    /**
     * The part known by {@code key}, built by {@code build} the first time it is asked for and the
     * same instance afterwards. Keys are the part's class, or a name where a class has several.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T once(Object key, Supplier<T> build) {
        var part = built.get(key);
        if (part == null) {
            part = build.get();
            built.put(key, part);
        }
        return (T) part;
    }

    public Env env() {
        return env;
    }

    /** {@code TABLE_NAME}: the single table. */
    public String table() {
        return env.require("TABLE_NAME");
    }

    /** The time every part reads: the system's UTC clock, or the one the local cloud puts {@link #with} these components. */
    public Clock clock() {
        return once(Clock.class, Clock::systemUTC);
    }

    /** Page cursors signed with {@code CURSOR_SECRET}. */
    public Cursors cursors() {
        return once(Cursors.class, () -> new Cursors(env.require("CURSOR_SECRET")));
    }

    /** The idempotency records of the routes that declare them. */
    public Idempotency idempotency() {
        return once(Idempotency.class, () -> new Idempotency(enhanced(), table(), env.require("CURSOR_SECRET"), clock()));
    }

    /** The tenant audit log the routes' changes are written to ({@code AUDIT_RETENTION_DAYS}). */
    public AuditLog audit() {
        return once(AuditLog.class, () -> new AuditLog(dynamoDb(), table(), clock(), Integer.parseInt(
                env.get("AUDIT_RETENTION_DAYS", String.valueOf(AuditLog.DEFAULT_RETENTION_DAYS)))));
    }

    /** The function's metrics: EMF lines on standard output ({@link EmfMetrics#from}). */
    public Metrics metrics() {
        return once(Metrics.class, () -> EmfMetrics.from(env, clock()));
    }

    public DynamoDbClient dynamoDb() {
        return once(DynamoDbClient.class, () -> Aws.dynamoDb(env));
    }

    public DynamoDbEnhancedClient enhanced() {
        return once(DynamoDbEnhancedClient.class, () -> Aws.enhanced(dynamoDb()));
    }
}
