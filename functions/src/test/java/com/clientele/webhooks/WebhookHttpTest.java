package com.clientele.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against a real HTTP server on loopback: the status counts, the body is never waited for, redirects are not followed. */
class WebhookHttpTest {

    private HttpServer server;

    private URI serve(String path, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(path, handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aReceiverTricklingItsBodyCostsNoMoreThanItsStatus() throws Exception {
        var url = serve("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException dropped) {
                // the sender has gone, as it should
            }
        });
        var http = new WebhookHttp(new Destinations(true), Duration.ofSeconds(1));

        var outcome = http.post(url, "{}", Map.of("Clientele-Event-Id", "evt_1"));

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.delivered()).isTrue();
        assertThat(outcome.latencyMs()).isLessThan(4_000); // the body alone takes 5 s
    }

    @Test
    void aReceiverSilentBeyondTheTimeoutIsATimeoutAndARedirectIsNotFollowed() throws Exception {
        var url = serve("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/slow");
                exchange.sendResponseHeaders(302, -1);
            } else {
                try {
                    Thread.sleep(3_000);
                    exchange.sendResponseHeaders(200, -1);
                } catch (InterruptedException | IOException ignored) {
                    // gone
                }
            }
            exchange.close();
        });
        var http = new WebhookHttp(new Destinations(true), Duration.ofSeconds(1));

        var slow = http.post(url.resolve("/slow"), "{}", Map.of());
        assertThat(slow.status()).isNull();
        assertThat(slow.error()).isEqualTo("timeout");

        var moved = http.post(url.resolve("/moved"), "{}", Map.of());
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.delivered()).isFalse();
    }
}
