package com.clientele.exports;

import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Export files in an S3 bucket: multipart uploads streamed from the part buffer, presigned GET links. */
public final class S3ExportFiles implements ExportFiles {

    static final String CONTENT_TYPE = "text/csv; charset=utf-8";
    private static final String ENDPOINT = "AWS_ENDPOINT_URL_S3";
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    S3ExportFiles(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /**
     * S3 through the functions' URL-connection client ({@link Aws#build}). With an endpoint override
     * (the local cloud, LocalStack) addressing is path-style: those servers have no per-bucket host names.
     */
    public static S3Client client(Env env) {
        var builder = S3Client.builder();
        env.find(ENDPOINT).ifPresent(endpoint -> builder.forcePathStyle(true));
        return Aws.build(builder, env, ENDPOINT);
    }

    /** Signs download links with the function's own credentials, for the endpoint {@link #client} uses. */
    public static S3Presigner presigner(Env env) {
        var builder = S3Presigner.builder().region(Aws.region(env)).credentialsProvider(Aws.credentials(env));
        env.find(ENDPOINT).map(URI::create).ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    @Override
    public String start(String key, String fileName) {
        return s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .contentDisposition("attachment; filename=\"" + fileName + "\"")).uploadId();
    }

    /** The body is read from the buffer in place (no copy of the part), its length known up front. */
    @Override
    public String upload(String key, String uploadId, int number, PartBuffer bytes) {
        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                .contentLength((long) bytes.size()), RequestBody.fromContentProvider(bytes::open, bytes.size(), CONTENT_TYPE)).eTag();
        if (etag == null || etag.isEmpty()) {
            throw new IllegalStateException("S3 took part " + number + " of " + key + " without an ETag");
        }
        return etag;
    }

    @Override
    public void complete(String key, String uploadId, List<Part> parts) {
        var completed = parts.stream().map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        try {
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (S3Exception e) {
            // Completed by an earlier run that died before recording it: the upload is gone, the file is there.
            if (e.statusCode() != 404 || !exists(key)) {
                throw e;
            }
        }
    }

    @Override
    public void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }

    @Override
    public URL link(String key, Duration validity) {
        return presigner.presignGetObject(r -> r.signatureDuration(validity).getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    private boolean exists(String key) {
        return exists(s3, bucket, key);
    }

    /** Whether the bucket holds the object (a HEAD: 404 is no). */
    public static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
