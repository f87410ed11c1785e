package com.clientele.shared.jobs;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.BooleanSupplier;

/**
 * A step's time: whether another unit of work (a customer, a page, a part) may start. The first
 * unit of a step always may, so a step always gets on, however little time is left; the next ones
 * while the invocation's deadline ({@link #until}) has not passed. It also counts the items the step
 * handled (customers checked, rows written, lots expired: {@link #worked}), for the step's log line.
 */
public final class Budget {

    private final BooleanSupplier timeLeft;
    private boolean started;
    private long items;

    private Budget(BooleanSupplier timeLeft) {
        this.timeLeft = timeLeft;
    }

    /** A step's budget: {@code timeLeft} says whether the invocation's time allows another unit after the first. */
    public static Budget of(BooleanSupplier timeLeft) {
        return new Budget(timeLeft);
    }

    /** A budget that never runs out (benchmarks, runs by hand). */
    public static Budget unlimited() {
        return new Budget(() -> true);
    }

    /**
     * The invocation's deadline: {@code budgetMillis} from now, but no later than the function's
     * remaining time less {@code reserveMillis} (what the step needs after its last unit: its
     * record, the next message). Without a Lambda context (a test), the budget alone.
     */
    public static BooleanSupplier until(Context context, long budgetMillis, long reserveMillis) {
        long budget = context == null ? budgetMillis : Math.min(budgetMillis, context.getRemainingTimeInMillis() - reserveMillis);
        long deadline = System.nanoTime() + Math.max(0, budget) * 1_000_000;
        return () -> System.nanoTime() - deadline < 0;
    }

    /** Whether another unit of work may start: always the first, then while there is time left. */
    public boolean another() {
        if (!started) {
            started = true;
            return true;
        }
        return timeLeft.getAsBoolean();
    }

    /** Notes that the step handled {@code count} more items. */
    public void worked(long count) {
        items += count;
    }

    /** The items the step handled so far. */
    public long items() {
        return items;
    }
}
