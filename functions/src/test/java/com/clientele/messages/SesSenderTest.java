package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.Json;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The SES sender against a stand-in for the SES v2 endpoint: what it asks SES to send, and a refusal. */
class SesSenderTest {

    @Test
    void anEmailGoesToSesWithItsTextHtmlAndAttachmentsAndARefusalIsAFailure() throws Exception {
        var body = new AtomicReference<String>();
        var path = new AtomicReference<String>();
        var status = new AtomicReference<>(200);
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            path.set(exchange.getRequestURI().getPath());
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = (status.get() == 200 ? "{\"MessageId\": \"ses-0001\"}"
                    : "{\"message\": \"Email address is not verified.\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (status.get() != 200) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "MessageRejected");
            }
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            var env = new Env(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                    "AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + server.getAddress().getPort()));
            var sender = new SesSender(Aws.build(SesV2Client.builder(), env, "AWS_ENDPOINT_URL_SESV2"), "billing@shop.example", "feedback");
            var content = Rendering.of(MessageTemplate.INVOICE, Map.of("firstName", "Ada", "invoiceNumber", "INV-1", "amount", "1.00 EUR",
                    "dueDate", "2026-12-15"));
            String id = sender.send(new MessageSender.Outgoing("ada@example.com", content,
                    List.of(new MessageSender.File("INV-1.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII))),
                    Map.of(MessageSender.TENANT, "acme", MessageSender.COMMUNICATION, "msg_1")));

            assertThat(id).isEqualTo("ses-0001");
            assertThat(path.get()).isEqualTo("/v2/email/outbound-emails");
            var request = Json.MAPPER.readTree(body.get());
            assertThat(request.path("FromEmailAddress").asText()).isEqualTo("billing@shop.example");
            assertThat(request.path("Destination").path("ToAddresses").get(0).asText()).isEqualTo("ada@example.com");
            var simple = request.path("Content").path("Simple");
            assertThat(simple.path("Subject").path("Data").asText()).isEqualTo("Invoice INV-1");
            assertThat(simple.path("Body").path("Text").path("Data").asText()).contains("invoice INV-1 for 1.00 EUR");
            assertThat(simple.path("Body").path("Html").path("Data").asText()).startsWith("<!DOCTYPE html>");
            var attachment = simple.path("Attachments").get(0);
            assertThat(attachment.path("FileName").asText()).isEqualTo("INV-1.pdf");
            assertThat(new String(Base64.getDecoder().decode(attachment.path("RawContent").asText()), StandardCharsets.US_ASCII))
                    .isEqualTo("%PDF-1.7");
            // the configuration set whose event destination reports bounces, and the tags that name the communication
            assertThat(request.path("ConfigurationSetName").asText()).isEqualTo("feedback");
            var tags = new java.util.HashMap<String, String>();
            request.path("EmailTags").forEach(tag -> tags.put(tag.path("Name").asText(), tag.path("Value").asText()));
            assertThat(tags).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "communication", "msg_1"));

            status.set(400);
            assertThatThrownBy(() -> sender.send(new MessageSender.Outgoing("ada@example.com", content, List.of(), Map.of())))
                    .isInstanceOf(MessageSender.Failure.class).hasMessageNotContaining("ada@example.com");
        } finally {
            server.stop(0);
        }
    }
}
