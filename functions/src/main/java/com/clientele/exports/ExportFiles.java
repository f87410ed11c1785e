package com.clientele.exports;

import java.net.URL;
import java.time.Duration;
import java.util.List;

/**
 * Where export files are written: a multipart upload per file, a part at a time, and links to
 * download the result. {@link S3ExportFiles} on S3; tests use others.
 */
interface ExportFiles {

    /** Starts the upload of the file at {@code key}, to be downloaded as {@code fileName}; returns its upload id. */
    String start(String key, String fileName);

    /** Uploads part {@code number} (1-based; parts but the last are at least 5 MiB); returns its ETag. */
    String upload(String key, String uploadId, int number, PartBuffer bytes);

    /**
     * Assembles the file from {@code parts}. Done again after it succeeded (the upload is gone but
     * the file is there), it succeeds again.
     */
    void complete(String key, String uploadId, List<Part> parts);

    /** Drops an unfinished upload and the parts it holds; one that is gone already is no error. */
    void abort(String key, String uploadId);

    /** Deletes the file (a customer's personal data in it was erased); one that is gone already is no error. */
    void delete(String key);

    /** A link that downloads the file without credentials, valid for {@code validity}. */
    URL link(String key, Duration validity);
}
