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
}
