package com.clientele.relationship;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.payments.PaymentItems;
import com.clientele.shared.Json;
import com.clientele.shared.items.ItemStore;
import com.clientele.shared.items.MergeContext;
import com.clientele.shared.items.SortKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a merge moves, counted from the duplicate's items: cards the primary holds already are dropped. */
class MergePlanTest {

    private static ObjectNode item(String sk, String... fields) {
        var item = Json.MAPPER.createObjectNode().put("PK", "T#t#C#cus_dup").put("SK", sk);
        for (int i = 0; i < fields.length; i += 2) {
            item.put(fields[i], fields[i + 1]);
        }
        return item;
    }

    /** A merge as far as its plan sees it: the primary's items; nothing is written. */
    record PlanOnly(String primaryId, List<ObjectNode> primary) implements MergeContext {
        @Override
        public String tenant() {
            return "t";
        }

        @Override
        public String duplicateId() {
            return "cus_dup";
        }

        @Override
        public String from() {
            return "T#t#C#cus_dup";
        }

        @Override
        public String to() {
            return "T#t#C#" + primaryId;
        }

        @Override
        public List<ObjectNode> primaryItems(SortKey shape) {
            return primary.stream().filter(item -> shape.matches(item.path("SK").asText())).toList();
        }

        @Override
        public ItemStore store() {
            throw new UnsupportedOperationException("a plan writes nothing");
        }
    }

    @Test
    void countsEachKindAndDropsTheCardsThePrimaryHolds() {
        var items = List.of(item("PROFILE"), item("PTS#BALANCE"), item("APPLIED#ltv#pay_1"), item("PTS#OTP#otp_1"),
                item("PAY#pay_1"), item("PAY#pay_2"),
                item("PM#pm_a", "id", "pm_a", "fingerprint", "fpA"), item("PM#pm_b", "id", "pm_b", "fingerprint", "fpB"),
                item("PMFP#fpA", "paymentMethodId", "pm_a"), item("PMFP#fpB", "paymentMethodId", "pm_b"),
                item("PTS#LOT#pay_1"), item("PTS#LINE#000000000000001#pay_1"), item("NOTE#note_1"),
                item("ACT#000000000000001#customer.created#cus_dup", "kind", "customer.created", "ref", "cus_dup"),
                item("ACT#000000000000002#customer.merged#cus_pri", "kind", "customer.merged", "ref", "cus_pri"));
        var primaryGuard = item("PMFP#fpA", "paymentMethodId", "pm_primary");
        var moves = MergeService.moves(CustomerPartition.TYPES, items, new PlanOnly("cus_pri", List.of(primaryGuard)));
        assertThat(moves).isEqualTo(new MergeRecord.Moves(2, 1, List.of("pm_a"), 1, 1, 1, 1, 0, 0, 0, 0, 0));
    }

    @Test
    void aCardAlreadyCopiedByAnEarlierRunIsNotDropped() {
        assertThat(PaymentItems.dropped(Map.of("fpA", "pm_a"), "fpA", "pm_a")).isFalse();
        assertThat(PaymentItems.dropped(Map.of("fpA", "pm_x"), "fpA", "pm_a")).isTrue();
        assertThat(PaymentItems.dropped(Map.of(), "fpA", "pm_a")).isFalse();
    }

    @Test
    void aMergeRecordsStatusIsWrittenAndReadInLowerCase() throws Exception {
        for (var status : MergeRecord.Status.values()) {
            String json = Json.MAPPER.writeValueAsString(status);
            assertThat(json).isEqualTo("\"" + status.name().toLowerCase() + "\"");
            assertThat(Json.MAPPER.readValue(json, MergeRecord.Status.class)).isSameAs(status);
        }
    }

    @Test
    void aMergeRecordWrittenBeforeSubscriptionsReadsAsMovingNone() throws Exception {
        var moves = com.clientele.shared.Json.MAPPER.readValue("""
                {"payments": 1, "paymentMethods": 0, "paymentMethodsDropped": [], "pointLots": 0, "statementLines": 0, "notes": 0,
                 "activities": 2}""", MergeRecord.Moves.class);
        assertThat(moves.subscriptions()).isZero();
        assertThat(moves.activities()).isEqualTo(2);
    }
}
