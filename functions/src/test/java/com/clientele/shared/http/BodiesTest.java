package com.clientele.shared.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodiesTest {

    record Points(Long points, Integer days, String reason) {
    }

    private static ApiRequest body(String json) {
        return new ApiRequest("POST /x", "POST", "/x", Map.of(), Map.of(), Map.of(), json, "t", "u", "r", Set.of());
    }

    private static FieldError refused(String json) {
        var e = assertThrows(ApiException.class, () -> Bodies.read(body(json), Points.class));
        assertEquals(400, e.status());
        return e.errors().get(0);
    }

    @Test
    void numbersPastTheirTypeNameTheField() {
        assertEquals("points", refused("{\"points\": 9223372036854775808}").field());
        assertEquals("points", refused("{\"points\": -9223372036854775809}").field());
        assertEquals("days", refused("{\"days\": 2147483648}").field());
        assertEquals("points", refused("{\"points\": 1e400}").field());
    }

    @Test
    void everyStringOfABodyFollowsTheTextRuleNamingItsPath() {
        var e = assertThrows(ApiException.class, () -> Bodies.readTree(body(
                "{\"a\": {\"b\": [\"ok\", \"bad\\ud800\"]}, \"c\": \"\\u0007\", \"d\\u0000\": 1}")));
        assertEquals(List.of("a.b[1]", "c", "d\u0000"), e.errors().stream().map(FieldError::field).toList());
        var clean = Bodies.readTree(body("{\"na\\u200bme\": \"Zoe\\u0301\\u200b\", \"note\": \"one\\r\\ntwo\"}"));
        assertEquals("Zoé", clean.get("name").textValue());
        assertEquals("one\ntwo", clean.get("note").textValue());
    }

    @Test
    void aNameThatIsAnotherOnceNormalisedIsRefused() {
        var e = assertThrows(ApiException.class, () -> Bodies.readTree(body("{\"name\": \"a\", \"na\\u200bme\": \"b\"}")));
        assertEquals("name", e.errors().get(0).field());
    }
}
