package com.clientele.messages;

import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Attachment;
import software.amazon.awssdk.services.sesv2.model.AttachmentContentDisposition;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.MessageTag;

/**
 * Email through Amazon SES (API v2): a simple message (SES builds the MIME: text and HTML parts,
 * the attachments), from the configured address of a verified identity, tagged with what names its
 * communication; with the configuration set ({@code SES_CONFIGURATION_SET}) whose event destination reports
 * bounces and complaints back ({@link EmailFeedback}).
 */
final class SesSender implements MessageSender {

    private final SesV2Client ses;
    private final String from;
    private final String configurationSet;

    SesSender(SesV2Client ses, String from, String configurationSet) {
        this.ses = ses;
        this.from = from;
        this.configurationSet = configurationSet;
    }

    @Override
    public String send(Outgoing message) {
        var content = message.content();
        try {
            return ses.sendEmail(r -> {
                r.fromEmailAddress(from)
                        .destination(d -> d.toAddresses(message.to()))
                        .content(c -> c.simple(m -> m.subject(text(content.subject()))
                                .body(Body.builder().text(text(content.text())).html(text(content.html())).build())
                                .attachments(message.files().stream().map(file -> Attachment.builder()
                                        .fileName(file.name()).contentType(file.contentType())
                                        .contentDisposition(AttachmentContentDisposition.ATTACHMENT)
                                        .rawContent(SdkBytes.fromByteArray(file.bytes())).build()).toList())))
                        .emailTags(message.tags().entrySet().stream()
                                .map(tag -> MessageTag.builder().name(tag.getKey()).value(tag.getValue()).build()).toList());
                if (configurationSet != null && !configurationSet.isBlank()) {
                    r.configurationSetName(configurationSet);
                }
            }).messageId();
        } catch (SdkException e) {
            throw new Failure("SES did not take the message: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Content text(String value) {
        return Content.builder().data(value).charset(StandardCharsets.UTF_8.name()).build();
    }
}
