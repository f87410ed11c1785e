package com.clientele.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.clientele.shared.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static SQSEvent.SQSMessage message(String id, String body) {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        return message;
    }

    private static String event(String id, String customer, long amount) {
        return Json.write(PaymentEvent.builder().id(id).type(PaymentEvent.SUCCEEDED).tenantId("t1").customerId(customer)
                .paymentId("pay_1").amount(amount).currency("USD").occurredAt(Instant.parse("2026-11-23T10:00:00Z")).build());
    }

    @Test
    void onlyTheFailedMessagesAreReportedAndACustomersEventsKeepTheirOrder() {
        var batch = new SQSEvent();
        batch.setRecords(List.of(
                message("m1", event("evt_1", "cus_a", 100)),
                message("m2", "{not json"),
                message("m3", event("evt_2", "cus_b", 666)),
                message("m4", event("evt_3", "cus_a", 200)),
                message("m5", event("evt_4", "cus_a", 300))));
        var seenForA = Collections.synchronizedList(new ArrayList<Long>());
        var response = Batches.eachPaymentEvent(batch, null, event -> {
            if (event.amount() == 666) {
                throw new IllegalStateException("boom");
            }
            if (event.customerId().equals("cus_a")) {
                seenForA.add(event.amount());
            }
        });
        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder("m2", "m3");
        assertThat(seenForA).containsExactly(100L, 200L, 300L);
    }
}
