package com.clientele.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.Activity.Kind;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ActivityKindTest {

    @Test
    void eachKindIsWrittenAndReadAsItsDottedName() throws Exception {
        assertThat(Arrays.stream(Kind.values()).map(Kind::value)).containsExactly("customer.created", "customer.updated",
                "card.saved", "payment.succeeded", "payment.failed", "payment.refunded", "dispute.created", "dispute.updated", "dispute.closed", "points.earned", "points.redeemed",
                "points.expired", "points.adjusted", "points.referral", "points.clawed_back", "note.added", "customer.merged",
                "customer.erased", "subscription.started", "subscription.changed", "subscription.paused", "subscription.resumed",
                "subscription.extended", "subscription.canceled", "subscription.bought_out", "subscription.ended",
                "subscription.payment_failed", "subscription.payment_due", "subscription.renewal_upcoming", "subscription.contract_ending",
                "order.created", "order.paid", "order.fulfilled",
                "order.canceled", "order.refunded", "invoice.finalized", "invoice.paid", "invoice.voided",
                "invoice.marked_uncollectible", "invoice.overdue", "invoice.credited", "customer.tier_changed");
        for (var kind : Kind.values()) {
            String json = Json.MAPPER.writeValueAsString(kind);
            assertThat(json).isEqualTo("\"" + kind.value() + "\"");
            assertThat(Json.MAPPER.readValue(json, Kind.class)).isSameAs(kind);
        }
        assertThatThrownBy(() -> Kind.of("note.deleted")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anActivityKeepsItsKindAsTheDottedStringInItsItemAndItsSortKey() {
        var activity = new Activity(Instant.ofEpochMilli(5), Kind.NOTE_ADDED, "Note added", "n1", null);
        assertThat(Items.attributes(activity).path("kind").asText()).isEqualTo("note.added");
        assertThat(Activity.activitySortKey(activity.at(), activity.kind(), activity.ref())).isEqualTo("ACT#000000000000005#note.added#n1");
    }
}
