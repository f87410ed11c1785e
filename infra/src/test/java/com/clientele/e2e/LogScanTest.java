package com.clientele.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * No personal data, card data, code or token in the logs: after every other test class of the module
 * ({@code @Order}: last), what the test JVM wrote while they ran ({@link SuiteOutput}), every function's
 * log lines included, holds none of the values the tests used ({@link SensitiveValues}).
 */
@Order(Integer.MAX_VALUE)
class LogScanTest {

    @Test
    void noValueTheTestsUsedIsInWhatTheFunctionsLogged() {
        var values = SensitiveValues.all();
        assumeTrue(!values.isEmpty(), "no end-to-end test ran before this one");
        String output = SuiteOutput.text();
        assertThat(SuiteOutput.logLines()).as("the functions' log lines were captured").isNotEmpty();
        assertThat(SensitiveValues.foundIn(output, values)).as("values the tests used, found in the logs").isEmpty();
    }

    @Test
    void theScanFindsAValueAsAWordOrAShortValueAsAString() {
        var values = Set.of("Lovelace", "ada@example.com", "4242424242424242", "123", "12ab", "+14155550111");
        assertThat(SensitiveValues.foundIn("{\"message\":\"hello Lovelace\"}", values)).containsExactly("Lovelace");
        assertThat(SensitiveValues.foundIn("email ada@example.com taken", values)).containsExactly("ada@example.com");
        assertThat(SensitiveValues.foundIn("{\"cvc\":\"123\"}", values)).containsExactly("123");
        assertThat(SensitiveValues.foundIn("{\"otp\":\"12ab\"}", values)).containsExactly("12ab");
        assertThat(SensitiveValues.foundIn("{\"request_id\":\"263c2108-12ab-41f1-83be-b4f41e865494\"}", values)).isEmpty();
        assertThat(SensitiveValues.foundIn("phone=+14155550111", values)).containsExactly("+14155550111");
        assertThat(SensitiveValues.foundIn("{\"latency_ms\":123,\"x\":\"Lovelaces\",\"n\":\"42424242424242420\"}", values))
                .isEmpty();
    }
}
