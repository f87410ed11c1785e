package com.clientele.shared.logs;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The log lines written to standard output while some work runs (a test's); metric lines are left out. */
public final class LogCapture {

    private LogCapture() {
    }

    /** What {@code work} logged: its text, and its JSON lines. */
    public record Captured(String text, List<JsonNode> lines) {
        /** The one line named {@code message}. */
        public JsonNode line(String message) {
            var named = lines.stream().filter(l -> message.equals(l.path("message").asText())).toList();
            if (named.size() != 1) {
                throw new AssertionError("expected one \"" + message + "\" line, got " + named.size() + " in:\n" + text);
            }
            return named.get(0);
        }
    }

    public static Captured of(Runnable work) {
        var bytes = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(before);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        var lines = new ArrayList<JsonNode>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    var json = Json.MAPPER.readTree(line);
                    if (json.has("level") && json.has("message")) { // a log line, not a metric's (EMF)
                        lines.add(json);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + line, e);
                }
            }
        }
        return new Captured(text, lines);
    }
}
