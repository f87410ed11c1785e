package com.clientele.local;

import java.time.Instant;
import java.util.List;

/**
 * A message the local cloud's mail server received, as {@link LocalCloud#mailbox()} and
 * {@code GET /_local/mail} show it: its recipient, sender, subject, plain-text and HTML bodies and
 * the names and sizes of its attachments.
 */
public record LocalMail(String to, String from, String subject, String text, String html, List<File> attachments,
                        String messageId, Instant receivedAt) {

    /** An attachment: its file name, content type and bytes. */
    public record File(String name, String contentType, byte[] bytes) {
    }
}
