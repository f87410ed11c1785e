package com.clientele.shared.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.clientele.shared.Env;
import com.clientele.shared.http.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The line every unit of work writes: its common fields, the level per function, errors without their messages. */
class LogTest {

    private static Context context(String function, String requestId) {
        var context = mock(Context.class);
        when(context.getFunctionName()).thenReturn(function);
        when(context.getFunctionVersion()).thenReturn("7");
        when(context.getAwsRequestId()).thenReturn(requestId);
        return context;
    }

    private static LogScope scope(Context context) {
        return LogScope.schedule("test-job", Map.of("id", "evt-1"), context);
    }

    @Test
    void aLineCarriesTheFunctionTheInvocationItsColdStartAndTheCorrelationId() {
        var context = context("LogTestFunction", "aws-1");
        var first = LogCapture.of(() -> scope(context).put("items", 3).run(() -> { })).line("job step");
        assertThat(first.path("timestamp").asText()).endsWith("Z");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("service").asText()).isEqualTo("clientele");
        assertThat(first.path("function_name").asText()).isEqualTo("LogTestFunction");
        assertThat(first.path("function_version").asText()).isEqualTo("7");
        assertThat(first.path("function_request_id").asText()).isEqualTo("aws-1");
        assertThat(first.path("correlation_id").asText()).as("the scheduled event's id").isEqualTo("evt-1");
        assertThat(first.path("job").asText()).isEqualTo("test-job");
        assertThat(first.path("items").asLong()).isEqualTo(3);
        assertThat(first.path("outcome").asText()).isEqualTo("ok");
        assertThat(first.path("duration_ms").isIntegralNumber()).isTrue();
        assertThat(first.path("cold_start").asBoolean()).isTrue();
        var second = LogCapture.of(() -> scope(context).run(() -> { })).line("job step");
        assertThat(second.path("cold_start").asBoolean()).as("the function's second invocation").isFalse();
    }

    @Test
    void anErrorKeepsItsTypeStackAndCodesButNotItsMessage() {
        var failure = new IllegalStateException("Ada Lovelace ada@example.com",
                new ApiException(409, "conflict_code", "Conflict", "+14155550111 is taken"));
        var captured = LogCapture.of(() -> {
            try {
                scope(context("LogTestErrors", "aws-2")).run(() -> {
                    throw failure;
                });
            } catch (IllegalStateException expected) {
                // the scope passes it on after logging it
            }
        });
        var line = captured.line("job step");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("outcome").asText()).isEqualTo("failed");
        assertThat(line.path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.path("error").path("stack").asText())
                .contains("\tat com.clientele.shared.logs.LogTest")
                .contains("Caused by: com.clientele.shared.http.ApiException");
        assertThat(captured.text()).doesNotContain("Ada Lovelace", "ada@example.com", "+14155550111");
    }

    @Test
    void theLevelIsTheFunctionsOwn() {
        Log.configure(new Env(Map.of("AWS_LAMBDA_FUNCTION_NAME", "QuietFunction", "LOG_LEVEL", "warn")));
        Log.configure(new Env(Map.of("AWS_LAMBDA_FUNCTION_NAME", "LambdaLevelFunction", "AWS_LAMBDA_LOG_LEVEL", "ERROR")));
        assertThat(LogCapture.of(() -> scope(context("QuietFunction", "aws-3")).run(() -> { })).lines()).isEmpty();
        assertThat(LogCapture.of(() -> Log.warn("beside", Map.of())).lines()).hasSize(1);
        var failed = LogCapture.of(() -> {
            try {
                scope(context("QuietFunction", "aws-4")).run(() -> {
                    throw new IllegalStateException();
                });
            } catch (IllegalStateException expected) {
                // logged at ERROR
            }
        });
        assertThat(failed.line("job step").path("level").asText()).isEqualTo("ERROR");
        assertThat(Log.enabled("LambdaLevelFunction", Log.Level.WARN)).isFalse();
        assertThat(Log.enabled("LambdaLevelFunction", Log.Level.ERROR)).isTrue();
        assertThat(Log.enabled("AnyOtherFunction", Log.Level.INFO)).isTrue();
        assertThat(Log.enabled("AnyOtherFunction", Log.Level.DEBUG)).isFalse();
    }

    @Test
    void aCorrelationIdFromOutsideIsTakenOnlyWellFormed() {
        assertThat(Correlation.accept("3f1c2a9e-1b2c-4d5e-8f90-123456789abc")).isNotNull();
        assertThat(Correlation.accept("order:42.a_b")).isEqualTo("order:42.a_b");
        assertThat(Correlation.accept("a".repeat(128))).isNotNull();
        assertThat(Correlation.accept("a".repeat(129))).isNull();
        assertThat(Correlation.accept("")).isNull();
        assertThat(Correlation.accept("has space")).isNull();
        assertThat(Correlation.accept("ada@example.com")).isNull();
        assertThat(Correlation.accept("line\nbreak")).isNull();
        assertThat(Correlation.accept("-leading")).isNull();
    }
}
