package com.clientele.payments;

/** What the processor returns for a tokenized card, and all we keep of it. */
public record CardToken(String token, String brand, String bin, String last4) {
}
