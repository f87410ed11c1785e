package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A local cloud's clock, read and moved over HTTP as anyone can by hand ({@code GET} and
 * {@code POST /_local/clock}): for tests that need time to pass, on {@link TestCloud#movable()}.
 */
public final class CloudClock {

    private final Api local;

    public CloudClock(URI base) {
        this.local = new Api(base, null);
    }

    /** The clock's time. */
    public Instant now() {
        return Instant.parse(read().path("now").asText());
    }

    /** How far the clock is ahead of the real time. */
    public Duration offset() {
        return Duration.parse(read().path("offset").asText());
    }

    /**
     * Moves the clock forward by {@code amount} (ISO-8601: {@code P1M}, {@code PT10M}) and answers
     * {@code {now, offset, ran}}: {@code ran} lists the scheduled functions run for the jump, each
     * {@code {function, time, result}}.
     */
    public JsonNode advance(String amount) {
        return moved(local.post("/_local/clock", "{\"advance\": \"" + amount + "\"}"));
    }

    /** Moves the clock forward to {@code time}; as {@link #advance}. */
    public JsonNode set(Instant time) {
        return moved(local.post("/_local/clock", "{\"set\": \"" + time + "\"}"));
    }

    /** {@code POST /_local/clock} with this body, whatever it answers. */
    public Api.Reply move(String body) {
        return local.post("/_local/clock", body);
    }

    private JsonNode read() {
        var reply = local.get("/_local/clock");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static JsonNode moved(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }
}
