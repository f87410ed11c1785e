package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import com.clientele.shared.Json;
import com.clientele.shared.events.ObjectEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What arrived on the payment-event queues of a cloud, drained into memory and kept per queue, so
 * that tests of many tenants can share the queues: each looks only at its tenant's events.
 */
final class EventInbox {

    /**
     * The queues tests drain: the test-only tap every event is also sent to ({@link TestCloud#EVENTS_TAP}).
     * The consumers' own queues have their functions: what arrives on LtvEventsQueue shows in the
     * customers' stats, what arrives on PointsEventsQueue in their points and statement.
     */
    static final List<String> QUEUES = List.of(TestCloud.EVENTS_TAP);
    private static final Map<String, List<JsonNode>> RECEIVED = new ConcurrentHashMap<>();

    private EventInbox() {
    }

    static SqsClient sqs(LocalCloud cloud) {
        return SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** The tenant's events on {@code queue} so far (drains the queue first). */
    static synchronized List<JsonNode> events(LocalCloud cloud, String queue, String tenant) {
        try (var sqs = sqs(cloud)) {
            String url = cloud.resources().get(queue);
            while (true) {
                var messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
                if (messages.isEmpty()) {
                    break;
                }
                for (var message : messages) {
                    RECEIVED.computeIfAbsent(queue, q -> new ArrayList<>()).add(Json.MAPPER.readTree(message.body()));
                    sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        // the customers', points' and exports' own events (written to the outbox with their changes) are not what these tests follow
        return RECEIVED.getOrDefault(queue, List.of()).stream()
                .filter(e -> tenant.equals(e.path("tenantId").asText()) && !ObjectEvent.TYPES.contains(e.path("type").asText())).toList();
    }

    /** Waits (briefly) until the tenant's events on {@code queue} satisfy {@code done}. */
    static List<JsonNode> await(LocalCloud cloud, String queue, String tenant, Predicate<List<JsonNode>> done) {
        return Eventually.get(() -> events(cloud, queue, tenant), done);
    }
}
