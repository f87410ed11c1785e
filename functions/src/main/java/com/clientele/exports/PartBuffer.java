package com.clientele.exports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;

/**
 * The bytes of the part being written: filled by the CSV writer, uploaded when it holds a part's
 * worth, then emptied for the next. Allocated once per invocation at about a part's size and reused,
 * so an export holds one part in memory whatever its length; the upload reads the bytes in place.
 */
final class PartBuffer extends ByteArrayOutputStream {

    PartBuffer(int capacity) {
        super(capacity);
    }

    /** The bytes written since the last {@link #reset}, without copying them. */
    InputStream open() {
        return new ByteArrayInputStream(buf, 0, count);
    }
}
