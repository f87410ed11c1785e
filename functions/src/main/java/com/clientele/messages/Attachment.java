package com.clientele.messages;

/**
 * A file sent with an email: an object of the exports bucket ({@code s3Key}, read by the sender when
 * it sends) and the name the customer sees. An invoice's PDF, for one.
 */
public record Attachment(String s3Key, String fileName) {
}
