package com.clientele.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.clientele.shared.Components;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the template's functions in this JVM. Each function's handler class is built once, on
 * first use (a cold start), with the environment the template gives it plus the local endpoints
 * and credentials, and the local cloud's clock ({@link LocalClock}) in its {@link Components}
 * (a handler without a {@code Components} constructor gets the environment, or nothing); the
 * handler then serves every invocation, as a warm Lambda would.
 */
final class FunctionHost {

    private final Map<String, Template.FunctionSpec> functions = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, RequestHandler<Object, Object>> handlers = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * {@code smtpPort}: the local mail server's, which the functions that send messages use in place of
     * SES ({@code EMAIL_SENDER=smtp}), unless the template names an SMTP server of its own ({@code SMTP_HOST});
     * their SMS go to the sandbox sender ({@code SMS_SENDER=sandbox}). Webhook secrets are sealed with a fixed
     * development key ({@code WEBHOOK_SECRET_SEALER=local}); webhooks go to this machine only when the cloud is
     * started with {@code --webhooks-to-localhost} ({@link LocalCloud#WEBHOOKS_TO_LOCALHOST}).
     */
    FunctionHost(Template template, Map<String, String> refs, Backends backends, Clock clock, int smtpPort) {
        this.clock = clock;
        for (var function : template.functions()) {
            var env = new LinkedHashMap<String, String>();
            function.environment().forEach((name, value) -> {
                String resolved = template.resolve(value, refs::get);
                if (resolved != null) {
                    env.put(name, resolved);
                }
            });
            env.remove("JAVA_TOOL_OPTIONS");
            env.put("AWS_REGION", Backends.REGION);
            env.put("AWS_ACCESS_KEY_ID", backends.accessKey());
            env.put("AWS_SECRET_ACCESS_KEY", backends.secretKey());
            env.put("AWS_ENDPOINT_URL_DYNAMODB", backends.dynamoDbEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_SQS", backends.sqsEndpoint().toString());
            if (backends.s3Endpoint() != null) {
                env.put("AWS_ENDPOINT_URL_S3", backends.s3Endpoint().toString());
            }
            if (env.containsKey("EMAIL_SENDER") && !env.containsKey("SMTP_HOST")) {
                env.put("EMAIL_SENDER", "smtp");
                env.put("SMTP_HOST", "127.0.0.1");
                env.put("SMTP_PORT", Integer.toString(smtpPort));
            } else if (env.containsKey("SMTP_HOST")) {
                // a template that names its SMTP server (a relay, or a test's unreachable one) keeps it
                env.put("EMAIL_SENDER", "smtp");
            }
            if (env.containsKey("SMS_SENDER")) {
                env.put("SMS_SENDER", "sandbox");
            }
            if (env.containsKey("WEBHOOK_SECRET_SEALER")) {
                env.put("WEBHOOK_SECRET_SEALER", "local");
            }
            if (env.containsKey("WEBHOOK_ALLOW_LOOPBACK") && Boolean.getBoolean(LocalCloud.WEBHOOKS_TO_LOCALHOST)) {
                env.put("WEBHOOK_ALLOW_LOOPBACK", "true");
            }
            env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
            functions.put(function.logicalId(), function);
            environments.put(function.logicalId(), Map.copyOf(env));
        }
    }

    Map<String, String> environment(String functionId) {
        return environments.get(functionId);
    }

    /** The function's MemorySize, in MB. */
    int memoryMb(String functionId) {
        return functions.get(functionId).memoryMb();
    }

    /** The function's CodeUri, as the template writes it. */
    String codeUri(String functionId) {
        return functions.get(functionId).codeUri();
    }

    Object invoke(String functionId, Object event) {
        var handler = handlers.computeIfAbsent(functionId, this::create);
        return handler.handleRequest(adapt(event, inputType(handler)),
                new LocalContext(functionId, functions.get(functionId).timeoutSeconds()));
    }

    /** The event type the handler declares ({@code RequestHandler<I, O>}'s I), Object if unknown. */
    private static Class<?> inputType(RequestHandler<Object, Object> handler) {
        for (var method : handler.getClass().getMethods()) {
            if (method.getName().equals("handleRequest") && method.getParameterCount() == 2 && !method.isBridge()) {
                return method.getParameterTypes()[0];
            }
        }
        return Object.class;
    }

    /**
     * Lambda deserialises the event JSON into whatever type the handler declares; here events are
     * built typed, so a handler that takes a plain map (to keep Joda-Time out of its jar, say) gets
     * the scheduled event as EventBridge's JSON would read.
     */
    static Object adapt(Object event, Class<?> inputType) {
        if (inputType.isInstance(event) || !(event instanceof ScheduledEvent scheduled) || !Map.class.isAssignableFrom(inputType)) {
            return event;
        }
        var json = new LinkedHashMap<String, Object>();
        json.put("version", scheduled.getVersion());
        json.put("id", scheduled.getId());
        json.put("detail-type", scheduled.getDetailType());
        json.put("source", scheduled.getSource());
        json.put("account", scheduled.getAccount());
        json.put("time", scheduled.getTime() == null ? null : Instant.ofEpochMilli(scheduled.getTime().getMillis()).toString());
        json.put("region", scheduled.getRegion());
        json.put("resources", scheduled.getResources());
        json.put("detail", scheduled.getDetail());
        return json;
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<Object, Object> create(String functionId) {
        var spec = functions.get(functionId);
        if (spec == null) {
            throw new IllegalArgumentException("no function " + functionId + " in the template");
        }
        String className = spec.handler().split("::")[0];
        try {
            Class<?> type = Class.forName(className);
            Object instance;
            try {
                instance = type.getConstructor(Components.class)
                        .newInstance(Components.from(environments.get(functionId)).with(Clock.class, clock));
            } catch (NoSuchMethodException noComponentsConstructor) {
                try {
                    instance = type.getConstructor(Map.class).newInstance(environments.get(functionId));
                } catch (NoSuchMethodException noEnvironmentConstructor) {
                    instance = type.getConstructor().newInstance();
                }
            }
            return (RequestHandler<Object, Object>) instance;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("function " + functionId + " failed to initialise: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot load handler " + spec.handler() + " of " + functionId, e);
        }
    }
}
