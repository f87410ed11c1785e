package com.clientele.shared.jobs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Env;
import com.clientele.shared.events.Batches;
import com.clientele.shared.events.WorkQueue;
import com.clientele.shared.logs.LogScope;
import java.util.function.BooleanSupplier;

/**
 * Runs a step job ({@link StepJob}) from its work queue: the worker function's handler is
 * {@code runner.handle(event, context)}. Per invocation, a deadline: the function's remaining time
 * less the job's reserve, capped by its budget ({@code <PREFIX>_BUDGET_MILLIS}); per message, a
 * step worked within it ({@link Budget}: at least one unit of work), then the next step's message
 * sent, which the job returns once the step is recorded. Each delivery is logged: one line
 * ({@code "job step"}) with what the job says of the message ({@link StepJob#describe}), the items
 * the step handled, its duration and outcome.
 *
 * <p>A step that fails is reported as the batch's failure, so SQS delivers it again; sooner than
 * the queue's visibility timeout (which must outlast the function's): after
 * {@value #FIRST_RETRY_SECONDS} s, then twice as long each time, {@value #MAX_RETRY_SECONDS} s at
 * most. On its last delivery ({@code <PREFIX>_MAX_RECEIVES}, the queue's {@code maxReceiveCount},
 * by SQS's {@code ApproximateReceiveCount}) the job gives up: it is marked failed, saying why, and
 * SQS moves the message to the DLQ, and the runner counts both ({@link JobMetrics}).
 *
 * @param <M> the job's message
 */
public final class StepRunner<M> {

    static final int FIRST_RETRY_SECONDS = 30;
    static final int MAX_RETRY_SECONDS = 900;
    static final int DEFAULT_MAX_RECEIVES = 5;

    /**
     * @param budgetMillis  the most an invocation works
     * @param reserveMillis kept back from the function's timeout for what follows the last unit of work
     * @param maxReceives   the queue's {@code maxReceiveCount}: on that delivery a failing step gives up
     */
    public record Settings(long budgetMillis, long reserveMillis, int maxReceives) {

        /** {@code <prefix>_BUDGET_MILLIS} and {@code <prefix>_MAX_RECEIVES} from the function's environment. */
        public static Settings from(Env env, String prefix, long defaultBudgetMillis, long reserveMillis) {
            return new Settings(Long.parseLong(env.get(prefix + "_BUDGET_MILLIS", Long.toString(defaultBudgetMillis))),
                    reserveMillis, Integer.parseInt(env.get(prefix + "_MAX_RECEIVES", Integer.toString(DEFAULT_MAX_RECEIVES))));
        }
    }

    private final Class<M> type;
    private final StepJob<M> job;
    private final WorkQueue<M> queue;
    private final Settings settings;
    private final JobMetrics metrics;

    public StepRunner(Class<M> type, StepJob<M> job, WorkQueue<M> queue, Settings settings, JobMetrics metrics) {
        this.type = type;
        this.job = job;
        this.queue = queue;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The worker function: each message of the batch is one delivery of a step. */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        var timeLeft = Budget.until(context, settings.budgetMillis(), settings.reserveMillis());
        return Batches.each(event, context, message -> deliver(message, timeLeft));
    }

    private void deliver(SQSEvent.SQSMessage message, BooleanSupplier timeLeft) {
        int receives = receiveCount(message);
        M body;
        try {
            body = Batches.parse(message.getBody(), type);
        } catch (RuntimeException poison) {
            if (receives >= settings.maxReceives()) {
                metrics.gaveUp();
            }
            throw poison;
        }
        LogScope.current().ifPresent(scope -> scope.message("job step").putAll(job.describe(body)));
        try {
            run(body, receives, timeLeft);
        } catch (RuntimeException e) {
            if (receives >= settings.maxReceives()) {
                metrics.gaveUp();
                LogScope.annotate("gave_up", true);
                job.giveUp(body, "failed " + receives + " times; the last error: " + e.getMessage());
            } else {
                retrySoon(message.getReceiptHandle(), receives);
            }
            throw e;
        }
    }

    /**
     * One delivery of {@code message} (the {@code receiveCount}th), without the failure handling:
     * works its step within {@code timeLeft}, then sends the message that goes on with the job.
     */
    public void run(M message, int receiveCount, BooleanSupplier timeLeft) {
        var budget = Budget.of(timeLeft);
        var next = job.work(message, receiveCount > 1, budget);
        LogScope.annotate("items", budget.items());
        next.ifPresent(queue::send);
        LogScope.annotate("continues", next.isPresent());
    }

    /** After a failed delivery, the next one in 30 s, 60 s, 120 s… (15 minutes at most). */
    static int retryDelaySeconds(int receives) {
        return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS << Math.min(5, Math.max(0, receives - 1)));
    }

    private void retrySoon(String receiptHandle, int receives) {
        try {
            queue.retryIn(receiptHandle, retryDelaySeconds(receives));
        } catch (RuntimeException e) {
            // Then SQS delivers it again after the queue's visibility timeout.
        }
    }

    /** How many times SQS delivered the message (1 on its first receive). */
    public static int receiveCount(SQSEvent.SQSMessage message) {
        var attributes = message.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
