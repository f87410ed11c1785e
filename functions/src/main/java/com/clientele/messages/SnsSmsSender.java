package com.clientele.messages;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** SMS through Amazon SNS (a direct publish to the number), as transactional messages: the plain-text body. */
final class SnsSmsSender implements MessageSender {

    private final SnsClient sns;

    SnsSmsSender(SnsClient sns) {
        this.sns = sns;
    }

    @Override
    public String send(Outgoing message) {
        try {
            return sns.publish(r -> r.phoneNumber(message.to()).message(message.content().text())
                    .messageAttributes(Map.of("AWS.SNS.SMS.SMSType",
                            MessageAttributeValue.builder().dataType("String").stringValue("Transactional").build())))
                    .messageId();
        } catch (SdkException e) {
            throw new Failure("SNS did not take the message: " + e.getClass().getSimpleName(), e);
        }
    }
}
