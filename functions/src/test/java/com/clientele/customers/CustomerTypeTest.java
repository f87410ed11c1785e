package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import org.junit.jupiter.api.Test;

class CustomerTypeTest {

    @Test
    void isWrittenAndReadInLowerCaseAsTheTableAndTheApiHoldIt() throws Exception {
        assertThat(CustomerType.values()).extracting(CustomerType::value).containsExactly("individual", "business");
        for (var type : CustomerType.values()) {
            String json = Json.MAPPER.writeValueAsString(type);
            assertThat(json).isEqualTo("\"" + type.value() + "\"");
            assertThat(Json.MAPPER.readValue(json, CustomerType.class)).isSameAs(type);
        }
        assertThat(CustomerType.of("business")).isEqualTo(CustomerType.BUSINESS);
    }
}
