package com.clientele.shared;

import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;

/**
 * The single table's attribute and index names (as template.yaml declares them) and the
 * enhanced-client schema over it: a document schema, so items are built from and read into
 * JSON without reflection over bean classes.
 */
public final class Table {

    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String TTL = "ttl";

    /** Overloaded GSIs: GSI1 email, GSI2 phone, GSI3 join date, GSI4 name, GSI5 LTV (sharded), GSI6 number of subscriptions, GSI7 billing group members, GSI8 outstanding balance. */
    public enum Index {
        GSI1, GSI2, GSI3, GSI4, GSI5, GSI6, GSI7, GSI8;

        public String pk() {
            return name() + "PK";
        }

        public String sk() {
            return name() + "SK";
        }
    }

    public static final TableSchema<EnhancedDocument> SCHEMA = schema();

    private Table() {
    }

    /** A new item, with the converters the schema uses. */
    public static EnhancedDocument.Builder item() {
        return EnhancedDocument.builder().attributeConverterProviders(AttributeConverterProvider.defaultProvider());
    }

    private static TableSchema<EnhancedDocument> schema() {
        var builder = TableSchema.documentSchemaBuilder()
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .addIndexPartitionKey(TableMetadata.primaryIndexName(), PK, AttributeValueType.S)
                .addIndexSortKey(TableMetadata.primaryIndexName(), SK, AttributeValueType.S);
        for (var index : Index.values()) {
            builder.addIndexPartitionKey(index.name(), index.pk(), AttributeValueType.S)
                    .addIndexSortKey(index.name(), index.sk(), AttributeValueType.S);
        }
        return builder.build();
    }
}
