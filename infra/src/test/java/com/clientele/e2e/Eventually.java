package com.clientele.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** For what happens asynchronously (queues, pollers): read until it holds or time runs out. */
public final class Eventually {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Eventually() {
    }

    /** The first value that satisfies {@code done}, or the last one read when time ran out. */
    public static <T> T get(Supplier<T> read, Predicate<T> done) {
        return get(read, done, TIMEOUT);
    }

    public static <T> T get(Supplier<T> read, Predicate<T> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            T value = read.get();
            if (done.test(value) || Instant.now().isAfter(deadline)) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return value;
            }
        }
    }
}
