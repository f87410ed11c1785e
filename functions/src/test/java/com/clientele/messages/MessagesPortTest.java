package com.clientele.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.clientele.customers.CommunicationPreferences;
import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerType;
import com.clientele.shared.metrics.MetricRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The port's rules, with the repositories and the queue mocked: what is recorded, queued or skipped. */
class MessagesPortTest {

    private static final String TENANT = "acme";
    private static final String CUSTOMER = "cus_01KAZ5Y1T3M8QXW6N4R2P7D9EF";
    private static final Map<String, String> RECEIPT = Map.of("amount", "12.34 USD", "paymentId", "pay_1", "date", "2026-12-01");

    private final CustomerRepository customers = mock(CustomerRepository.class);
    private final CommunicationRepository repository = mock(CommunicationRepository.class);
    private final MessageQueue queue = mock(MessageQueue.class);
    private final List<MetricRecord> metrics = new ArrayList<>();
    private final Messages messages = new Messages(customers, repository, queue, metrics::add,
            Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    private void customer(String email, CommunicationPreferences preferences) {
        when(customers.find(TENANT, CUSTOMER)).thenReturn(Optional.of(Customer.builder().id(CUSTOMER).type(CustomerType.INDIVIDUAL)
                .firstName("Ada").lastName("Byron").email(email).phone("+14155550100").communicationPreferences(preferences).build()));
        when(repository.insert(eq(TENANT), any())).thenReturn(true);
    }

    @Test
    void aTransactionalMessageIsRecordedQueuedAndItsVariablesTravelWithTheJobOnly() {
        customer("ada@example.com", null);
        var recorded = messages.send(MessageRequest.email(TENANT, CUSTOMER, "receipt:pay_1", MessageTemplate.PAYMENT_RECEIPT, RECEIPT))
                .orElseThrow();
        assertThat(recorded.status()).isEqualTo(Communication.Status.QUEUED);
        assertThat(recorded.to()).isEqualTo("ada@example.com");
        assertThat(recorded.subject()).isEqualTo("Your receipt for 12.34 USD");
        assertThat(recorded.id()).startsWith("msg_");
        var job = ArgumentCaptor.forClass(MessageJob.class);
        verify(queue).send(job.capture());
        assertThat(job.getValue().communicationId()).isEqualTo(recorded.id());
        assertThat(job.getValue().variables()).containsEntry("firstName", "Ada").containsEntry("amount", "12.34 USD");
        assertThat(metrics).extracting(m -> m.metrics().get(0).name()).containsExactly("MessagesQueued");
        assertThat(metrics.get(0).dimensions()).containsEntry("Channel", "email").containsEntry("Template", "payment_receipt");
    }

    @Test
    void marketingWithoutConsentIsRecordedSkippedAndNotQueued() {
        customer("ada@example.com", CommunicationPreferences.NONE);
        var news = Map.of("headline", "News", "text", "Hello");
        var skipped = messages.send(MessageRequest.email(TENANT, CUSTOMER, "news:1", MessageTemplate.MARKETING, news)).orElseThrow();
        assertThat(skipped.status()).isEqualTo(Communication.Status.SKIPPED);
        assertThat(skipped.reason()).isEqualTo(Messages.OPTED_OUT);
        assertThat(skipped.to()).isNull();
        verify(queue, never()).send(any());

        customer("ada@example.com", new CommunicationPreferences(true, false));
        assertThat(messages.send(MessageRequest.email(TENANT, CUSTOMER, "news:2", MessageTemplate.MARKETING, news)).orElseThrow()
                .status()).isEqualTo(Communication.Status.QUEUED);
        var sms = new MessageRequest(TENANT, CUSTOMER, "news:3", MessageTemplate.MARKETING, MessageRequest.SMS, false, news, List.of());
        assertThat(messages.send(sms).orElseThrow().reason()).as("agreed to email, not SMS").isEqualTo(Messages.OPTED_OUT);
    }

    @Test
    void anErasedCustomersAddressIsNoOnesAndAnUnknownCustomerGetsNothing() {
        customer(Customer.anonymousEmail(CUSTOMER), null);
        var skipped = messages.send(MessageRequest.email(TENANT, CUSTOMER, "receipt:pay_2", MessageTemplate.PAYMENT_RECEIPT, RECEIPT))
                .orElseThrow();
        assertThat(skipped.reason()).isEqualTo(Messages.NO_ADDRESS);
        when(customers.find(TENANT, CUSTOMER)).thenReturn(Optional.empty());
        assertThat(messages.send(MessageRequest.email(TENANT, CUSTOMER, "receipt:pay_3", MessageTemplate.PAYMENT_RECEIPT, RECEIPT)))
                .isEmpty();
    }

    @Test
    void aMessageIdAskedForAgainIsNotRecordedTwiceAndIsQueuedAgainOnlyWhileItWaits() {
        customer("ada@example.com", null);
        var queued = new Communication("msg_1", "receipt:pay_1", CUSTOMER, "email", MessageTemplate.PAYMENT_RECEIPT, true,
                "ada@example.com", "s", Communication.Status.QUEUED, null, 0, null, List.of(), null, null, null, null);
        when(repository.byMessageId(TENANT, CUSTOMER, "receipt:pay_1")).thenReturn(Optional.of(queued));
        var request = MessageRequest.email(TENANT, CUSTOMER, "receipt:pay_1", MessageTemplate.PAYMENT_RECEIPT, RECEIPT);
        assertThat(messages.send(request)).contains(queued);
        verify(repository, never()).insert(any(), any());
        verify(queue).send(any());

        var sent = new Communication("msg_1", "receipt:pay_1", CUSTOMER, "email", MessageTemplate.PAYMENT_RECEIPT, true,
                "ada@example.com", "s", Communication.Status.SENT, null, 1, "p", List.of(), null, null, null, null);
        when(repository.byMessageId(TENANT, CUSTOMER, "receipt:pay_1")).thenReturn(Optional.of(sent));
        messages.send(request);
        verify(queue).send(any());
    }

    @Test
    void aRequestNamesEveryVariableOfItsTemplateAndAValidChannel() {
        assertThatThrownBy(() -> MessageRequest.email(TENANT, CUSTOMER, "receipt:pay_1", MessageTemplate.PAYMENT_RECEIPT,
                Map.of("amount", "1"))).hasMessageContaining("paymentId");
        assertThatThrownBy(() -> new MessageRequest(TENANT, CUSTOMER, "id", MessageTemplate.PAYMENT_RECEIPT, "fax", true, RECEIPT,
                List.of())).hasMessageContaining("channel");
        assertThatThrownBy(() -> new MessageRequest(TENANT, CUSTOMER, "bad id with spaces", MessageTemplate.PAYMENT_RECEIPT, "email",
                true, RECEIPT, List.of())).hasMessageContaining("message id");
        assertThatThrownBy(() -> new MessageRequest(TENANT, CUSTOMER, "x", MessageTemplate.INVOICE, "sms", true,
                Map.of("invoiceNumber", "1", "amount", "1", "dueDate", "d"), List.of(new Attachment("k", "f.pdf"))))
                .hasMessageContaining("attachments");
    }

    @Test
    void templatesFillTheirVariablesAndEscapeTheHtml() {
        var rendering = Rendering.of(MessageTemplate.MARKETING, Map.of("firstName", "Ada", "headline", "Sale\nnow", "text", "<b>50%</b> & more"));
        assertThat(rendering.subject()).isEqualTo("Sale now");
        assertThat(rendering.text()).startsWith("Hello Ada,\n\n<b>50%</b> & more");
        assertThat(rendering.html()).contains("<p>&lt;b&gt;50%&lt;/b&gt; &amp; more</p>").doesNotContain("<b>");
        assertThatThrownBy(() -> Rendering.of(MessageTemplate.LOYALTY_CODE, Map.of("firstName", "Ada", "code", "123456")))
                .hasMessageContaining("minutes");
        assertThat(MessageTemplate.of("payment_receipt")).isEqualTo(MessageTemplate.PAYMENT_RECEIPT);
        assertThat(MessageTemplate.MARKETING.transactional()).isFalse();
        assertThat(MessageTemplate.INVOICE.transactional()).isTrue();
    }
}
