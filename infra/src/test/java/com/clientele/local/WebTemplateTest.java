package com.clientele.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.e2e.TestCloud;
import com.clientele.shared.Json;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The merchant dashboard in template.yaml: its files in a private bucket that only its CloudFront
 * distribution reads (Origin Access Control), served over HTTPS with strict security headers, an API
 * that answers CORS to that origin alone and accepts tokens issued to the dashboard's client, and the
 * outputs a deployment needs to upload the files and their config.json.
 */
class WebTemplateTest {

    private final Template template = Template.load(TestCloud.template());

    /** What CloudFormation would answer for the names the dashboard's resources refer to. */
    private static final Map<String, String> DEPLOYED = Map.of(
            "AWS::Partition", "aws", "AWS::AccountId", "123456789012", "AWS::Region", "eu-west-1",
            "AWS::URLSuffix", "amazonaws.com", "JwtIssuer", "https://idp.example.com/tenants/acme",
            "WebDistribution", "E2EXAMPLE", "WebDistribution.DomainName", "d111example.cloudfront.net",
            "HttpApi", "a1b2c3", "IssuerHost", "idp.example.com");

    @Test
    void theBucketIsPrivateAndOnlyTheDistributionMayReadIt() {
        var bucket = template.resources("AWS::S3::Bucket").get("WebBucket");
        assertThat(Template.asMap(bucket.get("PublicAccessBlockConfiguration"))).hasSize(4).allSatisfy((name, on) -> assertThat(on).isEqualTo(true));
        assertThat(bucket).doesNotContainKeys("WebsiteConfiguration", "AccessControl");

        var policy = template.resources("AWS::S3::BucketPolicy").get("WebBucketPolicy");
        assertThat(policy.get("Bucket")).isEqualTo(Map.of("Ref", "WebBucket"));
        var statements = Template.asList(Template.asMap(policy.get("PolicyDocument")).get("Statement")).stream().map(Template::asMap).toList();
        var allowed = statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertThat(allowed).singleElement().satisfies(statement -> {
            assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "cloudfront.amazonaws.com"));
            assertThat(statement.get("Action")).isEqualTo("s3:GetObject");
            var sourceArn = Template.asMap(Template.asMap(statement.get("Condition")).get("StringEquals")).get("AWS:SourceArn");
            assertThat(deployed(sourceArn)).isEqualTo("arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE");
        });
        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Deny");
            assertThat(statement.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
        });
    }

    @Test
    void theDistributionServesTheBucketThroughOriginAccessControlOverHttpsOnly() {
        var config = Template.asMap(template.resources("AWS::CloudFront::Distribution").get("WebDistribution").get("DistributionConfig"));
        assertThat(config).containsEntry("DefaultRootObject", "index.html").containsEntry("Enabled", true);
        var origin = Template.asMap(Template.asList(config.get("Origins")).getFirst());
        assertThat(origin.get("DomainName")).isEqualTo(Map.of("Fn::GetAtt", List.of("WebBucket", "RegionalDomainName")));
        assertThat(origin.get("OriginAccessControlId")).isEqualTo(Map.of("Fn::GetAtt", List.of("WebOriginAccessControl", "Id")));
        assertThat(Template.asMap(origin.get("S3OriginConfig"))).containsEntry("OriginAccessIdentity", "");
        var access = Template.asMap(template.resources("AWS::CloudFront::OriginAccessControl").get("WebOriginAccessControl")
                .get("OriginAccessControlConfig"));
        assertThat(access).containsEntry("OriginAccessControlOriginType", "s3").containsEntry("SigningBehavior", "always")
                .containsEntry("SigningProtocol", "sigv4");

        var behaviour = Template.asMap(config.get("DefaultCacheBehavior"));
        assertThat(behaviour).containsEntry("ViewerProtocolPolicy", "https-only")
                .containsEntry("AllowedMethods", List.of("GET", "HEAD"))
                .containsEntry("ResponseHeadersPolicyId", Map.of("Ref", "WebResponseHeadersPolicy"));
    }

    @Test
    void everyFileCarriesAStrictContentSecurityPolicyHstsAndNoReferrer() {
        var headers = Template.asMap(Template.asMap(template.resources("AWS::CloudFront::ResponseHeadersPolicy")
                .get("WebResponseHeadersPolicy").get("ResponseHeadersPolicyConfig")).get("SecurityHeadersConfig"));
        var csp = Template.asMap(headers.get("ContentSecurityPolicy"));
        assertThat(csp).containsEntry("Override", true);
        var sub = Template.asList(Template.asMap(csp.get("ContentSecurityPolicy")).get("Fn::Sub"));
        assertThat(sub.get(1)).as("the issuer's host, from JwtIssuer")
                .isEqualTo(Map.of("IssuerHost", Map.of("Fn::Select", List.of(2, Map.of("Fn::Split", List.of("/", Map.of("Ref", "JwtIssuer")))))));
        assertThat("https://idp.example.com/tenants/acme".split("/")[2]).isEqualTo(DEPLOYED.get("IssuerHost"));

        var directives = directives(deployed(csp.get("ContentSecurityPolicy")));
        assertThat(directives).containsEntry("default-src", List.of("'none'")).containsEntry("script-src", List.of("'self'"))
                .containsEntry("object-src", List.of("'none'")).containsEntry("base-uri", List.of("'none'"))
                .containsEntry("frame-ancestors", List.of("'none'"));
        assertThat(directives.get("connect-src")).as("itself (config.json), the region's APIs, the identity provider")
                .containsExactly("'self'", "https://*.execute-api.eu-west-1.amazonaws.com", "https://idp.example.com");
        assertThat(directives.values()).allSatisfy(sources -> assertThat(sources).doesNotContain("*", "http:", "https:", "'unsafe-eval'"));
        assertThat(directives.get("style-src")).as("inline style attributes only (lit-html and Chart.js set them)")
                .containsExactly("'self'", "'unsafe-inline'");

        // What the app may do under the local cloud's policy it may do in AWS too: each directive allows
        // at least as much (connect-src aside: there the API is on another origin). Where the local
        // policy's default is 'self', the template names 'self' for each kind of file the app loads.
        var local = directives(new Dashboard(null).contentSecurityPolicy());
        assertThat(local.get("default-src")).containsExactly("'self'");
        local.forEach((directive, sources) -> {
            if (!directive.equals("default-src") && !directive.equals("connect-src")) {
                assertThat(directives.get(directive)).as(directive).containsAll(sources);
            }
        });
        for (String fetch : List.of("script-src", "style-src", "img-src", "font-src", "manifest-src", "connect-src")) {
            assertThat(directives.get(fetch)).as(fetch).contains("'self'");
        }

        var hsts = Template.asMap(headers.get("StrictTransportSecurity"));
        assertThat(((Number) hsts.get("AccessControlMaxAgeSec")).longValue()).isGreaterThanOrEqualTo(31_536_000L);
        assertThat(hsts).containsEntry("IncludeSubdomains", true).containsEntry("Override", true);
        assertThat(Template.asMap(headers.get("ReferrerPolicy"))).containsEntry("ReferrerPolicy", "no-referrer");
        assertThat(Template.asMap(headers.get("FrameOptions"))).containsEntry("FrameOption", "DENY");
        assertThat(Template.asMap(headers.get("ContentTypeOptions"))).containsEntry("Override", true);
    }

    @Test
    void theApiAnswersCorsToTheDashboardsOriginAloneAndAcceptsItsClientsTokens() {
        var api = template.resources("AWS::Serverless::HttpApi").get("HttpApi");
        var cors = Template.asMap(api.get("CorsConfiguration"));
        var origins = Template.asList(cors.get("AllowOrigins"));
        assertThat(origins).hasSize(1);
        assertThat(deployed(origins.getFirst())).isEqualTo("https://d111example.cloudfront.net");
        assertThat(cors.get("AllowHeaders")).isEqualTo(List.of("Authorization", "Content-Type", "If-Match", "Idempotency-Key"));
        assertThat(cors.get("ExposeHeaders")).isEqualTo(List.of("ETag", "Location", "Idempotent-Replayed"));
        assertThat(Template.asList(cors.get("AllowMethods"))).containsExactlyInAnyOrder("GET", "POST", "PUT", "PATCH", "DELETE");
        assertThat(cors).doesNotContainKey("AllowCredentials");

        var jwt = Template.asMap(Template.asMap(Template.asMap(Template.asMap(api.get("Auth")).get("Authorizers"))
                .get("JwtAuthorizer")).get("JwtConfiguration"));
        assertThat(jwt.get("audience")).isEqualTo(List.of(Map.of("Ref", "JwtAudience"),
                Map.of("Fn::If", List.of("HasDashboardClient", Map.of("Ref", "DashboardClientId"), Map.of("Ref", "AWS::NoValue")))));
        assertThat(template.parameterDefault("DashboardClientId")).isEmpty();
    }

    @Test
    void theOutputsNameTheBucketTheSiteAndItsConfigJsonInTheFormTheLocalCloudServes() throws Exception {
        var outputs = template.outputs();
        assertThat(outputs.get("WebBucketName")).containsEntry("Value", Map.of("Ref", "WebBucket"));
        assertThat(outputs.get("WebDistributionId")).containsEntry("Value", Map.of("Ref", "WebDistribution"));
        assertThat(deployed(outputs.get("WebUrl").get("Value"))).isEqualTo("https://d111example.cloudfront.net/");

        var config = Json.MAPPER.readTree(deployed(outputs.get("WebConfig").get("Value")));
        assertThat(config.path("signIn").asText()).isEqualTo("oidc");
        assertThat(config.path("issuer").asText()).isEqualTo("https://idp.example.com/tenants/acme");
        assertThat(config.path("clientId").asText()).isEmpty();
        assertThat(config.path("scope").asText()).isEqualTo("openid");
        assertThat(config.path("apiUrl").asText()).isEqualTo("https://a1b2c3.execute-api.eu-west-1.amazonaws.com");
        var local = new OidcSignIn(URI.create("http://127.0.0.1:9000"), "dashboard").config();
        assertThat(config.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrderElementsOf(local.keySet());
    }

    private String deployed(Object value) {
        return template.resolve(value, DEPLOYED::get);
    }

    private static Map<String, List<String>> directives(String policy) {
        var result = new LinkedHashMap<String, List<String>>();
        for (String directive : policy.split(";")) {
            var words = directive.trim().split("\\s+");
            if (!words[0].isEmpty()) {
                result.put(words[0], Arrays.asList(words).subList(1, words.length));
            }
        }
        return result;
    }
}
