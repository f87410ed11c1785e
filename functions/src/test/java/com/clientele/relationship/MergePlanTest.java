package com.clientele.relationship;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
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

    @Test
    void countsEachKindAndDropsTheCardsThePrimaryHolds() {
        var items = List.of(item("PROFILE"), item("PTS#BALANCE"), item("APPLIED#ltv#pay_1"), item("PTS#OTP#otp_1"),
                item("PAY#pay_1"), item("PAY#pay_2"),
                item("PM#pm_a", "id", "pm_a", "fingerprint", "fpA"), item("PM#pm_b", "id", "pm_b", "fingerprint", "fpB"),
                item("PMFP#fpA", "paymentMethodId", "pm_a"), item("PMFP#fpB", "paymentMethodId", "pm_b"),
                item("PTS#LOT#pay_1"), item("PTS#LINE#000000000000001#pay_1"), item("NOTE#note_1"),
                item("ACT#000000000000001#customer.created#cus_dup", "kind", "customer.created", "ref", "cus_dup"),
                item("ACT#000000000000002#customer.merged#cus_pri", "kind", "customer.merged", "ref", "cus_pri"));
        var moves = MergeService.moves(items, Map.of("fpA", "pm_primary"), "cus_pri");
        assertThat(moves).isEqualTo(new MergeRecord.Moves(2, 1, List.of("pm_a"), 1, 1, 1, 1));
    }

    @Test
    void aCardAlreadyCopiedByAnEarlierRunIsNotDropped() {
        assertThat(MergeService.dropped(Map.of("fpA", "pm_a"), "fpA", "pm_a")).isFalse();
        assertThat(MergeService.dropped(Map.of("fpA", "pm_x"), "fpA", "pm_a")).isTrue();
        assertThat(MergeService.dropped(Map.of(), "fpA", "pm_a")).isFalse();
    }
}
