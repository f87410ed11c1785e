package com.clientele.e2e;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Everything the test JVM writes to standard output and error while the tests run, which includes
 * every log line of every function the local clouds run, kept in a file as well as shown
 * ({@value #FILE} under {@code target}): {@link LogScanTest}, last, scans it for the personal values
 * the tests used, and tests read the functions' JSON lines from it ({@link #logLines}). A JUnit
 * listener (registered in {@code META-INF/services}), so it is in place before the first test.
 */
public final class SuiteOutput implements TestExecutionListener {

    static final String FILE = "e2e-output.log";
    private static Path file;
    private static PrintStream sink;
    private static PrintStream out;
    private static PrintStream err;

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        install();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        synchronized (SuiteOutput.class) {
            if (sink != null) {
                System.setOut(out);
                System.setErr(err);
                sink.close();
                sink = null;
            }
        }
    }

    static synchronized void install() {
        if (sink != null) {
            return;
        }
        try {
            Path target = Path.of(System.getProperty("clientele.target", "target"));
            Files.createDirectories(target);
            file = target.resolve(FILE);
            sink = new PrintStream(new FileOutputStream(file.toFile()), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(CapturedOutput.tee(out, sink), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(CapturedOutput.tee(err, sink), true, StandardCharsets.UTF_8));
    }

    /** Everything written so far (empty when the listener did not run). */
    static synchronized String text() {
        if (file == null) {
            return "";
        }
        sink.flush();
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The functions' JSON log lines written so far. */
    static List<JsonNode> logLines() {
        var lines = new ArrayList<JsonNode>();
        for (String line : text().split("\n")) {
            if (line.startsWith("{\"timestamp\"") && line.contains("\"service\":\"clientele\"")) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException | RuntimeException e) {
                    // a line cut by another thread's output: not one to read
                }
            }
        }
        return lines;
    }
}
