package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queues come up as the template declares them: dead-letter queue first, redrive policy wired. */
class QueueProvisioningTest {

    @Test
    void createsQueuesWithTheirRedrivePolicyAndResolvesReferences() throws Exception {
        var template = Path.of(getClass().getResource("/queues-template.yaml").toURI());
        try (var cloud = LocalCloud.start(LocalCloud.Options.inMemory(template));
             var sqs = Backends.external(cloud.dynamoDbEndpoint(), cloud.sqsEndpoint(), cloud.s3Endpoint(), "test", "test").sqsClient()) {
            String queueUrl = cloud.resources().get("EventsQueue");
            String dlqArn = cloud.resources().get("EventsDlq.Arn");
            assertThat(cloud.resources().get("EventsDlq.QueueName")).isEqualTo("events-dlq");
            var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("60");
            assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY)).contains(dlqArn).contains("5");

            var env = cloud.environment("Worker");
            assertThat(env).containsEntry("QUEUE_URL", queueUrl).containsEntry("DLQ_NAME", "events-dlq");
            assertThat(env).containsEntry("REGIONAL", cloud.resources().get("EventsQueue.Arn") + "|us-east-1");
            assertThat(env).doesNotContainKey("UNRESOLVABLE");
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("hello"));
            assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)).messages())
                    .extracting(m -> m.body()).containsExactly("hello");
        }
    }
}
