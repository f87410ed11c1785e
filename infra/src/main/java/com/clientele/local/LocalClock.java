package com.clientele.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAmount;
import java.util.Map;

/**
 * The local cloud's clock: the system's UTC time plus an offset that only grows, moved forward by
 * {@code POST /_local/clock}. Every function the local cloud runs reads the time from it (its
 * {@code Components} are given this clock), and so do the schedules and the API's request times;
 * the tokens, timeouts and the engines (SQS visibility, DynamoDB) keep the real time. The offset is
 * kept in the data folder ({@value #FILE}), so a restart on the same folder keeps the time; a cloud
 * without a data folder starts at the real time.
 */
final class LocalClock extends Clock {

    static final String FILE = "clock.json";
    /** How far ahead the clock may go: far enough for any contract, near enough for the schedules' arithmetic. */
    static final Duration MAX_OFFSET = Duration.ofDays(100 * 366);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private volatile Duration offset;

    private LocalClock(Path file, Duration offset) {
        this.file = file;
        this.offset = offset;
    }

    /** The clock of the cloud on {@code dataDir} (its kept offset, or none), or of a cloud in memory when null. */
    static LocalClock load(Path dataDir) {
        Path file = dataDir == null ? null : dataDir.resolve(FILE);
        Duration offset = Duration.ZERO;
        if (file != null && Files.exists(file)) {
            try {
                offset = Duration.parse(JSON.readTree(file.toFile()).path("offset").asText());
            } catch (IOException | DateTimeParseException e) {
                throw new IllegalStateException("cannot read the local clock's offset in " + file + ": " + e.getMessage(), e);
            }
        }
        return new LocalClock(file, offset);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(ZoneOffset.UTC) ? this : new Clock() {
            @Override
            public Instant instant() {
                return LocalClock.this.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return LocalClock.this.withZone(other);
            }
        };
    }

    /** What {@code GET /_local/clock} answers: the clock's time and how far it is ahead of the real one. */
    Map<String, String> state() {
        Duration ahead = offset;
        return Map.of("now", Instant.now().plus(ahead).toString(), "offset", ahead.toString());
    }

    /**
     * {@code amount} as ISO-8601: a period ({@code P1M}, {@code P1Y2M3D}, added to the date as a
     * calendar does: a month from 31 January is 28 or 29 February) or a duration ({@code PT36H},
     * {@code P2DT3H}).
     *
     * @throws IllegalArgumentException if it is neither
     */
    private static TemporalAmount amount(String amount) {
        try {
            return Period.parse(amount);
        } catch (DateTimeParseException notPeriod) {
            try {
                return Duration.parse(amount);
            } catch (DateTimeParseException notDuration) {
                throw new IllegalArgumentException("must be an ISO-8601 period or duration, such as P1M, P7D or PT36H");
            }
        }
    }

    /**
     * Moves the clock from {@code now} (its time, read once) to {@code target}: the offset grows by
     * exactly the difference, and is kept in the data folder.
     *
     * @throws IllegalArgumentException if {@code target} is before {@code now} (the clock moves
     *                                  forward only) or the clock would be more than {@link #MAX_OFFSET} ahead
     */
    private void moveTo(Instant now, Instant target) {
        if (target.isBefore(now)) {
            throw new IllegalArgumentException("is before the clock's time " + now + ": the clock moves forward only");
        }
        Duration moved = offset.plus(Duration.between(now, target));
        if (moved.compareTo(MAX_OFFSET) > 0) {
            throw tooFar();
        }
        keep(moved);
        offset = moved;
    }

    private static IllegalArgumentException tooFar() {
        return new IllegalArgumentException("is too far: the clock may go at most " + MAX_OFFSET.toDays() + " days ahead");
    }

    private void keep(Duration moved) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE + ".new");
            Files.write(temporary, JSON.writeValueAsBytes(Map.of("offset", moved.toString())));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the local clock's offset in " + file, e);
        }
    }

    /**
     * Moves the clock as a request asks: {@code {"advance": "P1M"}} (an ISO-8601 period or duration)
     * or {@code {"set": "2027-01-01T00:00:00Z"}}, forward only.
     *
     * @throws FieldException naming the field wrongly given, and why
     */
    void move(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new FieldException("advance", "give {\"advance\": \"P1M\"} (an ISO-8601 period or duration) or {\"set\": \"2027-01-01T00:00:00Z\"}");
        }
        boolean advance = request.has("advance");
        boolean set = request.has("set");
        if (advance == set) {
            throw new FieldException("advance", "give either advance (an ISO-8601 period or duration) or set (an instant), not "
                    + (advance ? "both" : "neither"));
        }
        String field = advance ? "advance" : "set";
        JsonNode value = request.get(field);
        if (!value.isTextual()) {
            throw new FieldException(field, "must be a string");
        }
        try {
            synchronized (this) {
                Instant now = instant();
                moveTo(now, advance ? after(now, value.asText()) : instant(value.asText()));
            }
        } catch (IllegalArgumentException e) {
            throw new FieldException(field, e.getMessage());
        }
    }

    /** {@code amount} after {@code now}, by the UTC calendar for a period. */
    private static Instant after(Instant now, String text) {
        var amount = amount(text);
        if (amount instanceof Period p && p.isNegative() || amount instanceof Duration d && d.isNegative()) {
            throw new IllegalArgumentException("is negative: the clock moves forward only");
        }
        try {
            return now.atZone(ZoneOffset.UTC).plus(amount).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw tooFar();
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 instant in UTC, such as 2027-01-01T00:00:00Z");
        }
    }

    /** A request to move the clock that names a field wrongly given. */
    static final class FieldException extends IllegalArgumentException {
        final String field;

        FieldException(String field, String message) {
            super(message);
            this.field = field;
        }
    }
}
