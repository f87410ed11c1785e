package com.clientele.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON mapping an API function's first request needs ({@link Json#MAPPER}, the reader and
 * writer of the record its hot route serves, a log line), built on a thread of its own while the
 * function's constructor builds its SDK clients. Lambda runs a function's init with burst CPU on
 * every vCPU of its environment, so the two overlap; the constructor {@link #await}s it before init
 * ends, so the first request finds the mapping built. Loading this class builds nothing: only its
 * thread touches {@link Json}, and it touches nothing of the SDK's, whose classes the constructor's
 * thread initialises alone (a constructor that needs {@link Json} waits for it, as for any class).
 */
public final class Prewarm {

    private final Thread thread;

    private Prewarm(Thread thread) {
        this.thread = thread;
    }

    /** Starts building the mapping of {@code type}, from {@code sample}. */
    public static Prewarm start(Class<?> type, String sample) {
        return new Prewarm(Thread.ofPlatform().name("prewarm").daemon().start(() -> {
            try {
                run(type, sample);
            } catch (RuntimeException e) {
                // Only a head start is lost: the first request builds what is missing.
            }
        }));
    }

    /**
     * What the thread does: reads {@code sample} as a {@code type} (from a tree, as an item is read),
     * writes it back (as a response is) and writes a line as the logs do; returns the written
     * {@code type}. Throws if {@code sample} is not a {@code type}.
     */
    public static String run(Class<?> type, String sample) {
        String written;
        try {
            written = Json.write(Json.MAPPER.treeToValue(Json.MAPPER.readTree(sample), type));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Json.write(Map.of("level", "INFO", "status", 200, "latencyMs", 0.5, "coldStart", true));
        return written;
    }

    /** Waits until the mapping is built (or its thread gave up). */
    public void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
