package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.local.fixtures.RecordingScheduleHandler;
import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cloud's clock ({@code GET} and {@code POST /_local/clock}) on a cloud whose schedules
 * fire on time: moved forward, the schedules whose time came in the jump run once, before the
 * answer, with the event of the last time they were due; its offset is kept in the data folder.
 */
class LocalClockTest {

    private static LocalCloud cloud;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path folder;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloud.Options.inMemory(
                Path.of(LocalClockTest.class.getResource("/events-template.yaml").toURI())).withSchedules(true));
    }

    @AfterAll
    static void stop() throws Exception {
        cloud.close();
    }

    @Test
    void advancingRunsEachScheduleDueInTheJumpOnceWithItsLastTime() throws Exception {
        var read = send("GET", null);
        assertThat(read.statusCode()).isEqualTo(200);
        Duration offset = Duration.parse(json(read).path("offset").asText());
        Instant before = Instant.parse(json(read).path("now").asText());
        assertThat(before).isBetween(Instant.now().plus(offset).minusSeconds(30), Instant.now().plus(offset));

        var moved = send("POST", "{\"advance\": \"PT2H\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        var answer = json(moved);
        assertThat(Duration.parse(answer.path("offset").asText())).isEqualTo(offset.plusHours(2));
        Instant now = Instant.parse(answer.path("now").asText());
        assertThat(now).isBetween(before.plus(Duration.ofHours(2)), before.plus(Duration.ofHours(2)).plusSeconds(30));
        // Nightly, rate(1 minute), ran once for the 120 minutes, at the last minute due; Reports is disabled.
        assertThat(answer.path("ran")).hasSize(1);
        var run = answer.path("ran").get(0);
        assertThat(run.path("function").asText()).isEqualTo("Nightly");
        Instant time = Instant.parse(run.path("time").asText());
        assertThat(time).isBetween(now.minus(Duration.ofMinutes(1)), now);
        assertThat(Instant.parse(run.path("result").path("time").asText())).isEqualTo(time);
        assertThat(RecordingScheduleHandler.EVENTS).anyMatch(e -> e.getId().equals(run.path("result").path("id").asText()));
        assertThat(cloud.clock().instant()).isAfterOrEqualTo(now);

        Instant target = now.plus(Duration.ofDays(1));
        var set = send("POST", "{\"set\": \"" + target + "\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(Instant.parse(json(set).path("now").asText())).isBetween(target, target.plusSeconds(30));
        assertThat(json(set).path("ran")).extracting(r -> r.path("function").asText()).containsExactly("Nightly");
        assertThat(Instant.parse(json(send("GET", null)).path("now").asText())).isAfterOrEqualTo(target);
    }

    @Test
    void aBackwardOrMalformedMoveIsA400NamingTheField() throws Exception {
        String offset = json(send("GET", null)).path("offset").asText();
        var back = send("POST", "{\"set\": \"2020-01-01T00:00:00Z\"}");
        assertThat(back.statusCode()).isEqualTo(400);
        assertThat(back.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(back).path("errors").get(0).path("field").asText()).isEqualTo("set");
        assertThat(json(back).path("errors").get(0).path("message").asText()).contains("forward only");
        var malformed = send("POST", "{\"advance\": \"a month\"}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("errors").get(0).path("field").asText()).isEqualTo("advance");
        assertThat(send("POST", "[]").statusCode()).isEqualTo(400);
        assertThat(json(send("GET", null)).path("offset").asText()).isEqualTo(offset);
        assertThat(send("PUT", "{\"advance\": \"P1D\"}").statusCode()).as("only GET and POST").isEqualTo(404);
    }

    @Test
    void movingTheClockRunsNoScheduleWhereSchedulesDoNotFireOnTime() throws Exception {
        try (var quiet = LocalCloud.start(LocalCloud.Options.inMemory(
                Path.of(LocalClockTest.class.getResource("/events-template.yaml").toURI())))) {
            var moved = HTTP.send(HttpRequest.newBuilder(URI.create(quiet.apiUrl() + "/_local/clock"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"advance\": \"P1D\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            assertThat(json(moved).path("ran")).isEmpty();
            assertThat(quiet.clock().instant()).isAfter(Instant.now().plus(Duration.ofHours(23)));
            assertThat(quiet.eventSources()).anyMatch(line -> line.contains("Nightly") && line.contains("on demand only"));
        }
    }

    @Test
    void theOffsetIsKeptInTheDataFolderAndAnInMemoryClockStartsAtTheRealTime() throws Exception {
        var clock = LocalClock.load(folder);
        assertThat(clock.state()).containsEntry("offset", "PT0S");
        clock.move(Json.MAPPER.readTree("{\"advance\": \"P1M\"}"));
        String offset = clock.state().get("offset");
        assertThat(Duration.parse(offset)).isBetween(Duration.ofDays(28), Duration.ofDays(31));
        assertThat(folder.resolve(LocalClock.FILE)).exists();

        var again = LocalClock.load(folder);
        assertThat(again.state()).containsEntry("offset", offset);
        assertThat(again.instant()).isAfter(Instant.now().plus(Duration.ofDays(27)));
        assertThat(LocalClock.load(null).state()).containsEntry("offset", "PT0S");

        Files.writeString(folder.resolve(LocalClock.FILE), "{\"offset\": \"soon\"}");
        assertThatThrownBy(() -> LocalClock.load(folder)).isInstanceOf(IllegalStateException.class).hasMessageContaining(LocalClock.FILE);
    }

    private static HttpResponse<String> send(String method, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(cloud.apiUrl() + "/_local/clock"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
