package com.clientele.invoices;

import com.clientele.exports.S3ExportFiles;
import java.net.URL;
import java.time.Duration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Issued invoices' PDFs in the exports bucket, one object per invoice under its tenant:
 * {@code invoices/<tenant>/<invoice id>.pdf} (the functions' IAM policies grant this prefix). Written once,
 * when the invoice is issued; read through short-lived presigned links; deleted when the customer is erased.
 * Unlike the CSV exports (prefix {@code exports/}), these objects do not expire: an issued invoice is kept.
 */
public final class InvoiceFiles {

    /** The bucket prefix of every invoice PDF. */
    public static final String PREFIX = "invoices/";
    static final String CONTENT_TYPE = "application/pdf";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public InvoiceFiles(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** The object of an invoice's PDF. */
    public static String key(String tenant, String invoiceId) {
        return PREFIX + tenant + "/" + invoiceId + ".pdf";
    }

    /** The name the file is downloaded and attached as: the invoice's number. */
    static String fileName(Invoice invoice) {
        return invoice.number() + ".pdf";
    }

    boolean exists(String key) {
        return S3ExportFiles.exists(s3, bucket, key);
    }

    void put(String key, String fileName, byte[] pdf) {
        s3.putObject(r -> r.bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .contentDisposition("attachment; filename=\"" + fileName + "\""), RequestBody.fromBytes(pdf));
    }

    /** A link that downloads the object without credentials, valid for {@code validity}. */
    URL link(String key, Duration validity) {
        return presigner.presignGetObject(r -> r.signatureDuration(validity).getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    /** Deletes the object; one that is gone already is no error. */
    public void delete(String key) {
        s3.deleteObject(r -> r.bucket(bucket).key(key));
    }
}
