package com.clientele.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates what template.yaml declares, as CloudFormation would: DynamoDB tables with their keys,
 * indexes and TTL, SQS queues with their attributes and redrive policies (dead-letter queues
 * first), S3 buckets, and Secrets Manager secrets ({@link LocalSecrets}). Records each resource's
 * physical name, URL and ARN for Ref and GetAtt, and each secret's value for the dynamic reference
 * {@code {{resolve:secretsmanager:<arn or name>:SecretString}}}.
 */
final class Provisioner {

    private final Template template;
    private final Map<String, String> refs = new HashMap<>();
    private final List<String> buckets = new ArrayList<>();

    Provisioner(Template template) {
        this.template = template;
        refs.put("AWS::Region", Backends.REGION);
        refs.put("AWS::AccountId", "000000000000");
        refs.put("AWS::Partition", "aws");
        refs.put("AWS::URLSuffix", "amazonaws.com");
        refs.put("AWS::StackName", "clientele-local");
    }

    /** Ref and GetAtt values of what was created: "Table" → name, "Table.Arn", "Queue" → URL... */
    Map<String, String> refs() {
        return refs;
    }

    void createTables(DynamoDbClient dynamo) {
        template.resources("AWS::DynamoDB::Table").forEach((id, properties) -> {
            String name = properties.containsKey("TableName") ? template.resolve(properties.get("TableName"), refs::get) : id;
            var request = CreateTableRequest.builder()
                    .tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(Template.asList(properties.get("AttributeDefinitions")).stream()
                            .map(Template::asMap)
                            .map(a -> AttributeDefinition.builder().attributeName((String) a.get("AttributeName"))
                                    .attributeType((String) a.get("AttributeType")).build())
                            .toList())
                    .keySchema(keySchema(properties.get("KeySchema")));
            var indexes = Template.asList(properties.get("GlobalSecondaryIndexes")).stream().map(Template::asMap)
                    .map(i -> GlobalSecondaryIndex.builder()
                            .indexName((String) i.get("IndexName"))
                            .keySchema(keySchema(i.get("KeySchema")))
                            .projection(projection(Template.asMap(i.get("Projection"))))
                            .build())
                    .toList();
            if (!indexes.isEmpty()) {
                request.globalSecondaryIndexes(indexes);
            }
            try {
                dynamo.createTable(request.build());
                var ttl = Template.asMap(properties.get("TimeToLiveSpecification"));
                if (Boolean.TRUE.equals(ttl.get("Enabled"))) {
                    dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(
                            s -> s.attributeName((String) ttl.get("AttributeName")).enabled(true)));
                }
            } catch (ResourceInUseException alreadyThere) {
                // Kept from an earlier run (persistent data folder).
            }
            refs.put(id, name);
            refs.put(id + ".Arn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
        });
    }

    void createQueues(SqsClient sqs) {
        var queues = new LinkedHashMap<>(template.resources("AWS::SQS::Queue"));
        // Queues without a redrive policy (the dead-letter queues) first, so ARNs resolve.
        var ordered = new ArrayList<Map.Entry<String, Map<String, Object>>>();
        queues.entrySet().stream().filter(e -> !e.getValue().containsKey("RedrivePolicy")).forEach(ordered::add);
        queues.entrySet().stream().filter(e -> e.getValue().containsKey("RedrivePolicy")).forEach(ordered::add);
        for (var entry : ordered) {
            String id = entry.getKey();
            var properties = entry.getValue();
            String name = properties.containsKey("QueueName") ? template.resolve(properties.get("QueueName"), refs::get) : id;
            var attributes = new HashMap<QueueAttributeName, String>();
            put(attributes, QueueAttributeName.VISIBILITY_TIMEOUT, properties.get("VisibilityTimeout"));
            put(attributes, QueueAttributeName.MESSAGE_RETENTION_PERIOD, properties.get("MessageRetentionPeriod"));
            put(attributes, QueueAttributeName.DELAY_SECONDS, properties.get("DelaySeconds"));
            put(attributes, QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, properties.get("ReceiveMessageWaitTimeSeconds"));
            var redrive = Template.asMap(properties.get("RedrivePolicy"));
            if (!redrive.isEmpty()) {
                String dlqArn = template.resolve(redrive.get("deadLetterTargetArn"), refs::get);
                attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn
                        + "\",\"maxReceiveCount\":\"" + redrive.get("maxReceiveCount") + "\"}");
            }
            String url = createQueue(sqs, name, attributes);
            String arn = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            refs.put(id, url);
            refs.put(id + ".Arn", arn);
            refs.put(id + ".QueueName", name);
            refs.put(id + ".QueueUrl", url);
        }
    }

    /**
     * Creates the queue, or finds it kept from an earlier run (a persistent data folder, with its
     * messages): then it gets the template's attributes, which may have changed since.
     */
    private static String createQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        try {
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        } catch (QueueNameExistsException kept) {
            String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
            return url;
        }
    }

    /**
     * The template's buckets, named as CloudFormation would name a bucket without a BucketName:
     * the stack's name and the logical id, in lower case. (Encryption, the public access block and
     * the lifecycle rules are AWS's to enforce; the local server keeps objects until they are deleted.)
     */
    void createBuckets(S3Client s3) {
        template.resources("AWS::S3::Bucket").forEach((id, properties) -> {
            String name = properties.containsKey("BucketName") ? template.resolve(properties.get("BucketName"), refs::get)
                    : (refs.get("AWS::StackName") + "-" + id).toLowerCase(java.util.Locale.ROOT);
            try {
                s3.createBucket(r -> r.bucket(name));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // Kept from an earlier run (persistent data folder).
            }
            buckets.add(name);
            refs.put(id, name);
            refs.put(id + ".Arn", "arn:aws:s3:::" + name);
            refs.put(id + ".DomainName", name + ".s3.amazonaws.com");
        });
    }

    /**
     * The template's secrets, with values kept in {@code dataDir} (made on first use; fresh ones
     * when it is null). Ref of a secret is its ARN, as in CloudFormation.
     */
    void createSecrets(java.nio.file.Path dataDir) {
        var ids = template.resources("AWS::SecretsManager::Secret").keySet();
        var values = LocalSecrets.load(dataDir, ids);
        for (String id : ids) {
            String arn = "arn:aws:secretsmanager:" + Backends.REGION + ":000000000000:secret:" + id;
            refs.put(id, arn);
            refs.put(id + ".Id", arn);
            refs.put(Template.secretReference(arn), values.get(id));
            refs.put(Template.secretReference(id), values.get(id));
        }
    }

    List<String> buckets() {
        return List.copyOf(buckets);
    }

    private static void put(Map<QueueAttributeName, String> attributes, QueueAttributeName name, Object value) {
        if (value != null) {
            attributes.put(name, value.toString());
        }
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return Template.asList(value).stream().map(Template::asMap)
                .map(k -> KeySchemaElement.builder().attributeName((String) k.get("AttributeName"))
                        .keyType((String) k.get("KeyType")).build())
                .toList();
    }

    private static Projection projection(Map<String, Object> value) {
        var builder = Projection.builder().projectionType((String) value.getOrDefault("ProjectionType", "ALL"));
        var nonKey = Template.asList(value.get("NonKeyAttributes"));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }
}
