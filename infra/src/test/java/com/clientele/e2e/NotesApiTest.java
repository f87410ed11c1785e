package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.local.LocalCloud;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Notes on a customer over HTTP: the team reads them newest first; only the author edits or deletes. */
class NotesApiTest {

    private final LocalCloud cloud = TestCloud.embedded();
    private final String tenant = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final Api alice = new Api(cloud.apiUrl(), cloud.token(tenant, "alice"));
    private final Api bob = new Api(cloud.apiUrl(), cloud.token(tenant, "bob"));

    private String customer() {
        return alice.post("/customers", """
                {"firstName": "Ada", "lastName": "Byron", "email": "ada@example.com", "phone": "+14155550111"}""").json().path("id").asText();
    }

    @Test
    void theTeamReadsNotesNewestFirstAndOnlyTheAuthorChangesThem() {
        String id = customer();
        var first = alice.post("/customers/" + id + "/notes", """
                {"type": "phone", "summary": "Asked about the annual plan", "followUp": "Send pricing",
                 "occurredAt": "2026-11-20T14:30:00Z"}""");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String noteId = first.json().path("id").asText();
        assertThat(noteId).startsWith("note_");
        assertThat(first.header("Location")).isEqualTo("/customers/" + id + "/notes/" + noteId);
        assertThat(first.json().path("authorId").asText()).isEqualTo("alice");
        assertThat(first.json().path("occurredAt").asText()).isEqualTo("2026-11-20T14:30:00Z");
        var second = bob.post("/customers/" + id + "/notes", "{\"type\": \"meeting\", \"summary\": \"Demo done\"}");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json().path("occurredAt").isTextual()).isTrue();

        var list = bob.get("/customers/" + id + "/notes").json();
        assertThat(list.path("data")).extracting(n -> n.path("summary").asText()).containsExactly("Demo done", "Asked about the annual plan");
        var page = alice.get("/customers/" + id + "/notes?limit=1").json();
        assertThat(page.path("data")).hasSize(1);
        assertThat(alice.get("/customers/" + id + "/notes?limit=1&cursor=" + page.path("nextCursor").asText()).json()
                .path("data").get(0).path("id").asText()).isEqualTo(noteId);

        var notMine = bob.send("PATCH", "/customers/" + id + "/notes/" + noteId, "{\"summary\": \"rewritten\"}");
        assertThat(notMine.status()).isEqualTo(403);
        assertThat(notMine.json().path("code").asText()).isEqualTo("not_note_author");
        assertThat(bob.send("DELETE", "/customers/" + id + "/notes/" + noteId, null).status()).isEqualTo(403);

        var edited = alice.send("PATCH", "/customers/" + id + "/notes/" + noteId, "{\"followUp\": null, \"type\": \"email\"}");
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertThat(edited.json().path("type").asText()).isEqualTo("email");
        assertThat(edited.json().path("followUp").isNull()).isTrue();
        assertThat(edited.json().path("summary").asText()).isEqualTo("Asked about the annual plan");
        assertThat(alice.get("/customers/" + id + "/notes/" + noteId).json().path("version").asLong()).isEqualTo(2);

        assertThat(alice.send("DELETE", "/customers/" + id + "/notes/" + noteId, null).status()).isEqualTo(204);
        assertThat(alice.get("/customers/" + id + "/notes/" + noteId).status()).isEqualTo(404);
        assertThat(alice.get("/customers/" + id + "/notes").json().path("data")).hasSize(1);
    }

    @Test
    void badNotesAreRefusedNamingTheField() {
        String id = customer();
        assertThat(alice.post("/customers/" + id + "/notes", "{\"type\": \"fax\", \"summary\": \"x\"}").json()
                .path("errors").get(0).path("field").asText()).isEqualTo("type");
        assertThat(alice.post("/customers/" + id + "/notes", "{\"type\": \"other\"}").json()
                .path("errors").get(0).path("field").asText()).isEqualTo("summary");
        var tooLong = alice.post("/customers/" + id + "/notes", "{\"type\": \"other\", \"summary\": \"" + "x".repeat(5_001) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("errors").get(0).path("field").asText()).isEqualTo("summary");
        assertThat(alice.post("/customers/" + id + "/notes", "{\"type\": \"other\", \"summary\": \"x\", \"occurredAt\": \"yesterday\"}")
                .json().path("errors").get(0).path("field").asText()).isEqualTo("occurredAt");
        assertThat(alice.post("/customers/" + id + "/notes", "{\"type\": \"other\", \"summary\": \"x\", \"colour\": \"red\"}")
                .json().path("errors").get(0).path("field").asText()).isEqualTo("colour");
        String noteId = alice.post("/customers/" + id + "/notes", "{\"type\": \"other\", \"summary\": \"x\"}").json().path("id").asText();
        assertThat(alice.send("PATCH", "/customers/" + id + "/notes/" + noteId, "{\"type\": \"fax\"}").status()).isEqualTo(400);
        assertThat(alice.post("/customers/cus_01KB0000000000000000000000/notes", "{\"type\": \"other\", \"summary\": \"x\"}")
                .status()).isEqualTo(404);
        var intruder = new Api(cloud.apiUrl(), cloud.token("other" + tenant, "alice"));
        assertThat(intruder.get("/customers/" + id + "/notes").status()).isEqualTo(404);
        assertThat(intruder.get("/customers/" + id + "/notes/" + noteId).status()).isEqualTo(404);
        assertThat(alice.get("/customers/" + id + "/notes/note_nope").status()).isEqualTo(404);
    }

    @Test
    void theActivityFeedQuotesANoteAsItIsAndNothingOfADeletedOne() {
        String id = customer();
        String noteId = alice.post("/customers/" + id + "/notes", "{\"type\": \"phone\", \"summary\": \"Wants the blue plan\"}")
                .json().path("id").asText();
        assertThat(feed(id)).contains("Note added (phone): Wants the blue plan");

        assertThat(alice.send("PATCH", "/customers/" + id + "/notes/" + noteId, "{\"summary\": \"Wants the red plan\"}").status())
                .isEqualTo(200);
        assertThat(feed(id)).contains("Note added (phone): Wants the red plan").doesNotContain("blue");

        assertThat(alice.send("DELETE", "/customers/" + id + "/notes/" + noteId, null).status()).isEqualTo(204);
        assertThat(feed(id)).contains("Note added (phone), since deleted").doesNotContain("red plan");
    }

    private String feed(String customerId) {
        var reply = alice.get("/customers/" + customerId + "/activities");
        assertThat(reply.status()).isEqualTo(200);
        return reply.text();
    }
}
