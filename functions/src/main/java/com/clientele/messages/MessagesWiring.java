package com.clientele.messages;

import com.clientele.customers.CustomersWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.Sqs;

/**
 * How the messages port and the communications list are built from a function's {@link Components},
 * each once. The sender (SES, SNS, SMTP) is built apart ({@link SenderWiring}), so a function that
 * only records and queues messages has none of their classes.
 */
public final class MessagesWiring {

    private MessagesWiring() {
    }

    public static CommunicationRepository repository(Components components) {
        return components.once(CommunicationRepository.class,
                () -> new CommunicationRepository(components.dynamoDb(), components.enhanced(), components.table()));
    }

    /** The port ({@code MESSAGES_QUEUE_URL}: where it queues what it records). */
    public static Messages messages(Components components) {
        return components.once(Messages.class, () -> new Messages(CustomersWiring.repository(components), repository(components),
                new MessageQueue(Sqs.client(components), components.env().require("MESSAGES_QUEUE_URL")), components.metrics(),
                components.clock()));
    }

    public static Communications communications(Components components) {
        return components.once(Communications.class, () -> new Communications(repository(components),
                CustomersWiring.repository(components), components.cursors()));
    }
}
