package com.clientele.shared.logs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.logs.Log.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One unit of work and its one log line: an API request ({@code "request"}), a queue message
 * ({@code "message"}, or {@code "job step"} for a step of a job) or a scheduled run
 * ({@code "job step"}). The entry point opens it and {@link #run}s the work in it; while it runs it
 * is current on its thread, so the code below can add fields to its line ({@link #annotate}) and
 * read its correlation id ({@link Correlation#current}) to pass on with what it sends. When the
 * work ends the line is written with its duration, and with the error and stack trace if it threw.
 */
public final class LogScope {

    private static final ThreadLocal<LogScope> CURRENT = new ThreadLocal<>();

    private final Context context;
    private final String correlation;
    private final String timing;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String message;
    private Level level = Level.INFO;
    private Throwable error;
    private final boolean coldStart;

    private LogScope(Context context, String message, String correlation, String timing) {
        this.context = context;
        this.message = message;
        this.correlation = correlation;
        this.timing = timing;
        this.coldStart = Log.coldStart(context);
    }

    /** An API request: its correlation id, request id and route. */
    public static LogScope request(APIGatewayV2HTTPEvent event, Context context) {
        var scope = new LogScope(context, "request", Correlation.of(event, context), "latency_ms");
        if (event.getRequestContext() != null) {
            scope.put("request_id", Correlation.accept(event.getRequestContext().getRequestId()));
        }
        return scope.put("route_key", event.getRouteKey());
    }

    /** A queue message: its correlation id, queue and message id, and the event it carries (by its attributes). */
    public static LogScope message(SQSEvent.SQSMessage message, Context context) {
        var scope = new LogScope(context, "message", Correlation.of(message), "duration_ms");
        String arn = message.getEventSourceArn();
        scope.put("queue", arn == null ? null : arn.substring(arn.lastIndexOf(':') + 1))
                .put("message_id", message.getMessageId());
        var attributes = message.getAttributes();
        String receives = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        if (receives != null && receives.matches("\\d{1,9}")) {
            scope.put("receive_count", Integer.parseInt(receives));
        }
        var sent = message.getMessageAttributes();
        if (sent != null) {
            putAttribute(scope, sent, "eventId", "event_id");
            putAttribute(scope, sent, "eventType", "event_type");
        }
        return scope;
    }

    /** A scheduled run of {@code job}, correlated by its EventBridge event. */
    public static LogScope schedule(String job, Map<String, Object> scheduledEvent, Context context) {
        return new LogScope(context, "job step", Correlation.of(scheduledEvent, context), "duration_ms")
                .put("job", job);
    }

    private static void putAttribute(LogScope scope, Map<String, SQSEvent.MessageAttribute> attributes, String name, String field) {
        var attribute = attributes.get(name);
        if (attribute != null) {
            scope.put(field, Correlation.accept(attribute.getStringValue()));
        }
    }

    /** The scope running on this thread, if any. */
    public static Optional<LogScope> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Adds a field to the current scope's line (nothing when none is current). Ids, codes and counts only. */
    public static void annotate(String name, Object value) {
        current().ifPresent(scope -> scope.put(name, value));
    }

    /** Adds a field (a null value is left out). */
    public LogScope put(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    /** Adds fields (null values are left out). */
    public LogScope putAll(Map<String, ?> values) {
        values.forEach(this::put);
        return this;
    }

    /** Names the line ({@code "request"}, {@code "message"}, {@code "job step"}). */
    public LogScope message(String message) {
        this.message = message;
        return this;
    }

    /** The line's level (INFO unless said; ERROR when the work throws). */
    public LogScope level(Level level) {
        this.level = level;
        return this;
    }

    /** The error the line reports, with its stack trace (the work answered it: a 500, say). */
    public LogScope error(Throwable error) {
        this.error = error;
        return this;
    }

    Context context() {
        return context;
    }

    public String correlation() {
        return correlation;
    }

    /**
     * Runs {@code work} with this scope current, then writes the line: {@code outcome} ok, or, if the
     * work threw, failed with the error at ERROR (and the exception goes on to the caller).
     */
    public <T> T run(Supplier<T> work) {
        LogScope before = CURRENT.get();
        CURRENT.set(this);
        long start = System.nanoTime();
        try {
            T result = work.get();
            fields.putIfAbsent("outcome", "ok");
            return result;
        } catch (RuntimeException | Error e) {
            fail(e);
            throw e;
        } finally {
            fields.put(timing, (System.nanoTime() - start) / 1_000_000);
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
            write();
        }
    }

    public void run(Runnable work) {
        run(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Writes the line of work done elsewhere (one message of a batch handled at once): its duration, and
     * failed with {@code error} at ERROR, or ok when the error is null.
     */
    public void done(long durationMillis, Throwable error) {
        fields.put(timing, durationMillis);
        if (error == null) {
            fields.putIfAbsent("outcome", "ok");
        } else {
            fail(error);
        }
        write();
    }

    /** Writes the line of work that failed before it could run (a message that is no event, say). */
    public void failed(Throwable e) {
        fail(e);
        write();
    }

    private void fail(Throwable e) {
        fields.put("outcome", "failed");
        level = Level.ERROR;
        error = e;
    }

    private void write() {
        Log.write(context, level, message, correlation, coldStart, fields, error);
    }
}
