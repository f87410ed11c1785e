package com.clientele.e2e;

import com.clientele.local.LocalCloud;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One in-memory local cloud per test JVM, shared by the suites (each test uses its own tenant). */
public final class TestCloud {

    private static LocalCloud embedded;
    private static LocalCloud movable;

    private TestCloud() {
    }

    public static synchronized LocalCloud embedded() {
        if (embedded == null) {
            embedded = startedUntilExit(LocalCloud.Options.inMemory(tappedTemplate()));
        }
        return embedded;
    }

    /**
     * A second in-memory local cloud, of the template as it is, for the tests that move its clock
     * forward ({@link CloudClock}): moving the shared one's would age every other test's data. Its
     * schedules fire on time, so an advance runs those that came due in the jump.
     */
    public static synchronized LocalCloud movable() {
        if (movable == null) {
            movable = startedUntilExit(LocalCloud.Options.inMemory(template()).withSchedules(true));
        }
        return movable;
    }

    /** A local cloud started with {@code options}, closed when the JVM exits. */
    private static LocalCloud startedUntilExit(LocalCloud.Options options) {
        LocalCloud cloud;
        try {
            cloud = LocalCloud.start(options);
        } catch (Exception e) {
            throw new IllegalStateException("the local cloud did not start", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cloud.close();
            } catch (Exception ignored) {
                // JVM exit
            }
        }));
        return cloud;
    }

    public static Path template() {
        return Path.of(System.getProperty("clientele.template", "../template.yaml"));
    }

    /** The queue tests read payment events from: every consumer's queue has its consumer. */
    public static final String EVENTS_TAP = "TestEventsTap";

    /**
     * The template plus one queue for tests only, {@value #EVENTS_TAP}, which the payment functions
     * and the outbox relay send every event to as they send it to the consumers' queues (it is one
     * more URL in their EVENT_QUEUE_URLS), and which nothing consumes: what tests drain to see the
     * events themselves. Everything else is the template as it is.
     */
    public static Path tappedTemplate() {
        try {
            String original = java.nio.file.Files.readString(template());
            String urls = "EVENT_QUEUE_URLS: !Sub \"${LtvEventsQueue},${PointsEventsQueue},${MessagesEventsQueue},${WebhookEventsQueue}\"";
            String secret = "  FingerprintSecret:\n";
            if (!original.contains(urls) || !original.contains(secret)) {
                throw new IllegalStateException("template.yaml no longer has the event queue list the test tap extends");
            }
            String tapped = original.replace(urls, urls.replace("}\"", "},${" + EVENTS_TAP + "}\""))
                    .replace(secret, "  " + EVENTS_TAP + ":\n    Type: AWS::SQS::Queue\n\n" + secret);
            Path copy = java.nio.file.Files.createTempFile("template-tapped", ".yaml");
            copy.toFile().deleteOnExit();
            java.nio.file.Files.writeString(copy, tapped);
            return copy;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A copy of the template whose queue {@code queueLogicalId} makes a failed message visible again
     * after 1 second instead of its 180: for tests of retries and dead-letter queues.
     */
    public static Path withFastRetries(String queueLogicalId) throws java.io.IOException {
        String original = java.nio.file.Files.readString(template());
        String queue = "  " + queueLogicalId + ":\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ";
        if (!original.contains(queue + "180")) {
            throw new IllegalStateException(queueLogicalId + " no longer has the visibility timeout this copy shortens");
        }
        Path copy = java.nio.file.Files.createTempFile("template-fast-" + queueLogicalId, ".yaml");
        copy.toFile().deleteOnExit();
        java.nio.file.Files.writeString(copy, original.replace(queue + "180", queue + "1"));
        return copy;
    }

    public static Path events() {
        return Path.of(System.getProperty("clientele.events", "../events"));
    }

    /** A client on the cloud's DynamoDB, to look at what requests left in the table. */
    public static DynamoDbClient dynamoDb(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
