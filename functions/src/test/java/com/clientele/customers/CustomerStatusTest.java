package com.clientele.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.shared.Json;
import org.junit.jupiter.api.Test;

class CustomerStatusTest {

    @Test
    void isWrittenAndReadInLowerCaseAsTheProfileItemHoldsIt() throws Exception {
        assertThat(CustomerStatus.values()).extracting(CustomerStatus::value).containsExactly("active", "deleted", "merged");
        for (var status : CustomerStatus.values()) {
            String json = Json.MAPPER.writeValueAsString(status);
            assertThat(json).isEqualTo("\"" + status.value() + "\"");
            assertThat(Json.MAPPER.readValue(json, CustomerStatus.class)).isSameAs(status);
        }
        assertThat(CustomerStatus.of("merged")).isEqualTo(CustomerStatus.MERGED);
    }
}
