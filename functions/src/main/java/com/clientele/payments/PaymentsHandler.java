package com.clientele.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.customers.CustomerRepository;
import com.clientele.payments.PaymentInputs.SaveCard;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.events.EventQueues;
import com.clientele.shared.events.Outbox;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.time.Clock;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The charge-now function: saved cards, charges, payment history, refunds and guest payments. */
public final class PaymentsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Router router;

    /** Lambda's entry point. Under SnapStart, requests are primed before the snapshot is taken. */
    public PaymentsHandler() {
        this(System.getenv());
        Core.getGlobalContext().register(this);
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public PaymentsHandler(Map<String, String> environment) {
        this(service(new Env(environment)));
    }

    public PaymentsHandler(PaymentService payments) {
        this.router = new Router()
                .route("POST /customers/{id}/payment-methods", request -> payments.saveCard(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, SaveCard.class)))
                .route("GET /customers/{id}/payment-methods", request -> ApiResponse.ok(payments.cards(request.tenantId(),
                        request.pathParameter("id"))))
                .route("DELETE /customers/{id}/payment-methods/{paymentMethodId}", request -> {
                    payments.deleteCard(request.tenantId(), request.pathParameter("id"), request.pathParameter("paymentMethodId"));
                    return ApiResponse.noContent();
                })
                .route("POST /customers/{id}/payment-methods/{paymentMethodId}/default", request -> ApiResponse.ok(
                        payments.makeDefault(request.tenantId(), request.pathParameter("id"), request.pathParameter("paymentMethodId"))))
                .route("POST /customers/{id}/charges", request -> payments.charge(request.tenantId(), request.pathParameter("id"), request))
                .route("GET /customers/{id}/payments", request -> ApiResponse.ok(payments.payments(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /customers/{id}/related-guest-payments", request -> ApiResponse.ok(
                        payments.relatedGuestPayments(request.tenantId(), request.pathParameter("id"))))
                .route("GET /payments", request -> ApiResponse.ok(payments.byReceipt(request.tenantId(),
                        request.queryParameter("receiptId").orElse(null))))
                .route("GET /payments/{id}", request -> ApiResponse.ok(payments.payment(request.tenantId(), request.pathParameter("id"))))
                .route("POST /payments/{id}/refunds", request -> payments.refund(request.tenantId(), request.pathParameter("id"), request))
                .route("POST /guest-payments", request -> payments.guestCharge(request.tenantId(), request));
    }

    private static PaymentService service(Env env) {
        return service(env, OutboxRelayHandler.queues(env));
    }

    /** The service as the environment configures it, sending events through {@code queues}. */
    public static PaymentService service(Env env, EventQueues queues) {
        return service(env, Aws.dynamoDb(env), queues);
    }

    /** The service as the environment configures it, over {@code dynamo} (benchmarks pass one that counts calls). */
    public static PaymentService service(Env env, DynamoDbClient dynamo, EventQueues queues) {
        var enhanced = Aws.enhanced(dynamo);
        String table = env.require("TABLE_NAME");
        var outbox = new Outbox(enhanced, table, queues);
        var repository = new PaymentRepository(enhanced, table, new CustomerRepository(dynamo, table), outbox);
        Clock clock = Clock.systemUTC();
        return new PaymentService(repository, gateway(env), new Idempotency(enhanced, table, clock), outbox,
                new Fingerprints(env.require("FINGERPRINT_SECRET")),
                new Cursors(env.require("CURSOR_SECRET")), clock,
                Long.parseLong(env.get("MAX_CHARGE_AMOUNT", "99999999")));
    }

    /** The processor: only the sandbox exists so far; a real adapter is one more case here. */
    private static PaymentGateway gateway(Env env) {
        String name = env.get("PAYMENT_GATEWAY", "sandbox");
        if (!name.equals("sandbox")) {
            throw new IllegalStateException("unknown PAYMENT_GATEWAY " + name + " (known: sandbox)");
        }
        return new SandboxGateway();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /** Priming: reads that cannot find anything and a charge refused by validation, before the snapshot. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.paymentRequests().forEach(event -> router.handle(event, null));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: ids are generated per request and clients hold no credentials.
    }
}
