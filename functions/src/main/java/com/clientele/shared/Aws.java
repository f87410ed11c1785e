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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SDK clients the way a Lambda cold start wants them: an explicit HTTP client, region and
 * credentials provider, so the SDK does not probe the classpath, the profile files or IMDS.
 * Built once per function instance, at init.
 */
public final class Aws {

    private Aws() {
    }

    public static DynamoDbClient dynamoDb(Env env) {
        return build(DynamoDbClient.builder(), env, "AWS_ENDPOINT_URL_DYNAMODB");
    }

    public static SqsClient sqs(Env env) {
        return build(SqsClient.builder(), env, "AWS_ENDPOINT_URL_SQS");
    }

    /**
     * S3 through the same URL-connection client. With an endpoint override (the local cloud,
     * LocalStack) addressing is path-style: those servers have no per-bucket host names.
     */
    public static S3Client s3(Env env) {
        var builder = S3Client.builder();
        env.find(S3_ENDPOINT).ifPresent(endpoint -> builder.forcePathStyle(true));
        return build(builder, env, S3_ENDPOINT);
    }

    /** Signs download links with the function's own credentials, for the endpoint {@link #s3} uses. */
    public static S3Presigner s3Presigner(Env env) {
        var builder = S3Presigner.builder().region(region(env)).credentialsProvider(credentials(env));
        env.find(S3_ENDPOINT).map(URI::create).ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    private static final String S3_ENDPOINT = "AWS_ENDPOINT_URL_S3";

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

    static Region region(Env env) {
        return Region.of(env.get("AWS_REGION", "us-east-1"));
    }

    /**
     * Keys in the environment when present (Lambda without SnapStart, the local cloud); otherwise
     * the container credentials endpoint, which is what Lambda provides to SnapStart functions.
     */
    static AwsCredentialsProvider credentials(Env env) {
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
