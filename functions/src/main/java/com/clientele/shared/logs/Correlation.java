package com.clientele.shared.logs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The correlation id: what ties the log lines of one API request to those of every message and job
 * step it caused. Taken from the request's {@value #HEADER} header when the caller sent a well-formed
 * one, else the API Gateway request id; returned in the response's {@value #HEADER}; stored with an
 * event in the outbox and sent with every queue message as the message attribute {@value #ATTRIBUTE}
 * (the bodies are unchanged), so each consumer logs it and passes it on with what it sends.
 */
public final class Correlation {

    public static final String HEADER = "X-Correlation-Id";
    public static final String ATTRIBUTE = "correlationId";
    /** What a caller may send: 1 to 128 letters, digits and {@code . _ : -}, starting with a letter or digit. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private Correlation() {
    }

    /** {@code candidate} if it is a well-formed correlation id, else null. */
    public static String accept(String candidate) {
        return candidate != null && WELL_FORMED.matcher(candidate).matches() ? candidate : null;
    }

    /** The correlation id of the unit of work running on this thread, or null. */
    public static String current() {
        return LogScope.current().map(LogScope::correlation).orElse(null);
    }

    /** The caller's {@value #HEADER}, if well-formed; else the API Gateway request id (else a new one). */
    static String of(APIGatewayV2HTTPEvent event, Context context) {
        var headers = event.getHeaders();
        if (headers != null) {
            for (var header : headers.entrySet()) {
                if (HEADER.equalsIgnoreCase(header.getKey())) {
                    String accepted = accept(header.getValue());
                    if (accepted != null) {
                        return accepted;
                    }
                }
            }
        }
        String requestId = event.getRequestContext() == null ? null : accept(event.getRequestContext().getRequestId());
        return requestId != null ? requestId : invocation(context);
    }

    /** The message's {@value #ATTRIBUTE}, if well-formed; else its message id. */
    static String of(SQSEvent.SQSMessage message) {
        var attributes = message.getMessageAttributes();
        var attribute = attributes == null ? null : attributes.get(ATTRIBUTE);
        String sent = attribute == null ? null : accept(attribute.getStringValue());
        return sent != null ? sent : message.getMessageId();
    }

    /** A scheduled run's: the EventBridge event id, else the invocation's. */
    static String of(Map<String, Object> scheduledEvent, Context context) {
        Object id = scheduledEvent == null ? null : scheduledEvent.get("id");
        String accepted = id == null ? null : accept(id.toString());
        return accepted != null ? accepted : invocation(context);
    }

    private static String invocation(Context context) {
        String id = context == null ? null : accept(context.getAwsRequestId());
        return id != null ? id : UUID.randomUUID().toString();
    }
}
