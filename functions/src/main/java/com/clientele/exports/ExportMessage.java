package com.clientele.exports;

import com.clientele.shared.jobs.StepMessage;

/**
 * A message on the export jobs queue: work on the export, as its step {@code step}. The export's
 * item says which step may work on it now, so a redelivered or stale message is recognised.
 */
public record ExportMessage(String tenantId, String exportId, long step) implements StepMessage<ExportMessage> {

    @Override
    public ExportMessage next() {
        return new ExportMessage(tenantId, exportId, step + 1);
    }
}
