package com.clientele.exports;

/**
 * A message on the export jobs queue: work on the export, as its step {@code step}. The export's
 * item says which step may work on it now, so a redelivered or stale message is recognised.
 */
public record ExportMessage(String tenantId, String exportId, long step) {

    ExportMessage next() {
        return new ExportMessage(tenantId, exportId, step + 1);
    }
}
