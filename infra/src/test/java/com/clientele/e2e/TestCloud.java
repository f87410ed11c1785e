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

    private TestCloud() {
    }

    public static synchronized LocalCloud embedded() {
        if (embedded == null) {
            try {
                embedded = LocalCloud.start(LocalCloud.Options.inMemory(template()));
            } catch (Exception e) {
                throw new IllegalStateException("the local cloud did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // JVM exit
                }
            }));
        }
        return embedded;
    }

    public static Path template() {
        return Path.of(System.getProperty("clientele.template", "../template.yaml"));
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
