package com.clientele.local;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * One SQS event source mapping, as Lambda runs it: long-polls the queue, hands up to
 * {@code BatchSize} messages to the function as an {@link SQSEvent}, and deletes what succeeded.
 * A handler that throws fails the whole batch (nothing is deleted: the messages come back after
 * the visibility timeout); with {@code ReportBatchItemFailures}, the {@code batchItemFailures} it
 * returns stay and the rest are deleted. Moving a message to the dead-letter queue after
 * {@code maxReceiveCount} receives is the queue's redrive policy, so the SQS server's job.
 * One receiving thread per mapping; up to five batches of a queue are handled at once.
 */
final class SqsPoller implements AutoCloseable {

    /**
     * How long one ReceiveMessage waits for messages. Lambda's pollers wait 20 s; shorter here,
     * because ElasticMQ lets a pending long poll run out before it stops.
     */
    static final int WAIT_SECONDS = 1;

    private final Template.Event event;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Duration batchingWindow;
    private final boolean reportFailures;
    private final SqsClient sqs;
    private final FunctionHost functions;
    private volatile boolean running = true;
    static final int CONCURRENT_BATCHES = 5;
    private final Semaphore workers = new Semaphore(CONCURRENT_BATCHES);
    private final ExecutorService batches = Executors.newVirtualThreadPerTaskExecutor();
    private Thread thread;

    SqsPoller(Template.Event event, String queueUrl, String queueArn, int batchSize, Duration batchingWindow,
              boolean reportFailures, SqsClient sqs, FunctionHost functions) {
        this.event = event;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = batchSize;
        this.batchingWindow = batchingWindow;
        this.reportFailures = reportFailures;
        this.sqs = sqs;
        this.functions = functions;
    }

    /**
     * A poller for each enabled {@code Type: SQS} event of the template. The queue is named by its
     * ARN ({@code !GetAtt Queue.Arn}), resolved against what the provisioner created.
     */
    static List<SqsPoller> forTemplate(Template template, Map<String, String> refs, SqsClient sqs, FunctionHost functions) {
        var pollers = new ArrayList<SqsPoller>();
        for (var event : template.events("SQS")) {
            var p = event.properties();
            if (!enabled(template.resolve(p.get("Enabled"), refs::get))) {
                continue;
            }
            String arn = template.resolve(p.get("Queue"), refs::get);
            if (arn == null) {
                System.err.println("[sqs] " + event.functionId() + "." + event.name() + ": cannot resolve its Queue, not polled");
                continue;
            }
            String url;
            try {
                url = sqs.getQueueUrl(r -> r.queueName(arn.substring(arn.lastIndexOf(':') + 1))).queueUrl();
            } catch (QueueDoesNotExistException e) {
                System.err.println("[sqs] " + event.functionId() + "." + event.name() + ": no queue " + arn + " here, not polled");
                continue;
            }
            int batchSize = number(template.resolve(p.get("BatchSize"), refs::get), 10);
            int window = number(template.resolve(p.get("MaximumBatchingWindowInSeconds"), refs::get), 0);
            boolean report = Template.asList(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
            pollers.add(new SqsPoller(event, url, arn, batchSize, Duration.ofSeconds(window), report, sqs, functions));
        }
        return pollers;
    }

    void start() {
        thread = Thread.ofVirtual().name("sqs-" + event.functionId() + "-" + event.name()).start(this::run);
    }

    /** One line for the start banner. */
    String describe() {
        return String.format("SQS        %s → %s   batch %d%s%s", queueArn.substring(queueArn.lastIndexOf(':') + 1),
                event.functionId(), batchSize, batchingWindow.isZero() ? "" : ", window " + batchingWindow.toSeconds() + " s",
                reportFailures ? ", ReportBatchItemFailures" : "");
    }

    private void run() {
        while (running) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("[sqs] polling " + queueArn + " failed: " + e);
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * Receives one batch (waiting up to the batching window) and, if it got any, hands it to a
     * worker, once one of the {@value #CONCURRENT_BATCHES} is free: Lambda, too, runs several
     * batches of a queue at once (five to begin with). One receiver, so one long poll at a time.
     */
    private void pollOnce() {
        var messages = receive();
        if (messages.isEmpty() || !running) {
            return;
        }
        try {
            workers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        batches.submit(() -> {
            try {
                invoke(messages);
            } finally {
                workers.release();
            }
        });
    }

    /** Invokes the function with a batch and deletes what it did not report as failed. */
    private void invoke(List<Message> messages) {
        Object result;
        try {
            result = functions.invoke(event.functionId(), toEvent(messages));
        } catch (Throwable e) { // whatever the handler throws fails the batch, as in Lambda's runtime
            System.err.println("[sqs] " + event.functionId() + " failed on a batch of " + messages.size()
                    + " from " + queueArn + " (all will be retried): " + e);
            return;
        }
        Set<String> failed = reportFailures ? failures(result, messages) : Set.of();
        delete(messages.stream().filter(m -> !failed.contains(m.messageId())).toList());
    }

    /**
     * Up to {@code BatchSize} messages: what the first non-empty receive returns, plus, within the
     * batching window that it opens, what further receives bring.
     */
    private List<Message> receive() {
        var batch = new ArrayList<Message>();
        long deadline = 0;
        do {
            int max = Math.min(10, batchSize - batch.size());
            var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(WAIT_SECONDS)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                deadline = System.nanoTime() + batchingWindow.toNanos();
            }
            batch.addAll(messages);
        } while (running && !batch.isEmpty() && batch.size() < batchSize && System.nanoTime() - deadline < 0);
        return batch;
    }

    /** The event Lambda sends for these messages. */
    private SQSEvent toEvent(List<Message> messages) {
        var records = new ArrayList<SQSEvent.SQSMessage>();
        for (var m : messages) {
            var record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setMd5OfBody(m.md5OfBody());
            record.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            var attributes = new LinkedHashMap<String, String>();
            m.attributesAsStrings().forEach(attributes::put);
            record.setAttributes(attributes);
            var messageAttributes = new LinkedHashMap<String, SQSEvent.MessageAttribute>();
            m.messageAttributes().forEach((name, value) -> messageAttributes.put(name, attribute(value)));
            record.setMessageAttributes(messageAttributes);
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(Backends.REGION);
            records.add(record);
        }
        var sqsEvent = new SQSEvent();
        sqsEvent.setRecords(records);
        return sqsEvent;
    }

    private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
        var attribute = new SQSEvent.MessageAttribute();
        attribute.setDataType(value.dataType());
        attribute.setStringValue(value.stringValue());
        attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
        attribute.setStringListValues(List.copyOf(value.stringListValues()));
        attribute.setBinaryListValues(value.binaryListValues().stream().map(b -> b.asByteBuffer()).toList());
        return attribute;
    }

    /**
     * The message ids the handler reported as failed. As Lambda does: no response or an empty
     * list is a full success; an item without an id, or with one not in the batch, fails all.
     */
    private Set<String> failures(Object result, List<Message> messages) {
        var all = new HashSet<String>();
        messages.forEach(m -> all.add(m.messageId()));
        if (result == null) {
            return Set.of();
        }
        JsonNode items;
        try {
            items = Json.MAPPER.valueToTree(result).path("batchItemFailures");
        } catch (IllegalArgumentException e) {
            System.err.println("[sqs] " + event.functionId() + " returned an unreadable response; all will be retried");
            return all;
        }
        var failed = new HashSet<String>();
        for (var item : items) {
            String id = item.path("itemIdentifier").asText("");
            if (!all.contains(id)) {
                System.err.println("[sqs] " + event.functionId() + " reported failure of unknown message '" + id
                        + "'; all will be retried");
                return all;
            }
            failed.add(id);
        }
        return failed;
    }

    private void delete(List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            var entries = new ArrayList<DeleteMessageBatchRequestEntry>();
            var chunk = messages.subList(i, Math.min(messages.size(), i + 10));
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(j))
                        .receiptHandle(chunk.get(j).receiptHandle()).build());
            }
            var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            response.failed().forEach(f -> System.err.println("[sqs] could not delete a message from " + queueArn
                    + " (it will be delivered again): " + f.message()));
        }
    }

    private static boolean enabled(String value) {
        return value == null || Boolean.parseBoolean(value);
    }

    private static int number(String value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling (interrupting a wait or a batch in progress: its messages are simply delivered again). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
        batches.close(); // lets the batches in progress finish
    }
}
