package com.clientele.messages;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Email through an SMTP server (the local cloud's mail server; any SMTP relay, SES's included): a
 * MIME message with a plain-text and an HTML alternative and the attachments, sent by Jakarta Mail.
 */
final class SmtpSender implements MessageSender {

    /** The header SES's SMTP interface reads a message's tags from ({@code name=value, name=value}). */
    static final String TAGS_HEADER = "X-SES-MESSAGE-TAGS";

    private final Session session;
    private final InternetAddress from;

    SmtpSender(String host, int port, String from) {
        var properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "10000");
        properties.put("mail.smtp.writetimeout", "10000");
        this.session = Session.getInstance(properties);
        try {
            this.from = new InternetAddress(from, true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("MAIL_FROM is not an email address", e);
        }
    }

    @Override
    public String send(Outgoing message) {
        try {
            var mime = new MimeMessage(session);
            mime.setFrom(from);
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.to(), true));
            mime.setSubject(message.content().subject(), StandardCharsets.UTF_8.name());
            var alternatives = new MimeMultipart("alternative");
            var text = new MimeBodyPart();
            text.setText(message.content().text(), StandardCharsets.UTF_8.name());
            alternatives.addBodyPart(text);
            var html = new MimeBodyPart();
            html.setText(message.content().html(), StandardCharsets.UTF_8.name(), "html");
            alternatives.addBodyPart(html);
            if (message.files().isEmpty()) {
                mime.setContent(alternatives);
            } else {
                var mixed = new MimeMultipart("mixed");
                var body = new MimeBodyPart();
                body.setContent(alternatives);
                mixed.addBodyPart(body);
                for (var file : message.files()) {
                    var part = new MimeBodyPart();
                    part.setDataHandler(new DataHandler(new ByteArrayDataSource(file.bytes(), file.contentType())));
                    part.setFileName(file.name());
                    part.setDisposition(MimeBodyPart.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                mime.setContent(mixed);
            }
            if (!message.tags().isEmpty()) {
                // as SES's SMTP interface takes a message's tags: the local cloud's bounces read them back
                mime.setHeader(TAGS_HEADER, String.join(", ", message.tags().entrySet().stream()
                        .map(tag -> tag.getKey() + "=" + tag.getValue()).sorted().toList()));
            }
            mime.saveChanges();
            Transport.send(mime);
            return mime.getMessageID();
        } catch (MessagingException e) {
            throw new Failure("the SMTP server did not take the message: " + e.getClass().getSimpleName(), e);
        }
    }
}
