package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.local.fixtures.RecordingQueueHandler;
import com.clientele.local.fixtures.RecordingScheduleHandler;
import com.clientele.shared.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The template's SQS event sources and schedules, run by an in-memory local cloud against the
 * embedded ElasticMQ: batches, partial failures, retries, the dead-letter queue, on-demand schedules.
 * Each test tags its message bodies with an id of its own, so the tests share one cloud.
 */
class EventSourcesTest {

    private static LocalCloud cloud;
    private static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(Path.of(EventSourcesTest.class.getResource("/events-template.yaml").toURI())));
        sqs = Backends.external(cloud.dynamoDbEndpoint(), cloud.sqsEndpoint(), cloud.s3Endpoint(), "test", "test").sqsClient();
    }

    @AfterAll
    static void stop() throws Exception {
        sqs.close();
        cloud.close();
    }

    @Test
    void deletesWhatSucceededAndRedrivesThePoisonMessageAfterTwoReceives() {
        String run = UUID.randomUUID().toString();
        String queueUrl = cloud.queueUrl("JobsQueue");
        send(queueUrl, run + " good 1", run + " poison", run + " good 2", run + " good 3");

        var dlqUrl = cloud.queueUrl("JobsDlq");
        var redriven = new ArrayList<String>();
        eventually(Duration.ofSeconds(20), () -> {
            sqs.receiveMessage(r -> r.queueUrl(dlqUrl).maxNumberOfMessages(10)).messages().forEach(m -> {
                redriven.add(m.body());
                sqs.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(m.receiptHandle()));
            });
            assertThat(redriven).contains(run + " poison");
        });

        var seen = records("Worker", run);
        // Each good message once, on its first receive, and deleted; the poison one twice, then gone.
        assertThat(seen).filteredOn(r -> r.getBody().contains("good")).extracting(SQSEvent.SQSMessage::getBody)
                .containsExactlyInAnyOrder(run + " good 1", run + " good 2", run + " good 3");
        assertThat(seen).filteredOn(r -> r.getBody().contains("good"))
                .allSatisfy(r -> assertThat(r.getAttributes()).containsEntry("ApproximateReceiveCount", "1"));
        assertThat(seen).filteredOn(r -> r.getBody().contains("poison"))
                .extracting(r -> r.getAttributes().get("ApproximateReceiveCount")).containsExactly("1", "2");
        assertThat(seen).allSatisfy(r -> {
            assertThat(r.getEventSource()).isEqualTo("aws:sqs");
            assertThat(r.getEventSourceArn()).isEqualTo(cloud.resources().get("JobsQueue.Arn"));
            assertThat(r.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(r.getReceiptHandle()).isNotBlank();
            assertThat(r.getMd5OfBody()).isNotBlank();
            assertThat(r.getAttributes()).containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp");
        });
        eventually(Duration.ofSeconds(5), () -> assertThat(depth(queueUrl)).isZero());
    }

    @Test
    void aHandlerThatThrowsLeavesTheWholeBatchForRetry() {
        String run = UUID.randomUUID().toString();
        String queueUrl = cloud.queueUrl("JobsQueue");
        send(queueUrl, run + " a", run + " throw-once", run + " b");

        eventually(Duration.ofSeconds(15), () -> {
            var failed = RecordingQueueHandler.BATCHES.stream().filter(b -> b.threw() && mentions(b.records(), run)).toList();
            assertThat(failed).hasSize(1);
            // Every message of the batch that threw came back, one receive later, and then went through.
            for (var record : failed.getFirst().records()) {
                assertThat(RecordingQueueHandler.BATCHES).filteredOn(b -> !b.threw())
                        .flatExtracting(RecordingQueueHandler.Batch::records)
                        .filteredOn(r -> r.getMessageId().equals(record.getMessageId()))
                        .extracting(r -> r.getAttributes().get("ApproximateReceiveCount"))
                        .containsExactly(String.valueOf(Integer.parseInt(record.getAttributes().get("ApproximateReceiveCount")) + 1));
            }
            assertThat(depth(queueUrl)).isZero();
        });
    }

    @Test
    void withoutReportBatchItemFailuresAReturnedFailureListIsIgnored() {
        String run = UUID.randomUUID().toString();
        String queueUrl = cloud.queueUrl("PlainQueue");
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(run + " poison").messageAttributes(Map.of("kind",
                MessageAttributeValue.builder().dataType("String").stringValue("test").build())));

        eventually(Duration.ofSeconds(10), () -> {
            assertThat(records("PlainWorker", run)).hasSize(1);
            assertThat(depth(queueUrl)).isZero(); // deleted, not waiting for its visibility timeout
        });
        var record = records("PlainWorker", run).getFirst();
        assertThat(record.getEventSourceArn()).isEqualTo(cloud.resources().get("PlainQueue.Arn"));
        assertThat(record.getMessageAttributes()).containsOnlyKeys("kind");
        assertThat(record.getMessageAttributes().get("kind").getStringValue()).isEqualTo("test");
        assertThat(record.getMessageAttributes().get("kind").getDataType()).isEqualTo("String");
        assertThat(record.getMd5OfMessageAttributes()).isNotBlank();
    }

    @Test
    void runScheduleInvokesTheFunctionWithAScheduledEvent() {
        RecordingScheduleHandler.EVENTS.clear();
        @SuppressWarnings("unchecked")
        var result = (Map<String, String>) cloud.runSchedule("Nightly");

        assertThat(RecordingScheduleHandler.EVENTS).hasSize(1);
        var event = RecordingScheduleHandler.EVENTS.getFirst();
        assertThat(result).containsEntry("function", "Nightly").containsEntry("id", event.getId());
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getRegion()).isEqualTo("us-east-1");
        assertThat(event.getAccount()).isEqualTo("000000000000");
        assertThat(event.getResources()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/clientele-local-NightlyTick");
        assertThat(event.getTime().getMillis()).isCloseTo(System.currentTimeMillis(), within(5_000L));
        assertThat(event.getDetail()).isEmpty();

        // A disabled schedule still runs on demand; a function without one is refused.
        cloud.runSchedule("Reports");
        assertThat(RecordingScheduleHandler.EVENTS).hasSize(2);
        assertThat(RecordingScheduleHandler.EVENTS.getLast().getResources().getFirst()).contains(":schedule/default/");
        assertThatThrownBy(() -> cloud.runSchedule("Worker")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schedulesRunOverHttpWithoutAToken() throws Exception {
        RecordingScheduleHandler.EVENTS.clear();
        try (var http = HttpClient.newHttpClient()) {
            var response = http.send(post("/_local/schedules/Nightly"), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            var body = Json.MAPPER.readTree(response.body());
            assertThat(body.path("function").asText()).isEqualTo("Nightly");
            assertThat(RecordingScheduleHandler.EVENTS).hasSize(1);
            assertThat(body.path("result").path("id").asText()).isEqualTo(RecordingScheduleHandler.EVENTS.getFirst().getId());

            assertThat(http.send(post("/_local/schedules/Worker"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(http.send(post("/_local/schedules/Nope"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void listsItsEventSourcesAndFiresSchedulesOnlyOnDemandWhenInMemory() {
        assertThat(cloud.eventSources()).hasSize(4).noneMatch(line -> line.contains("Dormant")); // Enabled: false
        assertThat(cloud.eventSources().get(0)).contains("JobsQueue", "Worker", "batch 10", "ReportBatchItemFailures");
        assertThat(cloud.eventSources().get(1)).contains("PlainQueue", "PlainWorker", "batch 5").doesNotContain("Report");
        assertThat(cloud.eventSources().get(2)).contains("rate(1 minute)", "Nightly", "on demand only");
        assertThat(cloud.eventSources().get(3)).contains("cron(0/15 9-17 ? * MON-FRI *)", "Reports", "disabled");
    }

    private static HttpRequest post(String path) {
        return HttpRequest.newBuilder(URI.create(cloud.apiUrl() + path)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static void send(String queueUrl, String... bodies) {
        var entries = new ArrayList<SendMessageBatchRequestEntry>();
        for (int i = 0; i < bodies.length; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies[i]).build());
        }
        assertThat(sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed()).isEmpty();
    }

    /** Messages in the queue, visible or in flight. */
    private static int depth(String queueUrl) {
        var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static List<SQSEvent.SQSMessage> records(String function, String run) {
        return RecordingQueueHandler.BATCHES.stream().filter(b -> b.function().equals(function))
                .flatMap(b -> b.records().stream()).filter(r -> r.getBody().startsWith(run)).toList();
    }

    private static boolean mentions(List<SQSEvent.SQSMessage> records, String run) {
        return records.stream().anyMatch(r -> r.getBody().startsWith(run));
    }

    /** Retries {@code assertion} until it passes or {@code timeout} is over (then its failure is thrown). */
    static void eventually(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
