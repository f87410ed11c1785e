package com.clientele.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.exports.ExportWorkerHandler;
import com.clientele.shared.Env;
import com.clientele.shared.events.Sqs;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The export worker function on its own: builds {@link ExportWorkerHandler} from this process's
 * environment (the worker's, as the local cloud gives it) and works the export queue's messages
 * as Lambda's event source would (one per invocation; deleted unless reported failed) until the
 * queue stays empty. Run in a child JVM with a small fixed heap by {@link ExportBenchmark}; prints
 * one line of heap figures: the largest heap in use right after a full collection (what the export
 * keeps alive), the largest after any collection (with the old generation's garbage not yet
 * collected), the sum of the heap pools' peaks (an upper bound of what it ever held), collections.
 */
public final class ExportWorkerProbe {

    private ExportWorkerProbe() {
    }

    public static void main(String[] args) throws Exception {
        var heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .map(p -> p.getName()).collect(java.util.stream.Collectors.toSet());
        var afterGc = new AtomicLong();
        var afterFullGc = new AtomicLong();
        var fullCollections = new AtomicLong();
        var collections = new AtomicLong();
        var gcMillis = new AtomicLong();
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    var gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    var info = gc.getGcInfo();
                    long used = info.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    afterGc.accumulateAndGet(used, Math::max);
                    if (gc.getGcAction().contains("major")) {
                        afterFullGc.accumulateAndGet(used, Math::max);
                        fullCollections.incrementAndGet();
                    }
                    collections.incrementAndGet();
                    gcMillis.addAndGet(info.getDuration());
                }
            }, null, null);
        }
        var env = Env.system();
        long start = System.nanoTime();
        int invocations;
        try (var sqs = Sqs.create(env)) {
            invocations = drain(sqs, env.require("EXPORT_QUEUE_URL"), new ExportWorkerHandler(env.vars()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("probe invocations=%d seconds=%.1f heap=%.1fMB liveAfterFullGc=%.1fMB (%d full) afterAnyGc=%.1fMB "
                        + "poolPeaks=%.1fMB collections=%d gcMillis=%d%n", invocations, seconds, mb(Runtime.getRuntime().maxMemory()),
                mb(afterFullGc.get()), fullCollections.get(), mb(afterGc.get()), mb(peak), collections.get(), gcMillis.get());
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * Works the queue's messages one invocation each, as the template's event source does (batch
     * size 1, ReportBatchItemFailures), until no message comes for two seconds after one did.
     * Returns the number of invocations.
     */
    static int drain(SqsClient sqs, String queueUrl, ExportWorkerHandler handler) {
        int invocations = 0;
        int idle = 0;
        while (invocations == 0 || idle < 2) {
            var messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (messages.isEmpty()) {
                idle++;
                continue;
            }
            idle = 0;
            var m = messages.get(0);
            var record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setAttributes(new LinkedHashMap<>(m.attributesAsStrings()));
            var event = new SQSEvent();
            event.setRecords(List.of(record));
            invocations++;
            if (handler.handleRequest(event, null).getBatchItemFailures().isEmpty()) {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return invocations;
    }
}
