package com.clientele.messages;

import java.util.List;
import java.util.Map;

/** Hands a rendered message to a provider (SES, SNS, an SMTP server); returns the provider's id for it. */
public interface MessageSender {

    String send(Outgoing message);

    /**
     * A message ready to go: its channel's address, its text, its files, and its tags: what names its
     * communication ({@link #TENANT}, {@link #CUSTOMER}, {@link #COMMUNICATION}), which SES hands back with the
     * bounce or complaint it reports about the message ({@link EmailFeedback}).
     */
    record Outgoing(String to, Rendering content, List<File> files, Map<String, String> tags) {
        public Outgoing {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    String TENANT = "tenant";
    String CUSTOMER = "customer";
    String COMMUNICATION = "communication";

    /** An attachment's bytes, as read from the bucket. */
    record File(String name, String contentType, byte[] bytes) {
    }

    /**
     * The provider did not take the message (refused, unreachable, throttled): nothing was sent, so it
     * may be tried again. The message says what failed without quoting an address.
     */
    final class Failure extends RuntimeException {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
