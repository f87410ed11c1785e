package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.clientele.e2e.TestCloud;
import com.clientele.shared.http.ApiRoutes;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** template.yaml is valid SAM, and the local cloud builds exactly what it declares. */
class TemplateTest {

    @Test
    void cfnLintFindsNothing() throws Exception {
        assumeTrue(onPath("cfn-lint"), "cfn-lint is not installed here");
        var process = new ProcessBuilder("cfn-lint", TestCloud.template().toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    void theTableIsCreatedAsTheTemplateDeclaresIt() {
        var cloud = TestCloud.embedded();
        String table = cloud.resources().get("Table");
        try (var dynamo = TestCloud.dynamoDb(cloud.dynamoDbEndpoint())) {
            var description = dynamo.describeTable(r -> r.tableName(table)).table();
            assertThat(description.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                    .containsExactly("PK:HASH", "SK:RANGE");
            assertThat(description.globalSecondaryIndexes()).extracting(i -> i.indexName())
                    .containsExactlyInAnyOrder("GSI1", "GSI2", "GSI3", "GSI4", "GSI5", "GSI6", "GSI7", "GSI8");
            var ttl = dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription();
            assertThat(ttl.attributeName()).isEqualTo("ttl");
            assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        }
    }

    @Test
    void everyFunctionGetsItsLogLevelFromTheTemplateAndOneOfItsOwnOverridesTheGlobalOne() throws Exception {
        assertThat(TestCloud.embedded().environment("CustomersFunction")).containsEntry("LOG_LEVEL", "INFO");
        String original = java.nio.file.Files.readString(TestCloud.template());
        String aggregator = "  LtvAggregatorFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n";
        assertThat(original).contains(aggregator);
        var copy = java.nio.file.Files.createTempFile("template-log-level", ".yaml");
        copy.toFile().deleteOnExit();
        java.nio.file.Files.writeString(copy, original.replace(aggregator,
                aggregator + "      Environment:\n        Variables:\n          LOG_LEVEL: DEBUG\n"));
        var levels = new HashMap<String, Object>();
        Template.load(copy).functions().forEach(f -> levels.put(f.logicalId(), f.environment().get("LOG_LEVEL")));
        assertThat(levels).containsEntry("LtvAggregatorFunction", "DEBUG").containsEntry("CustomersFunction", "INFO");
    }

    @Test
    void everyFunctionGetsTheTableAndTheLocalEndpoints() {
        var env = TestCloud.embedded().environment("CustomersFunction");
        assertThat(env).containsEntry("TABLE_NAME", TestCloud.embedded().resources().get("Table"));
        assertThat(env).containsKeys("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "AWS_REGION");
        assertThat(env.get("CURSOR_SECRET")).as("the generated secret the template's dynamic reference names").hasSize(64);
    }

    @Test
    void shortFormIntrinsicsAreRead() {
        var template = Template.load(TestCloud.template());
        var function = template.functions().stream().filter(f -> f.logicalId().equals("CustomersFunction")).findFirst().orElseThrow();
        assertThat(function.handler()).isEqualTo("com.clientele.customers.CustomersHandler::handleRequest");
        assertThat(template.resolve(function.environment().get("TABLE_NAME"), name -> name.equals("Table") ? "t1" : null)).isEqualTo("t1");
        assertThat(template.routes()).extracting(Template.Route::key).contains("POST /customers", "GET /customers/{id}", "$default");
        assertThat(template.parameterDefault("JwtAudience")).isEqualTo("clientele");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theRouteListOfTheDefaultFunctionIsTheTemplatesRoutes() {
        var template = Template.load(TestCloud.template());
        var declared = template.routes().stream().map(Template.Route::key).filter(key -> !key.equals("$default")).toList();
        assertThat(ApiRoutes.ALL).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void everyRouteDeclaresTheOneScopeTheFunctionsCheck() {
        var declared = new HashMap<String, List<String>>();
        Template.load(TestCloud.template()).routes().forEach(route -> declared.put(route.key(), route.scopes()));
        var expected = new HashMap<String, List<String>>();
        ApiRoutes.SCOPES.forEach((route, scope) -> expected.put(route, List.of(scope)));
        expected.put("$default", List.of());
        assertThat(declared).isEqualTo(expected);
    }
}
