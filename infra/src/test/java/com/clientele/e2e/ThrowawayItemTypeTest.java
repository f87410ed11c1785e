package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.customers.CustomerRepository;
import com.clientele.local.LocalCloud;
import com.clientele.relationship.CustomerPartition;
import com.clientele.relationship.MergeService;
import com.clientele.relationship.PrivacyRepository;
import com.clientele.relationship.PrivacyService;
import com.clientele.relationship.RelationshipWiring;
import com.clientele.shared.Aws;
import com.clientele.shared.Components;
import com.clientele.shared.Env;
import com.clientele.shared.Keys;
import com.clientele.shared.items.ErasurePolicy;
import com.clientele.shared.items.ExportPolicy;
import com.clientele.shared.items.ItemRegistry;
import com.clientele.shared.items.ItemType;
import com.clientele.shared.items.MergePolicy;
import com.clientele.shared.items.SoftDeletePolicy;
import com.clientele.shared.items.SortKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Adding an item type to a customer's partition: a throwaway type is refused while a policy is
 * missing or its keys overlap another type's; once declared (and registered), a merge moves it (or
 * drops it), the data export shows it in its section with its hidden attributes hidden, and the
 * erasure scrubs (or deletes) it, as declared, on the local cloud's table.
 */
class ThrowawayItemTypeTest {

    /** A loyalty stamp card: moves with the customer, exported without its secret, its holder's name erased. */
    private static final ItemType STAMP = ItemType.named("stamp").sortKey(SortKey.prefix("STAMP#")).indexKeys()
            .merge(MergePolicy.moveAsCustomer(null))
            .export(ExportPolicy.list("stamps", "secret"))
            .erasure(ErasurePolicy.scrub(ErasurePolicy.Scrub.replace("holder", ErasurePolicy.ERASED)))
            .softDelete(SoftDeletePolicy.KEEP);

    /** A scratch item: a merge drops it, the export leaves it out, the erasure deletes it. */
    private static final ItemType SCRATCH = ItemType.named("scratch").sortKey(SortKey.exact("SCRATCH")).indexKeys()
            .merge(MergePolicy.drop())
            .export(ExportPolicy.notExported("scratch"))
            .erasure(ErasurePolicy.delete())
            .softDelete(SoftDeletePolicy.KEEP);

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api api = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final Env env = new Env(cloud.environment("RelationshipFunction"));
    private final DynamoDbClient dynamoDb = Aws.dynamoDb(env);
    private final String table = env.require("TABLE_NAME");

    private String customer(String name, String phone) {
        var created = api.post("/customers", """
                {"firstName": "%s", "lastName": "Stamp", "email": "%s.%s@example.com", "phone": "%s"}""".formatted(name,
                name.toLowerCase(), tenant, phone));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private void put(String customer, String sk, Map<String, String> attributes) {
        var item = new java.util.HashMap<String, AttributeValue>();
        item.put("PK", AttributeValue.fromS(Keys.customer(tenant, customer)));
        item.put("SK", AttributeValue.fromS(sk));
        attributes.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
        dynamoDb.putItem(r -> r.tableName(table).item(item));
    }

    private Map<String, AttributeValue> item(String customer, String sk) {
        return dynamoDb.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("PK",
                AttributeValue.fromS(Keys.customer(tenant, customer)), "SK", AttributeValue.fromS(sk)))).item();
    }

    @Test
    void aTypeWithoutAPolicyOrWithOverlappingKeysIsRefused() {
        // the builder has no stage that makes a type before its soft delete policy: leaving one out does not compile
        var noSoftDelete = ItemType.named("stamp").sortKey(SortKey.prefix("STAMP#")).indexKeys().merge(MergePolicy.keep())
                .export(ExportPolicy.list("stamps")).erasure(ErasurePolicy.keep("nothing personal"));
        assertThat(noSoftDelete).isNotInstanceOf(ItemType.class);
        assertThatThrownBy(() -> noSoftDelete.softDelete(null)).hasMessageContaining("no soft delete policy");
        assertThatThrownBy(() -> new ItemType("stamp", SortKey.prefix("STAMP#"), List.of(), MergePolicy.keep(),
                ExportPolicy.list("stamps"), null, SoftDeletePolicy.KEEP)).hasMessageContaining("no erasure policy");
        assertThatThrownBy(() -> CustomerPartition.TYPES.with(ItemType.named("cardNote").sortKey(SortKey.prefix("PM#NOTE#"))
                .indexKeys().merge(MergePolicy.keep()).export(ExportPolicy.list("cardNotes")).erasure(ErasurePolicy.delete())
                .softDelete(SoftDeletePolicy.KEEP))).hasMessageContaining("card (PM#…) and cardNote (PM#NOTE#…) overlap");
        assertThat(CustomerPartition.TYPES.typeOf("STAMP#1")).as("not registered: the registry test would refuse its items").isEmpty();
    }

    @Test
    void onceDeclaredItIsMovedExportedAndErasedAsItsPoliciesSay() {
        ItemRegistry types = CustomerPartition.TYPES.with(STAMP, SCRATCH);
        var merges = RelationshipWiring.merges(Components.from(env).with(DynamoDbClient.class, dynamoDb), types, MergeService.Checkpoint.NONE);
        var privacy = new PrivacyService(types, new PrivacyRepository(Aws.enhanced(dynamoDb), table),
                new CustomerRepository(dynamoDb, table), RelationshipWiring.outside(Components.from(env).with(DynamoDbClient.class, dynamoDb)), Clock.systemUTC());

        String primary = customer("Ada", "+14155550111");
        String duplicate = customer("Addie", "+14155550112");
        put(duplicate, "STAMP#st_1", Map.of("customerId", duplicate, "holder", "Ada Lovelace", "secret", "s3cr3t", "label", "gold"));
        put(duplicate, "SCRATCH", Map.of("note", "work in progress"));

        merges.merge(new MergeService.MergeCommand(tenant, primary, duplicate, false, "alice"));
        assertThat(item(duplicate, "STAMP#st_1")).isEmpty();
        assertThat(item(duplicate, "SCRATCH")).as("dropped").isEmpty();
        assertThat(item(primary, "SCRATCH")).as("dropped, not moved").isEmpty();
        var moved = item(primary, "STAMP#st_1");
        assertThat(moved.get("customerId").s()).isEqualTo(primary);
        assertThat(moved.get("holder").s()).isEqualTo("Ada Lovelace");

        put(primary, "SCRATCH", Map.of("note", "more work"));
        var export = privacy.dataExport(tenant, primary);
        var stamps = export.path("stamps");
        assertThat(stamps).hasSize(1);
        assertThat(stamps.get(0).path("label").asText()).isEqualTo("gold");
        assertThat(stamps.get(0).path("holder").asText()).isEqualTo("Ada Lovelace");
        assertThat(stamps.get(0).has("secret")).as("hidden").isFalse();
        assertThat(stamps.get(0).has("PK")).isFalse();
        assertThat(export.toString()).doesNotContain("s3cr3t", "more work");
        assertThat(export.has("other")).isFalse();

        var erased = privacy.erase(tenant, primary, "alice");
        assertThat(item(primary, "STAMP#st_1").get("holder").s()).isEqualTo(ErasurePolicy.ERASED);
        assertThat(item(primary, "STAMP#st_1").get("label").s()).isEqualTo("gold");
        assertThat(item(primary, "SCRATCH")).as("deleted").isEmpty();
        assertThat(erased.itemsScrubbed()).isGreaterThanOrEqualTo(2);
    }
}
