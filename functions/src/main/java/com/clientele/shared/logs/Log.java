package com.clientele.shared.logs;

import com.amazonaws.services.lambda.runtime.Context;
import com.clientele.shared.Env;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The functions' structured log: one JSON object per line on standard output, which Lambda sends
 * to the function's CloudWatch log group (and, with the template's JSON log format, filters by its
 * {@code level} and {@code timestamp}). Every line carries the fields Powertools for AWS Lambda
 * names the same way ({@code timestamp}, {@code level}, {@code message}, {@code service},
 * {@code function_name}, {@code function_version}, {@code function_request_id}, {@code cold_start},
 * {@code correlation_id}, {@code xray_trace_id}); the unit of work being logged ({@link LogScope})
 * adds its own. Written here on Jackson, which every function loads anyway, rather than with
 * Powertools' logging on Log4j 2, whose start costs a cold start about a second of CPU (see
 * docs/operations.md).
 *
 * <p>Lines carry ids, codes, counts and times, never a value a caller sent: no names, emails,
 * phones, card data, codes or secrets. An error keeps its type and stack trace, never its message
 * (messages quote values: a parse error quotes the body), with the AWS error code of a service
 * error and the problem code of an {@link ApiException}.
 *
 * <p>The level is the function's: {@code LOG_LEVEL} (DEBUG, INFO, WARN, ERROR) from its
 * environment, else Lambda's {@code AWS_LAMBDA_LOG_LEVEL}, else INFO. Kept per function name,
 * since the local cloud runs every function in one JVM.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    static final String SERVICE = "clientele";
    /** Stack frames kept per exception of a chain: enough to place it, short enough for one log event. */
    static final int MAX_FRAMES = 40;

    private static final Map<String, Level> LEVELS = new ConcurrentHashMap<>();
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private Log() {
    }

    /** Takes the level of the function this environment is ({@code AWS_LAMBDA_FUNCTION_NAME}). */
    public static void configure(Env env) {
        LEVELS.put(env.get("AWS_LAMBDA_FUNCTION_NAME", ""), level(env));
    }

    /** {@code LOG_LEVEL}, else {@code AWS_LAMBDA_LOG_LEVEL}, else INFO; an unknown name is INFO too. */
    static Level level(Env env) {
        String name = env.find("LOG_LEVEL").or(() -> env.find("AWS_LAMBDA_LOG_LEVEL")).orElse("INFO")
                .trim().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "TRACE", "DEBUG" -> Level.DEBUG;
            case "WARN", "WARNING" -> Level.WARN;
            case "ERROR", "FATAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    public static boolean enabled(String function, Level level) {
        return level.compareTo(LEVELS.getOrDefault(function == null ? "" : function, Level.INFO)) >= 0;
    }

    /**
     * Whether this is the function's first invocation in this JVM (its cold start). Counted only for
     * invocations with a Lambda context: a priming request ({@code Router.prime}: no context) is not one.
     */
    static boolean coldStart(Context context) {
        String function = functionName(context);
        return context != null && STARTED.add(function == null ? "" : function);
    }

    static String functionName(Context context) {
        String name = context == null ? null : context.getFunctionName();
        return name != null ? name : System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    }

    /** A WARN line beside the current unit of work (with its function and correlation id), or outside any. */
    public static void warn(String message, Map<String, ?> fields) {
        beside(Level.WARN, message, Correlation.current(), fields);
    }

    /** An INFO line beside the current unit of work, under {@code correlationId} (that of what it is about). */
    public static void info(String message, String correlationId, Map<String, ?> fields) {
        beside(Level.INFO, message, correlationId, fields);
    }

    private static void beside(Level level, String message, String correlationId, Map<String, ?> fields) {
        write(LogScope.current().map(LogScope::context).orElse(null), level, message, correlationId, false, fields, null);
    }

    /** Writes one line if {@code level} is on for the function. */
    static void write(Context context, Level level, String message, String correlationId, boolean coldStart,
                      Map<String, ?> fields, Throwable error) {
        String function = functionName(context);
        if (!enabled(function, level)) {
            return;
        }
        var line = new LinkedHashMap<String, Object>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", message);
        line.put("service", SERVICE);
        line.put("function_name", function);
        if (context != null) {
            line.put("function_version", context.getFunctionVersion());
            line.put("function_request_id", context.getAwsRequestId());
        }
        line.put("cold_start", coldStart);
        if (correlationId != null) {
            line.put("correlation_id", correlationId);
        }
        String trace = traceId();
        if (trace != null) {
            line.put("xray_trace_id", trace);
        }
        fields.forEach((name, value) -> {
            if (value != null) {
                line.put(name, value);
            }
        });
        if (error != null) {
            line.put("error", error(error));
        }
        String json = Json.write(line);
        System.out.println(json);
    }

    /** The error of a line: the type and stack trace of each exception of the chain, no message. */
    static Map<String, Object> error(Throwable error) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("type", error.getClass().getName());
        if (error instanceof ApiException api) {
            fields.put("code", api.code());
        }
        if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            fields.put("aws_error_code", aws.awsErrorDetails().errorCode());
        }
        fields.put("stack", stack(error));
        return fields;
    }

    static String stack(Throwable error) {
        var text = new StringBuilder();
        var seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<Throwable, Boolean>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t != error) {
                text.append("Caused by: ");
            }
            text.append(t.getClass().getName()).append('\n');
            var frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                text.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > MAX_FRAMES) {
                text.append("\t... ").append(frames.length - MAX_FRAMES).append(" more\n");
            }
        }
        return text.toString();
    }

    /** The X-Ray trace id of the invocation ({@code Root=…} of Lambda's trace header), if traced. */
    private static String traceId() {
        String header = System.getProperty("com.amazonaws.xray.traceHeader");
        if (header == null) {
            header = System.getenv("_X_AMZN_TRACE_ID");
        }
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            if (part.startsWith("Root=")) {
                return part.substring(5);
            }
        }
        return null;
    }
}
