package com.clientele.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.Env;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final EmfMetrics metrics = new EmfMetrics("Clientele", "PaymentsFunction",
            () -> new PrintStream(out, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aRecordIsOneEmfLineWithADirectivePerSetOfDimensionSets() throws Exception {
        metrics.record(MetricRecord.with("Currency", "EUR").property("tenantId", "acme")
                .count("ChargesSucceeded", "Currency")
                .per("Currency", "ChargeAmount", 8900, MetricRecord.Unit.NONE));

        var lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode doc = Json.MAPPER.readTree(lines.get(0));
        assertThat(doc.path("_aws").path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        var directives = doc.path("_aws").path("CloudWatchMetrics");
        assertThat(directives).hasSize(2);
        assertThat(directives.get(0).path("Namespace").asText()).isEqualTo("Clientele");
        assertThat(directives.get(0).path("Dimensions").toString()).isEqualTo("[[\"Service\"],[\"Service\",\"Currency\"]]");
        assertThat(directives.get(0).path("Metrics").toString()).isEqualTo("[{\"Name\":\"ChargesSucceeded\",\"Unit\":\"Count\"}]");
        assertThat(directives.get(1).path("Dimensions").toString()).isEqualTo("[[\"Service\",\"Currency\"]]");
        assertThat(directives.get(1).path("Metrics").toString()).isEqualTo("[{\"Name\":\"ChargeAmount\",\"Unit\":\"None\"}]");
        // every dimension and metric named in a directive is a member of the document, and so is the property
        assertThat(doc.path("Service").asText()).isEqualTo("PaymentsFunction");
        assertThat(doc.path("Currency").asText()).isEqualTo("EUR");
        assertThat(doc.path("ChargesSucceeded").asLong()).isEqualTo(1);
        assertThat(doc.path("ChargeAmount").asLong()).isEqualTo(8900);
        assertThat(doc.path("tenantId").asText()).isEqualTo("acme");
    }

    @Test
    void aRecordWithoutMetricsWritesNothing() {
        metrics.record(MetricRecord.of().property("tenantId", "acme"));
        assertThat(out.size()).isZero();
    }

    @Test
    void aMetricCannotBeCountedByADimensionWithoutAValue() {
        assertThatThrownBy(() -> MetricRecord.of().count("ChargesDeclined", "DeclineCode"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DeclineCode");
    }

    @Test
    void aBlankDimensionValueIsNoneSoTheDocumentStaysValid() {
        var record = MetricRecord.with("DeclineCode", null).count("ChargesDeclined", "DeclineCode");
        assertThat(record.dimensions()).isEqualTo(Map.of("DeclineCode", "none"));
    }

    @Test
    void theNamespaceAndServiceComeFromTheFunctionsEnvironment() throws Exception {
        var fromEnv = EmfMetrics.from(new Env(Map.of("AWS_LAMBDA_FUNCTION_NAME", "stack-LtvAggregatorFunction-X1")),
                Clock.fixed(NOW, ZoneOffset.UTC));
        JsonNode doc = Json.MAPPER.readTree(fromEnv.line(MetricRecord.of().count("EventsApplied")));
        assertThat(doc.path("Service").asText()).isEqualTo("stack-LtvAggregatorFunction-X1");
        assertThat(doc.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Clientele");

        var named = EmfMetrics.from(new Env(Map.of("POWERTOOLS_METRICS_NAMESPACE", "Staging")), Clock.fixed(NOW, ZoneOffset.UTC));
        doc = Json.MAPPER.readTree(named.line(MetricRecord.of().count("EventsApplied")));
        assertThat(doc.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Staging");
        assertThat(List.of(doc.path("Service").asText())).containsExactly("clientele");
    }
}
