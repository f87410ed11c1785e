package com.clientele.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where DynamoDB and SQS live: embedded (DynamoDB Local and ElasticMQ on loopback, the default)
 * or external endpoints (LocalStack, or anything else that speaks the protocols).
 */
final class Backends implements AutoCloseable {

    static final String REGION = "us-east-1";
    private final URI dynamoDb;
    private final URI sqs;
    private final String accessKey;
    private final String secretKey;
    private final AutoCloseable stop;

    private Backends(URI dynamoDb, URI sqs, String accessKey, String secretKey, AutoCloseable stop) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.stop = stop;
    }

    /** DynamoDB Local (in memory, or files under {@code dataDir}) and ElasticMQ, on free loopback ports. */
    static Backends embedded(Path dataDir, int dynamoPort, int sqsPort) {
        try {
            int dPort = dynamoPort > 0 ? dynamoPort : freePort();
            String[] args;
            if (dataDir == null) {
                args = new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(dPort)};
            } else {
                Files.createDirectories(dataDir);
                args = new String[] {"-dbPath", dataDir.toString(), "-sharedDb", "-disableTelemetry", "-port", String.valueOf(dPort)};
            }
            DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(args);
            dynamo.start();
            int qPort = sqsPort > 0 ? sqsPort : freePort();
            SQSRestServer queues = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(qPort)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", qPort, ""))
                    .withAWSRegion(REGION).withAWSAccountId("000000000000").start();
            queues.waitUntilStarted();
            return new Backends(URI.create("http://127.0.0.1:" + dPort), URI.create("http://127.0.0.1:" + qPort),
                    "local", "local", () -> {
                        queues.stopAndWait();
                        dynamo.stop();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start DynamoDB Local / ElasticMQ: " + e.getMessage(), e);
        }
    }

    static Backends external(URI dynamoDb, URI sqs, String accessKey, String secretKey) {
        return new Backends(dynamoDb, sqs, accessKey, secretKey, () -> { });
    }

    URI dynamoDbEndpoint() {
        return dynamoDb;
    }

    URI sqsEndpoint() {
        return sqs;
    }

    String accessKey() {
        return accessKey;
    }

    String secretKey() {
        return secretKey;
    }

    DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder().endpointOverride(dynamoDb).region(Region.of(REGION))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    SqsClient sqsClient() {
        return SqsClient.builder().endpointOverride(sqs).region(Region.of(REGION))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
