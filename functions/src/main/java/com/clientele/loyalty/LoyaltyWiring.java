package com.clientele.loyalty;

import com.clientele.campaigns.CampaignService;
import com.clientele.campaigns.CampaignWiring;
import com.clientele.messages.MessageRequest;
import com.clientele.messages.MessageTemplate;
import com.clientele.messages.MessagesWiring;
import com.clientele.shared.Components;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.clientele.shared.events.Sqs;
import com.clientele.shared.jobs.JobMetrics;
import com.clientele.shared.jobs.StepRunner;
import com.clientele.tiers.TiersWiring;

/** How the loyalty capability's parts are built from a function's {@link Components}, each once. */
public final class LoyaltyWiring {

    private LoyaltyWiring() {
    }

    public static LoyaltyRepository repository(Components components) {
        return components.once(LoyaltyRepository.class, () -> new LoyaltyRepository(components.dynamoDb(), components.table(),
                components.metrics(), components.clock()));
    }

    static LoyaltyService loyalty(Components components) {
        return components.once(LoyaltyService.class,
                () -> new LoyaltyService(repository(components), components.cursors(), components.clock()));
    }

    /**
     * OTPs by email go through the messages port (the customer receives the code; the caller does not see
     * it); by SMS, through the sandbox sender still (the code comes back to the caller): SMS codes through
     * SNS are one change here.
     */
    static OtpService otps(Components components) {
        OtpService.Sender sender = (tenant, customerId, otpId, channel, to, code) -> {
            if (!MessageRequest.EMAIL.equals(channel)) {
                return OtpService.SANDBOX.send(tenant, customerId, otpId, channel, to, code);
            }
            MessagesWiring.messages(components).send(new MessageRequest(tenant, customerId, "otp:" + otpId, MessageTemplate.LOYALTY_CODE,
                    MessageRequest.EMAIL, true, Map.of("code", code, "minutes", Long.toString(OtpService.VALIDITY.toMinutes())), List.of()));
            return Optional.empty();
        };
        return components.once(OtpService.class, () -> new OtpService(repository(components), sender,
                components.env().require("OTP_SECRET"), components.cursors(), components.clock()));
    }

    static RedemptionService redemptions(Components components) {
        return components.once(RedemptionService.class,
                () -> new RedemptionService(repository(components), otps(components), components.clock()));
    }

    /** The campaigns' routes' rules, reading the tenant's campaign stacking from its loyalty settings. */
    static CampaignService campaigns(Components components) {
        return CampaignWiring.service(components, tenant -> repository(components).settings(tenant).campaignStacking());
    }

    static AccrualService accrual(Components components) {
        var campaigns = CampaignWiring.earning(components);
        return components.once(AccrualService.class, () -> new AccrualService(repository(components), campaigns::credits,
                TiersWiring.tiers(components)));
    }

    /** The points reconciliation from the payment ledger (run by the ledger-check jobs), applying what it finds as the accrual does. */
    public static PointsReconciliation reconciliation(Components components) {
        return components.once(PointsReconciliation.class,
                () -> new PointsReconciliation(repository(components), accrual(components), components.clock()));
    }

    static ExpiryQueue expiryQueue(Components components) {
        return components.once(ExpiryQueue.class,
                () -> new ExpiryQueue(Sqs.client(components), components.env().require("EXPIRY_QUEUE_URL")));
    }

    /** The expiry as the template configures it, sending the rest of a run that reached its budget to its queue. */
    static ExpiryService expiry(Components components) {
        var env = components.env();
        return components.once(ExpiryService.class, () -> new ExpiryService(repository(components),
                new DueLots(components.enhanced(), components.table(), components.clock()), expiryQueue(components), components.clock(),
                Integer.parseInt(env.get("EXPIRY_PAGE_SIZE", "100")), Integer.parseInt(env.get("EXPIRY_LOOKBACK_DAYS", "35")),
                Integer.parseInt(env.get("EXPIRY_PARALLELISM", "8")), expiryMetrics(components)));
    }

    static JobMetrics expiryMetrics(Components components) {
        return new JobMetrics(components.metrics(), JobMetrics.EXPIRY);
    }

    /** {@code EXPIRY_BUDGET_MILLIS} and {@code EXPIRY_MAX_RECEIVES}, for the scheduled run and the worker alike. */
    static StepRunner.Settings expirySettings(Components components) {
        return StepRunner.Settings.from(components.env(), "EXPIRY", PointsExpiryHandler.DEFAULT_BUDGET_MILLIS,
                PointsExpiryHandler.RESERVE_MILLIS);
    }

    static StepRunner<ExpiryRun> expiryRunner(Components components) {
        return new StepRunner<>(ExpiryRun.class, expiry(components), expiryQueue(components), expirySettings(components),
                expiryMetrics(components));
    }
}
