package com.clientele.payments;

import com.clientele.campaigns.CampaignWiring;
import com.clientele.customers.CustomersWiring;
import com.clientele.loyalty.LoyaltyWiring;
import com.clientele.shared.Components;
import com.clientele.shared.events.EventQueues;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.events.Sqs;
import com.clientele.subscriptions.SubscriptionRefunds;
import com.clientele.subscriptions.SubscriptionsWiring;
import java.util.Arrays;

/** How the payments capability's parts are built from a function's {@link Components}, each once. */
public final class PaymentsWiring {

    private PaymentsWiring() {
    }

    /** The consumers' queues: {@code EVENT_QUEUE_URLS}, comma-separated. */
    public static EventQueues queues(Components components) {
        return components.once(EventQueues.class, () -> new EventQueues(Sqs.client(components),
                Arrays.stream(components.env().get("EVENT_QUEUE_URLS", "").split(","))
                        .map(String::strip).filter(url -> !url.isEmpty()).toList()));
    }

    public static Outbox outbox(Components components) {
        return components.once(Outbox.class, () -> new Outbox(components.enhanced(), components.table(), queues(components)));
    }

    public static PaymentRepository repository(Components components) {
        return components.once(PaymentRepository.class, () -> new PaymentRepository(components.dynamoDb(), components.enhanced(), components.table(),
                CustomersWiring.repository(components), outbox(components)));
    }

    public static PaymentService service(Components components) {
        var env = components.env();
        return components.once(PaymentService.class, () -> new PaymentService(repository(components), gateway(components),
                outbox(components), new Fingerprints(env.require("FINGERPRINT_SECRET")), components.cursors(),
                components.clock(), components.metrics(), Long.parseLong(env.get("MAX_CHARGE_AMOUNT", "99999999")),
                new SubscriptionRefunds(SubscriptionsWiring.repository(components), components.clock())
                        .and((tenant, payment, refund) -> CampaignWiring.redemptions(components).refunded(tenant, payment,
                                components.clock().instant())),
                (tenant, customerId) -> {
                    var balance = LoyaltyWiring.repository(components).balance(tenant, customerId);
                    return new PaymentService.PointsTotals(balance.lifetime(), balance.redeemed());
                }, CampaignWiring.redemptions(components)));
    }

    public static DisputeService disputes(Components components) {
        return components.once(DisputeService.class, () -> new DisputeService(repository(components),
                new DisputeRepository(components.enhanced(), components.table(), outbox(components)), gateway(components),
                outbox(components), components.cursors(), components.clock(), components.metrics()));
    }

    /** The processor: only the sandbox exists so far; a real adapter is one more case here. */
    public static PaymentGateway gateway(Components components) {
        String name = components.env().get("PAYMENT_GATEWAY", "sandbox");
        if (!name.equals("sandbox")) {
            throw new IllegalStateException("unknown PAYMENT_GATEWAY " + name + " (known: sandbox)");
        }
        return new SandboxGateway(components.clock());
    }
}
