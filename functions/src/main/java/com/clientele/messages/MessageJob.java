package com.clientele.messages;

import java.util.Map;

/**
 * What the message queue carries to the sender: which communication to send, and the template's
 * variables (kept out of the table: a one-time code is among them; the queue is encrypted and keeps
 * a message a few days at most).
 */
public record MessageJob(String tenantId, String customerId, String communicationId, Map<String, String> variables) {
}
