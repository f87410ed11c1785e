package com.clientele.local;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The local cloud's mail server: GreenMail, a real SMTP server (and IMAP, for a mail client),
 * embedded on loopback. The message sender function sends to it over SMTP as it would to any relay
 * ({@code EMAIL_SENDER=smtp}); every message it accepts lands in its recipient's mailbox (a mailbox
 * is made on first delivery; IMAP login and password are both the address), which the tests and
 * {@code GET /_local/mail} read. Messages are kept in memory: a restart empties the mailboxes.
 */
final class MailServer implements AutoCloseable {

    private final GreenMail server;

    private MailServer(GreenMail server) {
        this.server = server;
    }

    /** SMTP and IMAP on {@code smtpPort} and {@code imapPort} (free ones when 0). */
    static MailServer start(int smtpPort, int imapPort) {
        try {
            var smtp = new ServerSetup(smtpPort > 0 ? smtpPort : Backends.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
            var imap = new ServerSetup(imapPort > 0 ? imapPort : Backends.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
            var server = new GreenMail(new ServerSetup[] {smtp, imap});
            server.start();
            return new MailServer(server);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the mail server: " + e.getMessage(), e);
        }
    }

    int smtpPort() {
        return server.getSmtp().getPort();
    }

    int imapPort() {
        return server.getImap().getPort();
    }

    /** Every message received so far, oldest first. */
    List<LocalMail> messages() {
        var out = new ArrayList<LocalMail>();
        var received = Arrays.asList(server.getReceivedMessages());
        for (var message : received) {
            out.add(read(message));
        }
        out.sort(Comparator.comparing(LocalMail::receivedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /**
     * What SES would publish about the received message with this Message-ID (as the sender recorded it): a
     * {@code Bounce} (permanent) or a {@code Complaint} event, with the message's tags (its
     * {@code X-SES-MESSAGE-TAGS} header, as SES's SMTP interface reads them); empty when no such message came.
     */
    java.util.Optional<String> feedback(String messageId, String type) {
        try {
            for (var message : server.getReceivedMessages()) {
                if (!messageId.equals(message.getMessageID())) {
                    continue;
                }
                var event = com.clientele.shared.Json.MAPPER.createObjectNode();
                boolean complaint = "complaint".equalsIgnoreCase(type);
                event.put("eventType", complaint ? "Complaint" : "Bounce");
                var mail = event.putObject("mail");
                mail.put("messageId", messageId);
                mail.put("timestamp", java.time.Instant.now().toString());
                var tags = mail.putObject("tags");
                String header = message.getHeader("X-SES-MESSAGE-TAGS", ",");
                if (header != null) {
                    for (String pair : header.split(",")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            tags.putArray(pair.substring(0, eq).trim()).add(pair.substring(eq + 1).trim());
                        }
                    }
                }
                var recipients = message.getAllRecipients();
                String to = recipients == null || recipients.length == 0 ? null : recipients[0].toString();
                if (complaint) {
                    event.putObject("complaint").putArray("complainedRecipients").addObject().put("emailAddress", to);
                } else {
                    var bounce = event.putObject("bounce").put("bounceType", "Permanent").put("bounceSubType", "General");
                    bounce.putArray("bouncedRecipients").addObject().put("emailAddress", to);
                }
                return java.util.Optional.of(com.clientele.shared.Json.write(event));
            }
            return java.util.Optional.empty();
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot read a received message", e);
        }
    }

    private static LocalMail read(MimeMessage message) {
        try {
            var parts = new Parts();
            parts.walk(message);
            var to = message.getAllRecipients();
            var from = message.getFrom();
            return new LocalMail(to == null || to.length == 0 ? null : to[0].toString(),
                    from == null || from.length == 0 ? null : from[0].toString(), message.getSubject(), parts.text, parts.html,
                    List.copyOf(parts.files), message.getMessageID(),
                    message.getReceivedDate() == null ? null : message.getReceivedDate().toInstant());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a received message", e);
        }
    }

    /** The text, HTML and attachments of a MIME tree. */
    private static final class Parts {
        String text;
        String html;
        final List<LocalMail.File> files = new ArrayList<>();

        void walk(Part part) throws MessagingException, IOException {
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
                files.add(new LocalMail.File(part.getFileName(), part.getContentType().split(";")[0].trim(),
                        part.getInputStream().readAllBytes()));
            } else if (part.isMimeType("multipart/*")) {
                var multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
            } else if (part.isMimeType("text/plain") && text == null) {
                text = part.getContent().toString();
            } else if (part.isMimeType("text/html") && html == null) {
                html = part.getContent().toString();
            }
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
