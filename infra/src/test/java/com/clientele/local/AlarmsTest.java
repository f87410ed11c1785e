package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Nothing in template.yaml runs unwatched: every queue with a dead-letter queue has an alarm on the
 * DLQ's depth and one on its own oldest message, every function an alarm on its errors and one on
 * its throttles, and every alarm notifies the operators' topic. A queue or a function added without
 * its alarms fails here.
 */
class AlarmsTest {

    private final Template template = Template.load(TestCloud.template());
    private final Map<String, Map<String, Object>> alarms = template.resources("AWS::CloudWatch::Alarm");

    @Test
    void everyQueueWithADeadLetterQueueHasADepthAlarmOnItsDlqAndAnAgeAlarm() {
        var queues = template.resources("AWS::SQS::Queue");
        var redriven = new ArrayList<String>();
        queues.forEach((id, properties) -> {
            var redrive = Template.asMap(properties.get("RedrivePolicy"));
            if (!redrive.isEmpty()) {
                redriven.add(id);
                String dlq = String.valueOf(Template.asList(Template.asMap(redrive.get("deadLetterTargetArn")).get("Fn::GetAtt")).get(0));
                assertThat(watching("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq))
                        .as("an alarm on the depth of %s, %s's dead-letter queue", dlq, id).isNotEmpty();
                assertThat(watching("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", id))
                        .as("an alarm on the age of %s's oldest message", id).isNotEmpty();
            }
        });
        assertThat(redriven).as("the template's queues with a DLQ").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarm() {
        var functions = template.functions();
        assertThat(functions).hasSizeGreaterThanOrEqualTo(14);
        for (var function : functions) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(watching("AWS/Lambda", metric, "FunctionName", function.logicalId()))
                        .as("an alarm on the %s of %s", metric, function.logicalId()).isNotEmpty();
            }
        }
    }

    @Test
    void theApiTheTableAndTheJobsAreWatched() {
        assertThat(watchingMath("AWS/ApiGateway", Set.of("5xx", "Count"))).as("the API's 5xx rate").isNotEmpty();
        assertThat(watching("AWS/ApiGateway", "Latency", "ApiId", "HttpApi")).as("the API's latency")
                .allSatisfy(id -> assertThat(alarms.get(id)).containsEntry("ExtendedStatistic", "p99")).isNotEmpty();
        assertThat(watchingMath("AWS/DynamoDB", Set.of("ReadThrottleEvents", "WriteThrottleEvents"))).as("the table's throttling")
                .isNotEmpty();
        for (String worker : List.of("ExportWorkerFunction", "LtvRecomputeWorkerFunction", "PointsExpiryWorkerFunction",
                "RenewalsWorkerFunction", "CouponRunWorkerFunction")) {
            assertThat(watching("Clientele", "JobsFailed", "Service", worker)).as("failed jobs of %s", worker).isNotEmpty();
        }
    }

    @Test
    void everyAlarmNotifiesTheTopicGivenAsAParameterWhenThereIsOne() {
        assertThat(alarms).hasSizeGreaterThanOrEqualTo(40);
        var topicOrNothing = Map.of("Fn::If", List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")), Map.of("Ref", "AWS::NoValue")));
        alarms.forEach((id, properties) -> {
            assertThat(properties.get("AlarmActions")).as("%s's AlarmActions", id).isEqualTo(topicOrNothing);
            assertThat(properties.get("OKActions")).as("%s's OKActions", id).isEqualTo(topicOrNothing);
        });
        assertThat(template.parameterDefault("AlarmTopicArn")).isEmpty();
    }

    @Test
    void theDashboardShowsEveryAlarm() {
        var dashboards = template.resources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        String body = String.valueOf(Template.asMap(dashboards.values().iterator().next().get("DashboardBody")).get("Fn::Sub"));
        var missing = new HashSet<>(alarms.keySet());
        missing.removeIf(id -> body.contains("${" + id + ".Arn}"));
        assertThat(missing).as("alarms the dashboard does not show").isEmpty();
    }

    /** The alarms on {@code namespace}'s {@code metric} whose dimension {@code dimension} is the resource {@code logicalId}. */
    private List<String> watching(String namespace, String metric, String dimension, String logicalId) {
        var found = new ArrayList<String>();
        alarms.forEach((id, properties) -> {
            if (namespace.equals(properties.get("Namespace")) && metric.equals(properties.get("MetricName"))
                    && Template.asList(properties.get("Dimensions")).stream().map(Template::asMap)
                    .anyMatch(d -> dimension.equals(d.get("Name")) && references(d.get("Value"), logicalId))) {
                found.add(id);
            }
        });
        return found;
    }

    /** The alarms whose metric math reads every one of {@code metrics} of {@code namespace}. */
    private List<String> watchingMath(String namespace, Set<String> metrics) {
        var found = new ArrayList<String>();
        alarms.forEach((id, properties) -> {
            var read = new HashSet<String>();
            for (var query : Template.asList(properties.get("Metrics"))) {
                var metric = Template.asMap(Template.asMap(Template.asMap(query).get("MetricStat")).get("Metric"));
                if (namespace.equals(metric.get("Namespace"))) {
                    read.add(String.valueOf(metric.get("MetricName")));
                }
            }
            if (read.containsAll(metrics)) {
                found.add(id);
            }
        });
        return found;
    }

    /** Whether {@code value} is {@code !Ref logicalId} or {@code !GetAtt logicalId.Something}. */
    private static boolean references(Object value, String logicalId) {
        var intrinsic = Template.asMap(value);
        return logicalId.equals(intrinsic.get("Ref"))
                || !Template.asList(intrinsic.get("Fn::GetAtt")).isEmpty() && logicalId.equals(Template.asList(intrinsic.get("Fn::GetAtt")).get(0));
    }
}
