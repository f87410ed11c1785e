package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cloud keeps what SQS keeps: killed (SIGKILL, no shutdown hook) and started again on
 * the same data folder, the events that were in its queues are still there and get applied, and its
 * clock keeps the time it was moved to. The cloud runs in a JVM of its own, the way a developer
 * runs it, so that the kill is a real one.
 */
class LocalCloudRestartTest {

    private static final Duration START = Duration.ofMinutes(10);

    @TempDir
    Path data;

    @Test
    void events_queued_when_the_local_cloud_is_killed_are_applied_after_it_restarts() throws Exception {
        int port = freePort();
        URI base = URI.create("http://localhost:" + port);
        String customer;
        Api api;
        JsonNode moved;
        // First run: the pollers are off, so the charge's events wait in the LTV and points queues.
        var first = launch(port, "first", "--no-pollers");
        try {
            api = new Api(base, token(base));
            var created = api.post("/customers", CustomersApiContract.person("Ada", "Lovelace", "ada@example.com", "+14155550123"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            customer = created.json().path("id").asText();
            assertThat(api.post("/customers/" + customer + "/payment-methods", PaymentsApiContract.card("4242424242424242"))
                    .status()).isEqualTo(201);
            var charge = api.send("POST", "/customers/" + customer + "/charges",
                    PaymentsApiContract.charge(8900, "USD", null), "Idempotency-Key", "restart-1");
            assertThat(charge.status()).as(charge.toString()).isEqualTo(201);
            var profile = api.get("/customers/" + customer).json();
            assertThat(profile.path("stats").path("ltv").path("amount").asLong()).isZero();
            assertThat(profile.path("pointsAvailable").asLong()).isZero();
            moved = new CloudClock(base).advance("P1D"); // kept in the data folder too
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // Second run, pollers on: what was queued is delivered and applied.
        var second = launch(port, "second");
        try {
            var profile = Eventually.get(() -> api.get("/customers/" + customer).json(),
                    p -> p.path("pointsAvailable").asLong() == 89 && p.path("stats").path("ltv").path("amount").asLong() == 8900,
                    Duration.ofSeconds(120));
            assertThat(profile.path("stats").path("ltv").path("amount").asLong()).isEqualTo(8900);
            assertThat(profile.path("stats").path("orders").asLong()).isEqualTo(1);
            assertThat(profile.path("pointsAvailable").asLong()).isEqualTo(89);
            var clock = new CloudClock(base);
            assertThat(clock.offset()).isEqualTo(Duration.ofDays(1));
            assertThat(clock.now()).isAfter(Instant.parse(moved.path("now").asText()));
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    /** The local cloud in a JVM of its own on {@link #data}; returns once it is up. */
    private Process launch(int port, String name, String... options) throws Exception {
        Path log = data.resolve(name + ".log");
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dsqlite4java.library.path=" + System.getProperty("sqlite4java.library.path"),
                "-cp", System.getProperty("java.class.path"), "com.clientele.local.LocalCloud",
                "--data", data.resolve("cloud").toString(), "--port", Integer.toString(port), "--no-schedules",
                "--template", TestCloud.template().toString()));
        command.addAll(List.of(options));
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log).contains("local cloud is up")) {
                return process;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the local cloud exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("the local cloud did not start in " + START + ": " + Files.readString(log));
    }

    private static String token(URI base) {
        var reply = new Api(base, null).post("/_local/tokens", "{\"tenantId\": \"restart\", \"userId\": \"alice\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode json = reply.json();
        return json.path("token").asText();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
