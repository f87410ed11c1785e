package com.clientele.exports;

/** An uploaded part of an export's multipart upload: its number, the ETag S3 gave it and its size. */
record Part(int number, String etag, long bytes) {
}
