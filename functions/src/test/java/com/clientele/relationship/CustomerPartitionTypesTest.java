package com.clientele.relationship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.Table;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every item type of a customer's partition says what the merge, the export, the erasure and the delete do with it. */
class CustomerPartitionTypesTest {

    private final List<ItemType> types = CustomerPartition.TYPES.types();

    @Test
    void everyTypeDeclaresEveryPolicy() {
        assertThat(types).hasSize(29);
        for (var type : types) {
            for (var component : ItemType.class.getRecordComponents()) {
                Object value;
                try {
                    value = component.getAccessor().invoke(type);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                assertThat(value).as(type.name() + "." + component.getName()).isNotNull();
            }
            assertThat(type.indexKeys()).as(type.name()).allMatch(key -> key.matches("GSI[1-" + Table.Index.values().length + "](PK|SK)"));
        }
    }

    @Test
    void noTwoShapesOverlap() {
        for (int i = 0; i < types.size(); i++) {
            for (int j = i + 1; j < types.size(); j++) {
                assertThat(types.get(i).sortKey().overlaps(types.get(j).sortKey()))
                        .as(types.get(i).name() + " and " + types.get(j).name()).isFalse();
            }
        }
        var names = new TreeSet<String>();
        types.forEach(type -> assertThat(names.add(type.name())).as(type.name()).isTrue());
    }

    @Test
    void theRegistryRefusesOverlappingShapes() {
        assertThat(SortKey.prefix("PM#").overlaps(SortKey.prefix("PM#X"))).isTrue();
        assertThat(SortKey.prefix("PM#").overlaps(SortKey.prefix("PMFP#"))).isFalse();
        assertThat(SortKey.exact("MERGE").overlaps(SortKey.exact("MERGE#INTO"))).isFalse();
        assertThat(SortKey.exact("MERGE#INTO").overlaps(SortKey.prefix("MERGE#"))).isTrue();
        assertThat(SortKey.exact("PTS#BALANCE").overlaps(SortKey.prefix("PTS#"))).isTrue();
        var balanceLike = ItemType.named("pointsEverything").sortKey(SortKey.prefix("PTS#")).indexKeys().merge(MergePolicy.keep())
                .export(ExportPolicy.notExported("test")).erasure(ErasurePolicy.keep("test")).softDelete(SoftDeletePolicy.KEEP);
        assertThatThrownBy(() -> CustomerPartition.TYPES.with(balanceLike)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pointsBalance (PTS#BALANCE) and pointsEverything (PTS#…) overlap");
        assertThatThrownBy(() -> new ItemRegistry(List.of(balanceLike, balanceLike))).hasMessageContaining("two types named");
    }

    @Test
    void mergeCountersAreTheFieldsOfTheMergeRecord() {
        var named = new TreeSet<String>();
        types.stream().map(type -> type.merge().counter()).filter(Objects::nonNull).forEach(named::add);
        assertThat(named).isEqualTo(new TreeSet<>(MergeRecord.Moves.COUNTERS));
    }

    @Test
    void eachExportSectionIsOneObjectOrAListAndTheSectionsAreTheExportsOwn() {
        var single = new HashMap<String, Boolean>();
        for (var type : types) {
            if (type.export().exported()) {
                var before = single.putIfAbsent(type.export().section(), type.export().single());
                assertThat(before == null || before == type.export().single()).as(type.export().section()).isTrue();
            }
        }
        assertThat(single).containsOnlyKeys("paymentMethods", "payments", "points", "pointLots", "pointsStatement", "pointsOtps",
                "notes", "activities", "referral", "erasure", "subscriptions", "orders", "invoices", "communications", "campaigns", "other",
                "lifecycle", "tierHistory", "journeys", "coupons",
                "couponRedemptions", "disputes");
        assertThat(single).containsEntry("points", true).containsEntry("referral", true).containsEntry("erasure", true);
    }

    @Test
    void theSoftDeleteMarksTheProfileAndKeepsEverythingElse() {
        assertThat(types.stream().filter(type -> type.softDelete() == SoftDeletePolicy.MARK_DELETED).map(ItemType::name))
                .containsExactly("profile");
    }

    @Test
    void anErasureScrubsWhatItsTypeSays() {
        var note = item().put("SK", "NOTE#note_1").put("summary", "Calls after six").put("followUp", "Tuesday");
        assertThat(CustomerPartition.TYPES.typeOf("NOTE#note_1").orElseThrow().erasure().apply(note))
                .isEqualTo(ErasurePolicy.Outcome.REWRITTEN);
        assertThat(note.path("summary").asText()).isEqualTo(ErasurePolicy.ERASED);
        assertThat(note.has("followUp")).isFalse();
        var activity = CustomerPartition.TYPES.typeOf("ACT#1").orElseThrow().erasure();
        assertThat(activity.apply(item().put("kind", "payment.succeeded").put("summary", "Charged 89.00 USD")))
                .isEqualTo(ErasurePolicy.Outcome.UNCHANGED);
        var noteActivity = item().put("kind", "note.added").put("summary", "Note: calls after six");
        assertThat(activity.apply(noteActivity)).isEqualTo(ErasurePolicy.Outcome.REWRITTEN);
        assertThat(noteActivity.path("summary").asText()).isEqualTo("Note added");
        assertThat(activity.apply(noteActivity)).as("a repeat changes nothing").isEqualTo(ErasurePolicy.Outcome.UNCHANGED);
        // an event waiting in the outbox that holds the profile is deleted; any other waits for the relay
        var outbox = CustomerPartition.TYPES.typeOf("OUTBOX#evt_1").orElseThrow().erasure();
        assertThat(outbox.apply(item().put("eventType", "customer.updated").put("event", "{\"object\": {\"firstName\": \"Ada\"}}")))
                .isEqualTo(ErasurePolicy.Outcome.DELETED);
        assertThat(outbox.apply(item().put("eventType", "customer.erased"))).isEqualTo(ErasurePolicy.Outcome.UNCHANGED);
        assertThat(outbox.apply(item().put("eventType", "payment.succeeded"))).isEqualTo(ErasurePolicy.Outcome.UNCHANGED);
    }

    @Test
    void anErasureReachesIntoListsCutsQuotedReasonsAndReleasesCardTokens() {
        var payment = item().put("SK", "PAY#pay_1").put("description", "Gift for aunt May");
        payment.putArray("refunds").addObject().put("id", "re_1").put("reason", "Returned by nephew");
        assertThat(CustomerPartition.TYPES.typeOf("PAY#pay_1").orElseThrow().erasure().apply(payment))
                .isEqualTo(ErasurePolicy.Outcome.REWRITTEN);
        assertThat(payment.path("description").asText()).isEqualTo(ErasurePolicy.ERASED);
        assertThat(payment.path("refunds").get(0).path("reason").asText()).isEqualTo(ErasurePolicy.ERASED);
        assertThat(payment.path("refunds").get(0).path("id").asText()).isEqualTo("re_1");

        var redeemed = item().put("kind", "points.redeemed").put("summary", "Redeemed 30 points: coffee for May");
        assertThat(CustomerPartition.TYPES.typeOf("ACT#2").orElseThrow().erasure().apply(redeemed)).isEqualTo(ErasurePolicy.Outcome.REWRITTEN);
        assertThat(redeemed.path("summary").asText()).isEqualTo("Redeemed 30 points");

        var released = new java.util.ArrayList<String>();
        var card = item().put("SK", "PM#pm_1").put("holderName", "May Parker").put("cardToken", "tok_1").put("last4", "4242");
        assertThat(CustomerPartition.TYPES.typeOf("PM#pm_1").orElseThrow().erasure().apply(card, released::add))
                .isEqualTo(ErasurePolicy.Outcome.REWRITTEN);
        assertThat(released).containsExactly("tok_1");
        assertThat(card.has("cardToken")).isFalse();
        assertThat(card.has("holderName")).isFalse();
        assertThat(card.path("last4").asText()).isEqualTo("4242");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode item() {
        return com.clientele.shared.Json.MAPPER.createObjectNode();
    }
}
