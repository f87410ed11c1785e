package com.clientele.webhooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * POSTs a webhook: JSON, the given headers, {@code timeout} to connect and {@code timeout} until the
 * response's status, no redirect followed (a 3xx is a failure like any non-2xx). The status is all that
 * counts: the response body is never read (its subscription is cancelled as it starts, which drops the
 * connection), so a receiver that trickles a body costs no more time. The destination is checked first
 * ({@link Destinations}).
 */
class WebhookHttp {

    /** Takes the status and cancels the body at once. */
    private static final HttpResponse.BodyHandler<Void> STATUS_ONLY = info -> new HttpResponse.BodySubscriber<>() {
        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    };

    /** What an attempt got: a status (null when none came) and why not, and how long it took. */
    record Outcome(Integer status, String error, long latencyMs) {

        boolean delivered() {
            return status != null && status / 100 == 2;
        }
    }

    private final HttpClient client;
    private final Destinations destinations;
    private final Duration timeout;

    WebhookHttp(Destinations destinations, Duration timeout) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        this.destinations = destinations;
        this.timeout = timeout;
    }

    Outcome post(URI url, String body, Map<String, String> headers) {
        long start = System.nanoTime();
        try {
            destinations.check(url);
            var request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                    .header("User-Agent", "Clientele-Webhooks/1").POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            var response = client.send(request.build(), STATUS_ONLY);
            return new Outcome(response.statusCode(), null, millisSince(start));
        } catch (Destinations.Refused e) {
            return new Outcome(null, e.getMessage(), millisSince(start));
        } catch (HttpTimeoutException e) {
            return new Outcome(null, "timeout", millisSince(start));
        } catch (ConnectException e) {
            return new Outcome(null, "connection_refused", millisSince(start));
        } catch (IOException e) {
            return new Outcome(null, "connection_error", millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted", millisSince(start));
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
