package com.clientele.local;

import com.adobe.testing.s3mock.S3MockApplication;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where DynamoDB, SQS and S3 live: embedded (DynamoDB Local, ElasticMQ and Adobe's S3Mock on
 * loopback, the default) or external endpoints (LocalStack, or anything else that speaks the
 * protocols).
 */
final class Backends implements AutoCloseable {

    static final String REGION = "us-east-1";
    private final URI dynamoDb;
    private final URI sqs;
    private final URI s3;
    private final String accessKey;
    private final String secretKey;
    private final AutoCloseable stop;

    private Backends(URI dynamoDb, URI sqs, URI s3, String accessKey, String secretKey, AutoCloseable stop) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.stop = stop;
    }

    /**
     * DynamoDB Local, ElasticMQ and S3Mock on loopback ports (free ones unless given): with a
     * {@code dataDir}, the tables under {@code dataDir/dynamodb}, the queues and their messages
     * under {@code dataDir/sqs} ({@link QueueServer}) and the buckets under {@code dataDir/s3},
     * kept across restarts; without one, in memory (S3Mock's files in a
     * temporary folder, removed on close). S3Mock only {@code withS3} (a template with buckets):
     * it is the slowest of the three to start.
     */
    static Backends embedded(Path dataDir, int dynamoPort, int sqsPort, int s3Port, boolean withS3) {
        DynamoDBProxyServer dynamo = null;
        QueueServer queues = null;
        try {
            int dPort = dynamoPort > 0 ? dynamoPort : freePort();
            String[] args;
            if (dataDir == null) {
                args = new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(dPort)};
            } else {
                Path tables = Files.createDirectories(dataDir.resolve("dynamodb"));
                args = new String[] {"-dbPath", tables.toString(), "-sharedDb", "-disableTelemetry", "-port", String.valueOf(dPort)};
            }
            dynamo = ServerRunner.createServerFromCommandLineArgs(args);
            dynamo.start();
            int qPort = sqsPort > 0 ? sqsPort : freePort();
            queues = QueueServer.start(qPort, dataDir);
            var startedDynamo = dynamo;
            var startedQueues = queues;
            if (!withS3) {
                return new Backends(URI.create("http://127.0.0.1:" + dPort), URI.create("http://127.0.0.1:" + qPort), null,
                        "local", "local", () -> {
                            startedQueues.close();
                            startedDynamo.stop();
                        });
            }
            int bPort = s3Port > 0 ? s3Port : freePort();
            Path buckets = dataDir == null ? Files.createTempDirectory("clientele-s3") : Files.createDirectories(dataDir.resolve("s3"));
            S3MockApplication objects = startS3(bPort, buckets, dataDir != null);
            return new Backends(URI.create("http://127.0.0.1:" + dPort), URI.create("http://127.0.0.1:" + qPort),
                    URI.create("http://127.0.0.1:" + bPort), "local", "local", () -> {
                        objects.stop();
                        startedQueues.close();
                        startedDynamo.stop();
                        if (dataDir == null) {
                            deleteTree(buckets);
                        }
                    });
        } catch (Exception e) {
            if (queues != null) {
                try {
                    queues.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            if (dynamo != null) {
                try {
                    dynamo.stop();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            throw new IllegalStateException("cannot start DynamoDB Local / ElasticMQ / S3Mock: " + e.getMessage(), e);
        }
    }

    /**
     * Adobe's S3Mock (a Spring Boot application) in this JVM: plain HTTP on {@code port}, on
     * loopback, its objects as files under {@code root}. Its HTTPS connector, which nothing here
     * uses, takes a free port. Spring Boot's logging system is left off (the JVM's logging serves
     * DynamoDB Local and ElasticMQ too), and what Spring and Tomcat log below a warning is dropped.
     */
    private static S3MockApplication startS3(int port, Path root, boolean keep) throws IOException {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        for (String name : QUIET) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(java.util.logging.Level.WARNING);
            QUIETED.add(logger);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, port);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, freePort());
        properties.put("server.address", "127.0.0.1");
        properties.put("com.adobe.testing.s3mock.store.root", root.toString());
        properties.put("com.adobe.testing.s3mock.store.retain-files-on-exit", keep);
        properties.put("com.adobe.testing.s3mock.store.region", REGION);
        properties.put(S3MockApplication.PROP_SILENT, true);
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", false);
        return S3MockApplication.start(properties);
    }

    /** Where Spring, Tomcat and S3Mock log (through commons-logging to java.util.logging). */
    private static final java.util.List<String> QUIET = java.util.List.of("org.springframework", "org.apache.catalina",
            "org.apache.coyote", "org.apache.tomcat", "com.adobe.testing");
    /** java.util.logging keeps loggers weakly: these hold the levels set on them. */
    private static final java.util.List<java.util.logging.Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: the OS cleans it up in the end
        }
    }

    static Backends external(URI dynamoDb, URI sqs, URI s3, String accessKey, String secretKey) {
        return new Backends(dynamoDb, sqs, s3, accessKey, secretKey, () -> { });
    }

    URI dynamoDbEndpoint() {
        return dynamoDb;
    }

    URI sqsEndpoint() {
        return sqs;
    }

    URI s3Endpoint() {
        return s3;
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

    /** Path-style addressing: the local servers have no per-bucket host names. Null without an S3 endpoint. */
    S3Client s3Client() {
        if (s3 == null) {
            return null;
        }
        return S3Client.builder().endpointOverride(s3).region(Region.of(REGION)).forcePathStyle(true)
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
