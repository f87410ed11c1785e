package com.clientele.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportRequestTest {

    private static ExportRequest of(String json) throws Exception {
        return ExportRequest.of(Json.MAPPER.readTree(json));
    }

    private static List<String> fields(String json) {
        var e = catchThrowableOfType(ApiException.class, () -> of(json));
        assertThat(e).as("a 400 for " + json).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void theListsParametersAsTheQueryStringWouldCarryThem() throws Exception {
        var request = of("{\"sort\": \"-ltv\", \"ltvMin\": 5000, \"hasPurchases\": true, \"segment\": \"loyal\", \"columns\": [\"email\", \"id\"]}");
        assertThat(request.parameters()).isEqualTo(Map.of("sort", "-ltv", "ltvMin", "5000", "hasPurchases", "true", "segment", "loyal"));
        assertThat(request.columns()).containsExactly("email", "id");
        assertThat(ExportRequest.of(null).columns()).isEqualTo(CustomerCsv.DEFAULT_COLUMNS);
        assertThat(ExportRequest.of(null).parameters()).isEmpty();
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        assertThat(fields("{\"segment\": \"vip\", \"ltvMin\": 1.5, \"shoe\": \"x\", \"cursor\": \"c\", \"columns\": [\"id\", 7, \"nope\"]}"))
                .containsExactlyInAnyOrder("segment", "ltvMin", "shoe", "cursor", "columns[1]", "columns[2]");
        assertThat(fields("{\"columns\": {\"id\": true}, \"type\": [\"business\"]}")).containsExactlyInAnyOrder("columns", "type");
        assertThat(fields("{\"limit\": 10}")).containsExactly("limit");
        assertThat(fields("{\"q\": \"ada\", \"email\": \"a@b.example\"}")).containsExactly("q");
    }
}
