package com.clientele.messages;

import com.clientele.customers.Customer;
import com.clientele.customers.CustomerRepository;
import com.clientele.shared.Ids;
import java.time.Clock;
import java.util.HashMap;
import java.util.Optional;

/**
 * The one way a service sends a customer a message. {@link #send} records the message on the customer
 * (a {@link Communication}) and queues it for the sender function, which renders and sends it; the
 * call itself sends nothing. A message id is recorded once: asking again for one already recorded
 * returns what was recorded (and queues it again while it is still {@code queued}, should the first
 * call have died between recording and queueing: the sender sends a communication once whatever
 * the number of its deliveries).
 *
 * <p>A marketing message (not transactional) goes only to a customer who agreed to marketing on its
 * channel ({@code communicationPreferences}); otherwise, and when the customer has no address for the
 * channel, it is recorded as {@code skipped} with the reason, and not queued: the merchant sees what
 * was not sent and why.
 */
public class Messages {

    static final String OPTED_OUT = "opted_out";
    static final String NO_ADDRESS = "no_address";

    private final CustomerRepository customers;
    private final CommunicationRepository repository;
    private final MessageQueue queue;
    private final MessageMetrics metrics;
    private final Clock clock;

    public Messages(CustomerRepository customers, CommunicationRepository repository, MessageQueue queue,
                    com.clientele.shared.metrics.Metrics metrics, Clock clock) {
        this.customers = customers;
        this.repository = repository;
        this.queue = queue;
        this.metrics = new MessageMetrics(metrics);
        this.clock = clock;
    }

    /** The communication recorded for the request (new or earlier); empty when the customer is not a live one. */
    public Optional<Communication> send(MessageRequest request) {
        String tenant = request.tenantId();
        var earlier = repository.byMessageId(tenant, request.customerId(), request.messageId());
        if (earlier.isPresent()) {
            return Optional.of(again(tenant, earlier.get(), request));
        }
        var found = customers.find(tenant, request.customerId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        var customer = found.get();
        var variables = variables(request, customer);
        String to = address(customer, request.channel());
        String reason = !request.transactional() && !customer.communicationPreferences().allowsMarketing(request.channel())
                ? OPTED_OUT : to == null ? NO_ADDRESS : null;
        var now = clock.instant();
        var communication = new Communication(Ids.next(Ids.MESSAGE), request.messageId(), customer.id(), request.channel(),
                request.template(), request.transactional(), reason == null ? to : null,
                Rendering.subject(request.template(), variables), reason == null ? Communication.Status.QUEUED : Communication.Status.SKIPPED,
                reason, 0, null, request.attachments(), now, null, null, now);
        if (!repository.insert(tenant, communication)) {
            return repository.byMessageId(tenant, request.customerId(), request.messageId()).map(c -> again(tenant, c, request));
        }
        if (reason != null) {
            metrics.skipped(tenant, communication);
            return Optional.of(communication);
        }
        queue.send(new MessageJob(tenant, customer.id(), communication.id(), variables));
        metrics.queued(tenant, communication);
        return Optional.of(communication);
    }

    /** A message id asked for again: queued again while it waits (the sender skips what it sent already). */
    private Communication again(String tenant, Communication recorded, MessageRequest request) {
        if (recorded.status() == Communication.Status.QUEUED) {
            var customer = customers.find(tenant, recorded.customerId());
            if (customer.isPresent()) {
                queue.send(new MessageJob(tenant, recorded.customerId(), recorded.id(), variables(request, customer.get())));
            }
        }
        return recorded;
    }

    /** The request's variables and the customer's first name (or a neutral greeting for a business without one). */
    private static java.util.Map<String, String> variables(MessageRequest request, Customer customer) {
        var all = new HashMap<>(request.variables());
        all.putIfAbsent("firstName", customer.firstName() == null ? "there" : customer.firstName());
        return all;
    }

    /** The customer's address on the channel; null when it has none (an erased customer's are no one's). */
    static String address(Customer customer, String channel) {
        if (MessageRequest.EMAIL.equals(channel)) {
            String email = customer.email();
            return email == null || email.equals(Customer.anonymousEmail(customer.id())) ? null : email;
        }
        String phone = customer.phone();
        return phone == null || phone.equals(Customer.ERASED_PHONE) ? null : phone;
    }
}
