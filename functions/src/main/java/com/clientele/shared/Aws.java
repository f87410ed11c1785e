package com.clientele.shared;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds SDK clients the way a Lambda cold start wants them: an explicit HTTP client, region and
 * credentials provider, so the SDK does not probe the classpath, the profile files or IMDS.
 * Built once per function instance, at init. The SQS and S3 clients are built where they are
 * used ({@code Sqs}, {@code S3ExportFiles}): a function's jar holds only the classes its handler
 * reaches, and a function that sends no message or writes no file has no SQS or S3 classes.
 */
public final class Aws {

    private Aws() {
    }

    public static DynamoDbClient dynamoDb(Env env) {
        return build(DynamoDbClient.builder(), env, "AWS_ENDPOINT_URL_DYNAMODB");
    }

    /**
     * Any SDK client, configured as the functions' are (benchmarks add an interceptor to the
     * builder first). {@code endpointVariable} is the variable the SDK and AWS CLI honour for the
     * service; the local cloud and LocalStack runs set it.
     */
    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder, Env env,
                                                                                            String endpointVariable) {
        builder.httpClient(UrlConnectionHttpClient.create())
                .region(region(env))
                .credentialsProvider(credentials(env));
        env.find(endpointVariable).map(URI::create).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static DynamoDbEnhancedClient enhanced(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }

    public static Region region(Env env) {
        return Region.of(env.get("AWS_REGION", "us-east-1"));
    }

    /**
     * Keys in the environment when present (Lambda without SnapStart, the local cloud); otherwise
     * the container credentials endpoint, which is what Lambda provides to SnapStart functions.
     */
    public static AwsCredentialsProvider credentials(Env env) {
        var keyId = env.find("AWS_ACCESS_KEY_ID");
        if (keyId.isEmpty()) {
            return ContainerCredentialsProvider.builder().build();
        }
        var secret = env.require("AWS_SECRET_ACCESS_KEY");
        return StaticCredentialsProvider.create(env.find("AWS_SESSION_TOKEN")
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(keyId.get(), secret, token))
                .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret)));
    }
}
