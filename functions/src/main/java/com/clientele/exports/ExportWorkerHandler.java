package com.clientele.exports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Components;
import com.clientele.shared.jobs.StepRunner;
import java.util.Map;

/**
 * The export worker, on {@code ExportJobsQueue} (batch size 1): each message is a step of an
 * export ({@link ExportRunner}), run by a {@link StepRunner}: worked until the invocation's budget
 * is spent (the function's remaining time less a reserve for finishing the part in hand, capped by
 * {@code EXPORT_BUDGET_MILLIS}), then handed on to the next step's message. A step that fails is
 * retried by SQS after 30 s, then 60, 120... and resumes from the last part it recorded; on its last
 * delivery ({@code EXPORT_MAX_RECEIVES}, the queue's {@code maxReceiveCount}) the export is marked
 * failed, saying why, before SQS parks the message.
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Kept back from the function's timeout: a part's reading and upload, its record, the next message. */
    static final long RESERVE_MILLIS = 60_000;
    static final long DEFAULT_BUDGET_MILLIS = 180_000;
    static final int DEFAULT_PART_BYTES = 8 * 1024 * 1024;

    private final StepRunner<ExportMessage> runner;

    public ExportWorkerHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public ExportWorkerHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public ExportWorkerHandler(Components components) {
        this(ExportsWiring.runner(components));
    }

    public ExportWorkerHandler(StepRunner<ExportMessage> runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.handle(event, context);
    }
}
