package com.clientele.shared.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Env;
import com.clientele.shared.Json;
import com.clientele.shared.events.WorkQueue;
import com.clientele.shared.logs.LogCapture;
import com.clientele.shared.metrics.MetricRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The runner of step jobs on its own, with a job and a queue in memory: the deadline, the
 * continuation, the record's step protocol, the backoff of a failed step and the give-up on the
 * last delivery.
 */
class StepRunnerTest {

    /** A job's step message, as on a queue. */
    record Step(String jobId, long step) implements StepMessage<Step> {
        @Override
        public Step next() {
            return new Step(jobId, step + 1);
        }
    }

    /** A job's record in memory: its step, how many units it has done of {@code units}, whether it failed and why. */
    static final class Job {
        long step;
        int done;
        final int units;
        String error;

        Job(int units) {
            this.units = units;
        }

        boolean finished() {
            return done == units || error != null;
        }
    }

    record Stored(long step, boolean finished) implements StepRecord.Stored {
    }

    /** A job of {@code units} units of work, recorded per step as the recompute and the export do. */
    final class Units implements StepJob<Step> {
        final Map<String, Job> jobs = new HashMap<>();
        final List<String> worked = new ArrayList<>();
        RuntimeException failure;

        @Override
        public Optional<Step> work(Step message, boolean redelivered, Budget budget) {
            var job = jobs.get(message.jobId());
            return StepRecord.work(message, redelivered, Optional.ofNullable(job).map(j -> new Stored(j.step, j.finished())),
                    (step, stored) -> {
                        worked.add(step.jobId() + "@" + step.step());
                        if (failure != null) {
                            throw failure;
                        }
                        int done = job.done;
                        while (done < job.units && budget.another()) {
                            done++;
                        }
                        if (job.step != step.step()) {
                            return false; // another delivery recorded this step first
                        }
                        budget.worked(done - job.done);
                        job.done = done;
                        job.step++;
                        return !job.finished();
                    });
        }

        @Override
        public void giveUp(Step message, String reason) {
            jobs.get(message.jobId()).error = reason;
        }

        @Override
        public Map<String, Object> describe(Step message) {
            return Map.of("job", "units", "job_id", message.jobId(), "step", message.step());
        }
    }

    private final List<Step> sent = new ArrayList<>();
    private final List<String> retries = new ArrayList<>();
    private boolean queueDown;
    private final WorkQueue<Step> queue = new WorkQueue<>(null, null) {
        @Override
        public void send(Step message) {
            if (queueDown) {
                throw new IllegalStateException("SQS is down");
            }
            sent.add(message);
        }

        @Override
        public void retryIn(String receiptHandle, int seconds) {
            retries.add(receiptHandle + " in " + seconds + " s");
        }
    };
    private final Units units = new Units();
    private final List<MetricRecord> metrics = new ArrayList<>();
    private final StepRunner<Step> runner = new StepRunner<>(Step.class, units, queue, new StepRunner.Settings(60_000, 1_000, 3),
            new JobMetrics(metrics::add, "test"));

    private static SQSEvent delivery(Step step, int receiveCount) {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId("m-" + step.step());
        message.setReceiptHandle("handle-" + step.step());
        message.setBody(Json.write(step));
        message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
        var event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private static Context remaining(long millis) {
        var context = mock(Context.class);
        when(context.getRemainingTimeInMillis()).thenReturn((int) millis);
        return context;
    }

    private static List<String> failures(com.amazonaws.services.lambda.runtime.events.SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(BatchItemFailure::getItemIdentifier).toList();
    }

    // ---- the deadline ------------------------------------------------------------------------

    @Test
    void aStepAlwaysWorksOneUnitThenOnlyWhileTimeIsLeft() {
        var spent = Budget.of(() -> false);
        assertThat(spent.another()).isTrue();
        assertThat(spent.another()).isFalse();
        assertThat(spent.another()).isFalse();
        var twoMore = new int[] {2};
        var some = Budget.of(() -> twoMore[0]-- > 0);
        int worked = 0;
        while (some.another()) {
            worked++;
        }
        assertThat(worked).isEqualTo(3);
    }

    @Test
    void theDeadlineIsTheFunctionsRemainingTimeLessTheReserveCappedByTheBudget() throws InterruptedException {
        assertThat(Budget.until(remaining(5_000), 60_000, 5_000).getAsBoolean()).as("nothing left beyond the reserve").isFalse();
        assertThat(Budget.until(remaining(2_000), 60_000, 5_000).getAsBoolean()).as("less than the reserve").isFalse();
        assertThat(Budget.until(remaining(900_000), 0, 5_000).getAsBoolean()).as("no budget").isFalse();
        assertThat(Budget.until(remaining(900_000), 60_000, 5_000).getAsBoolean()).isTrue();
        assertThat(Budget.until(null, 60_000, 5_000).getAsBoolean()).as("no context: the budget alone").isTrue();
        BooleanSupplier shortOne = Budget.until(remaining(5_600), 60_000, 5_000);
        assertThat(shortOne.getAsBoolean()).isTrue();
        Thread.sleep(800);
        assertThat(shortOne.getAsBoolean()).isFalse();
    }

    @Test
    void anInvocationWithoutTimeLeftWorksOneUnitPerStepAndSendsTheNextStep() {
        units.jobs.put("j1", new Job(3));
        var response = runner.handle(delivery(new Step("j1", 0), 1), remaining(1_000));
        assertThat(failures(response)).isEmpty();
        assertThat(units.jobs.get("j1").done).isEqualTo(1);
        assertThat(sent).containsExactly(new Step("j1", 1));

        runner.handle(delivery(sent.get(0), 1), remaining(1_000));
        runner.handle(delivery(sent.get(1), 1), remaining(1_000));
        assertThat(units.jobs.get("j1").done).isEqualTo(3);
        assertThat(units.jobs.get("j1").finished()).isTrue();
        assertThat(sent).as("the last step sends nothing").containsExactly(new Step("j1", 1), new Step("j1", 2));
    }

    @Test
    void anInvocationWithTimeWorksTheWholeJobInOneStep() {
        units.jobs.put("j1", new Job(50));
        runner.handle(delivery(new Step("j1", 0), 1), remaining(120_000));
        assertThat(units.jobs.get("j1").done).isEqualTo(50);
        assertThat(units.jobs.get("j1").step).isEqualTo(1);
        assertThat(sent).isEmpty();
    }

    // ---- the record's step -------------------------------------------------------------------

    @Test
    void aRedeliveredMessageWhoseStepIsRecordedSendsTheNextStepAgainWithoutWorkingIt() {
        units.jobs.put("j1", new Job(3));
        var first = new Step("j1", 0);
        runner.run(first, 1, () -> false);
        assertThat(sent).containsExactly(first.next());

        // SQS delivers the first message again (its run died after the record, maybe before the send)
        runner.run(first, 2, () -> false);
        assertThat(sent).containsExactly(first.next(), first.next());
        assertThat(units.worked).containsExactly("j1@0");
        assertThat(units.jobs.get("j1").done).isEqualTo(1);

        // a first delivery of a stale message, or one two steps behind, does nothing
        runner.run(first, 1, () -> false);
        runner.run(sent.get(0), 1, () -> false);
        runner.run(first, 3, () -> false);
        assertThat(sent).containsExactly(first.next(), first.next(), new Step("j1", 2));
        assertThat(units.worked).containsExactly("j1@0", "j1@1");
    }

    @Test
    void aFinishedOrUnknownJobIsLeftAlone() {
        units.jobs.put("done", new Job(0));
        runner.run(new Step("done", 0), 2, () -> true);
        runner.run(new Step("nobody", 0), 2, () -> true);
        assertThat(units.worked).isEmpty();
        assertThat(sent).isEmpty();
    }

    // ---- failures ----------------------------------------------------------------------------

    @Test
    void aFailedStepIsRetriedSoonerEachTimeLongerAndOnTheLastDeliveryTheJobGivesUp() {
        units.jobs.put("j1", new Job(3));
        units.failure = new IllegalStateException("the table is down");
        var step = new Step("j1", 0);
        for (int receives = 1; receives <= 2; receives++) {
            assertThat(failures(runner.handle(delivery(step, receives), null))).containsExactly("m-0");
        }
        assertThat(retries).containsExactly("handle-0 in 30 s", "handle-0 in 60 s");
        assertThat(units.jobs.get("j1").error).isNull();
        assertThat(metrics).isEmpty();

        // the last delivery (maxReceives 3): no retry asked, the job failed saying why; SQS moves the message to the DLQ
        assertThat(failures(runner.handle(delivery(step, 3), null))).containsExactly("m-0");
        assertThat(retries).hasSize(2);
        assertThat(units.jobs.get("j1").error).isEqualTo("failed 3 times; the last error: the table is down");
        assertThat(units.jobs.get("j1").finished()).isTrue();
        assertThat(sent).isEmpty();
        // counted: the job failed, its message left to the DLQ
        assertThat(metrics).singleElement().satisfies(record -> {
            assertThat(record.dimensions()).containsEntry("JobKind", "test");
            assertThat(record.value("JobsFailed")).isEqualTo(1);
            assertThat(record.value("MessagesDeadLettered")).isEqualTo(1);
        });
    }

    @Test
    void theBackoffDoublesUpToAQuarterOfAnHour() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 50).stream().map(StepRunner::retryDelaySeconds))
                .containsExactly(30, 60, 120, 240, 480, 900, 900, 900);
    }

    @Test
    void aStepRecordedButNotHandedOnFailsAndItsRedeliverySendsTheNextStep() {
        units.jobs.put("j1", new Job(3));
        queueDown = true;
        var step = new Step("j1", 0);
        assertThat(failures(runner.handle(delivery(step, 1), remaining(1_000)))).containsExactly("m-0");
        assertThat(units.jobs.get("j1").step).as("the step was recorded").isEqualTo(1);
        assertThat(retries).containsExactly("handle-0 in 30 s");

        queueDown = false;
        assertThat(failures(runner.handle(delivery(step, 2), remaining(1_000)))).isEmpty();
        assertThat(sent).containsExactly(step.next());
        assertThat(units.worked).containsExactly("j1@0");
    }

    @Test
    void aMessageThatIsNotTheJobsIsAFailureAndIsNotWorked() {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId("m-x");
        message.setBody("{\"jobId\":\"j1\",\"step\":0,\"extra\":1}");
        var event = new SQSEvent();
        event.setRecords(List.of(message));
        assertThat(failures(runner.handle(event, null))).containsExactly("m-x");
        assertThat(units.worked).isEmpty();
        assertThat(metrics).as("not its last delivery").isEmpty();

        // on its last delivery, SQS moves the poison message to the DLQ: counted, though no job can be marked failed
        message.setAttributes(Map.of("ApproximateReceiveCount", "3"));
        assertThat(failures(runner.handle(event, null))).containsExactly("m-x");
        assertThat(metrics).singleElement().satisfies(record -> assertThat(record.value("MessagesDeadLettered")).isEqualTo(1));
    }

    @Test
    void theSettingsComeFromTheFunctionsEnvironmentUnderTheJobsPrefix() {
        var settings = StepRunner.Settings.from(new Env(Map.of("EXPORT_BUDGET_MILLIS", "1234", "EXPORT_MAX_RECEIVES", "7")),
                "EXPORT", 180_000, 60_000);
        assertThat(settings).isEqualTo(new StepRunner.Settings(1_234, 60_000, 7));
        assertThat(StepRunner.Settings.from(new Env(Map.of()), "EXPIRY", 240_000, 10_000))
                .isEqualTo(new StepRunner.Settings(240_000, 10_000, 5));
    }

    @Test
    void eachDeliveryIsLoggedAsAJobStepWithTheJobItsItemsAndOutcome() {
        units.jobs.put("j1", new Job(5));
        var captured = LogCapture.of(() -> runner.handle(delivery(new Step("j1", 0), 1), remaining(120_000)));
        var line = captured.line("job step");
        assertThat(line.path("job").asText()).isEqualTo("units");
        assertThat(line.path("job_id").asText()).isEqualTo("j1");
        assertThat(line.path("step").asLong()).isZero();
        assertThat(line.path("items").asLong()).isEqualTo(5);
        assertThat(line.path("continues").asBoolean()).isFalse();
        assertThat(line.path("outcome").asText()).isEqualTo("ok");
        assertThat(line.path("message_id").asText()).isEqualTo("m-0");
        assertThat(line.path("receive_count").asInt()).isEqualTo(1);
        assertThat(line.path("duration_ms").isIntegralNumber()).isTrue();

        units.jobs.put("j2", new Job(5));
        units.failure = new IllegalStateException("down");
        var failed = LogCapture.of(() -> runner.handle(delivery(new Step("j2", 0), 3), null)).line("job step");
        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("gave_up").asBoolean()).isTrue();
        assertThat(failed.path("receive_count").asInt()).isEqualTo(3);
        assertThat(failed.path("level").asText()).isEqualTo("ERROR");
    }
}
