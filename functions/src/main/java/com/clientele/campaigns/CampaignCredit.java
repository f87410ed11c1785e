package com.clientele.campaigns;

/**
 * What one campaign adds to one payment's points: its points, a description of the parts (the
 * statement line shows it) and whether the first-purchase bonus is part of it (the customer's
 * participation then records the payment, once).
 */
public record CampaignCredit(String campaignId, long points, String description, boolean firstPurchase) {
}
