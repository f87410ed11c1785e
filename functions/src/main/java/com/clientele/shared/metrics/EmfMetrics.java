package com.clientele.shared.metrics;

import com.clientele.shared.Env;
import com.clientele.shared.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Metrics in CloudWatch's embedded metric format (EMF): each record is one JSON line on the
 * function's standard output, which Lambda sends to its log group, where CloudWatch extracts the
 * metrics (no API call, no client, nothing to flush). A line:
 * <pre>
 * {"_aws":{"Timestamp":1764582000000,"CloudWatchMetrics":[
 *    {"Namespace":"Clientele","Dimensions":[["Service"],["Service","DeclineCode"]],"Metrics":[{"Name":"ChargesDeclined","Unit":"Count"}]}]},
 *  "Service":"PaymentsFunction","DeclineCode":"card_declined","ChargesDeclined":1,"tenantId":"acme"}
 * </pre>
 * Metrics counted under the same dimension sets share a directive. The writer is Jackson's
 * streaming generator, already loaded by every function: no library of its own, nothing added to a
 * cold start but this class (see docs/operations.md for why not Powertools' metrics module).
 */
public final class EmfMetrics implements Metrics {

    /** The namespace when {@code POWERTOOLS_METRICS_NAMESPACE} does not say (the variable Powertools reads too). */
    public static final String DEFAULT_NAMESPACE = "Clientele";
    public static final String SERVICE = "Service";

    private final String namespace;
    private final String service;
    private final Supplier<PrintStream> out;
    private final Clock clock;

    /**
     * @param out where lines go, asked for each line (standard output: {@code () -> System.out},
     *            so that a test that redirects it sees them)
     */
    public EmfMetrics(String namespace, String service, Supplier<PrintStream> out, Clock clock) {
        this.namespace = namespace;
        this.service = service;
        this.out = out;
        this.clock = clock;
    }

    /**
     * A function's metrics: namespace {@code POWERTOOLS_METRICS_NAMESPACE} (default
     * {@value #DEFAULT_NAMESPACE}), {@code Service} the function's name ({@code AWS_LAMBDA_FUNCTION_NAME},
     * which Lambda sets and the local cloud sets to the template's logical id).
     */
    public static EmfMetrics from(Env env, Clock clock) {
        return new EmfMetrics(env.get("POWERTOOLS_METRICS_NAMESPACE", DEFAULT_NAMESPACE),
                env.get("AWS_LAMBDA_FUNCTION_NAME", "clientele"), () -> System.out, clock);
    }

    @Override
    public void record(MetricRecord record) {
        if (record.metrics().isEmpty()) {
            return;
        }
        out.get().println(line(record));
    }

    /** The record as one EMF document. */
    String line(MetricRecord record) {
        var directives = new LinkedHashMap<List<List<String>>, List<MetricRecord.Metric>>();
        for (var metric : record.metrics()) {
            directives.computeIfAbsent(metric.dimensionSets(), k -> new ArrayList<>()).add(metric);
        }
        var text = new StringWriter(256);
        try (var json = Json.MAPPER.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", clock.millis());
            json.writeArrayFieldStart("CloudWatchMetrics");
            for (var directive : directives.entrySet()) {
                json.writeStartObject();
                json.writeStringField("Namespace", namespace);
                json.writeArrayFieldStart("Dimensions");
                for (var set : directive.getKey()) {
                    json.writeStartArray();
                    json.writeString(SERVICE);
                    for (String dimension : set) {
                        json.writeString(dimension);
                    }
                    json.writeEndArray();
                }
                json.writeEndArray();
                json.writeArrayFieldStart("Metrics");
                for (var metric : directive.getValue()) {
                    json.writeStartObject();
                    json.writeStringField("Name", metric.name());
                    json.writeStringField("Unit", metric.unit().cloudWatch);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField(SERVICE, service);
            for (var dimension : record.dimensions().entrySet()) {
                json.writeStringField(dimension.getKey(), dimension.getValue());
            }
            for (var metric : record.metrics()) {
                json.writeNumberField(metric.name(), metric.value());
            }
            for (var property : record.properties().entrySet()) {
                json.writeStringField(property.getKey(), property.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
