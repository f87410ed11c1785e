package com.clientele.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.clientele.customers.Customer;
import com.clientele.payments.Payment;
import com.clientele.shared.Json;
import com.clientele.shared.Prewarm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

class PrimingSamplesTest {

    static Stream<Arguments> samples() {
        return Stream.of(Arguments.of(Customer.class, Priming.CUSTOMER), Arguments.of(Payment.class, Priming.PAYMENT));
    }

    /**
     * A sample {@link Prewarm} cannot read would leave the first request to build the mapping:
     * each is read as its type and written back unchanged, every field of the record named, none unknown.
     */
    @ParameterizedTest
    @MethodSource("samples")
    void eachSampleIsItsTypeWithEveryFieldAndWritesBackAsItWasRead(Class<?> type, String sample) throws Exception {
        String written = Prewarm.run(type, sample);

        assertThat(Json.MAPPER.readTree(written)).isEqualTo(Json.MAPPER.readTree(sample));
        assertThat(Json.MAPPER.readTree(sample).size()).isEqualTo(type.getRecordComponents().length);
    }
}
