package com.clientele.messages;

import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.List;

/**
 * The keys of the messages sent to a customer, in the customer's partition:
 * <ul>
 *   <li>the communication: {@code COMM#<msg id>} (time-ordered ids: a backward Query is newest first);</li>
 *   <li>its message-id guard: {@code COMMKEY#<message id>}, holding the communication's id, written in the
 *   same transaction with {@code attribute_not_exists}, so one message id is recorded (and sent) once.</li>
 * </ul>
 */
public final class CommunicationItems {

    public static final String COMMUNICATION = "COMM#";
    public static final String MESSAGE_KEY = "COMMKEY#";

    private CommunicationItems() {
    }

    /** The item types of the customer's partition this capability writes (built once, when the registry loads). */
    public static List<ItemType> types() {
        return List.of(
                // A message sent to the customer. A merge moves it to the primary; the erasure removes the address
                // it went to and its subject (which may quote a name or an invoice's details). No body is stored.
                ItemType.named("communication").sortKey(SortKey.prefix(COMMUNICATION)).indexKeys()
                        .merge(MergePolicy.moveAsCustomer("communications"))
                        .export(ExportPolicy.list("communications", "sendingSince"))
                        .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.remove("to"),
                                ErasurePolicy.Scrub.replace("subject", ErasurePolicy.ERASED)))
                        .softDelete(SoftDeletePolicy.KEEP),
                // The guard of a message id: moves with its communication, so a repeat sent to the primary stays a repeat.
                ItemType.named("communicationKey").sortKey(SortKey.prefix(MESSAGE_KEY)).indexKeys()
                        .merge(MergePolicy.move(null))
                        .export(ExportPolicy.notExported("a marker that a message id was recorded; the communication is exported"))
                        .erasure(ErasurePolicy.keep("an id of ours and the caller's message id, no personal data"))
                        .softDelete(SoftDeletePolicy.KEEP));
    }

    static String sortKey(String communicationId) {
        return COMMUNICATION + communicationId;
    }

    static String messageKey(String messageId) {
        return MESSAGE_KEY + messageId;
    }
}
