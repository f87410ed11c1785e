package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The template's bucket is created in the embedded S3 server, which takes multipart uploads and presigned links. */
class BucketProvisioningTest {

    @Test
    void theExportsBucketTakesAMultipartUploadReadBackThroughAPresignedLink() throws Exception {
        var cloud = TestCloud.embedded();
        String bucket = cloud.resources().get("ExportsBucket");
        assertThat(bucket).isEqualTo("clientele-local-exportsbucket");
        assertThat(cloud.buckets()).contains(bucket);
        assertThat(cloud.environment("CustomersFunction")).containsEntry("AWS_ENDPOINT_URL_S3", cloud.s3Endpoint().toString());
        byte[] first = new byte[5 * 1024 * 1024];
        Arrays.fill(first, (byte) 'a');
        byte[] last = "the end\n".getBytes(StandardCharsets.UTF_8);
        try (var s3 = Backends.external(cloud.dynamoDbEndpoint(), cloud.sqsEndpoint(), cloud.s3Endpoint(), "test", "test").s3Client()) {
            String key = "probe/file.csv";
            String upload = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType("text/csv")
                    .contentDisposition("attachment; filename=probe.csv")).uploadId();
            var parts = new ArrayList<CompletedPart>();
            int n = 1;
            for (byte[] part : new byte[][] {first, last}) {
                int number = n++;
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(upload).partNumber(number),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
            try (var presigner = S3Presigner.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
                URI url = presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(15))
                        .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI();
                var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).hasSize(first.length + last.length);
                assertThat(new String(response.body(), first.length, last.length, StandardCharsets.UTF_8)).isEqualTo("the end\n");
                assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=probe.csv");
            }
        }
    }
}
