package com.clientele.shared;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Work run on other threads (virtual threads that overlap calls to the table), read back. */
public final class Futures {

    private Futures() {
    }

    /** What the work returned, or the runtime exception it threw, thrown here as it was. */
    public static <T> T join(Future<T> work) {
        try {
            return work.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for work on another thread", e);
        }
    }

    /**
     * Runs {@code work} on each of {@code items}, {@code parallelism} at once on virtual threads (in the
     * caller's thread when one at a time would do), and returns when all are done; the first runtime
     * exception one threw is thrown here.
     */
    public static <T> void each(java.util.List<T> items, int parallelism, java.util.function.Consumer<T> work) {
        if (parallelism <= 1 || items.size() <= 1) {
            items.forEach(work);
            return;
        }
        var slots = new java.util.concurrent.Semaphore(parallelism);
        var started = new java.util.ArrayList<Future<?>>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (var item : items) {
                slots.acquireUninterruptibly();
                started.add(threads.submit(() -> {
                    try {
                        work.accept(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        started.forEach(Futures::join);
    }
}
