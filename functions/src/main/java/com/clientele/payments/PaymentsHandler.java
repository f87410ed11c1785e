package com.clientele.payments;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.payments.PaymentInputs.Charge;
import com.clientele.payments.PaymentInputs.ChargeCommand;
import com.clientele.payments.PaymentInputs.GuestCharge;
import com.clientele.payments.PaymentInputs.GuestChargeCommand;
import com.clientele.payments.PaymentInputs.RefundCommand;
import com.clientele.payments.PaymentInputs.RefundRequest;
import com.clientele.payments.PaymentInputs.SaveCard;
import com.clientele.payments.PaymentInputs.SaveCardCommand;
import com.clientele.shared.Components;
import com.clientele.shared.Prewarm;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Priming;
import com.clientele.shared.http.Router;
import java.util.List;
import java.util.Map;

/** The charge-now function: saved cards, charges, payment history, refunds, guest payments and disputes. */
public final class PaymentsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /** Started when Lambda loads this class, to build a payment's JSON mapping while the constructor builds the SDK clients. */
    private static final Prewarm PREWARM = Prewarm.start(Payment.class, Priming.PAYMENT);

    private final Router router;

    /** Lambda's entry point: primes the hot routes ({@link Router#prime}) before init ends, so before a SnapStart snapshot. */
    public PaymentsHandler() {
        this(Components.from(System.getenv()));
        router.prime(Priming.paymentRequests());
        PREWARM.await();
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public PaymentsHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    /** The function over {@code components} (benchmarks give them DynamoDB and SQS clients that count calls). */
    public PaymentsHandler(Components components) {
        this(PaymentsWiring.service(components), PaymentsWiring.disputes(components), components.idempotency());
        router.audited(components.audit());
    }

    public PaymentsHandler(PaymentService payments, DisputeService disputes, Idempotency idempotency) {
        this.router = new Router()
                .route("POST /customers/{id}/payment-methods", request -> saved(payments.saveCard(new SaveCardCommand(
                        request.tenantId(), request.pathParameter("id"), Bodies.read(request, SaveCard.class)))))
                .route("GET /customers/{id}/payment-methods", request -> ApiResponse.ok(payments.cards(request.tenantId(),
                        request.pathParameter("id"))))
                .route("DELETE /customers/{id}/payment-methods/{paymentMethodId}", request -> {
                    payments.deleteCard(request.tenantId(), request.pathParameter("id"), request.pathParameter("paymentMethodId"));
                    return ApiResponse.noContent();
                })
                .route("POST /customers/{id}/payment-methods/{paymentMethodId}/default", request -> ApiResponse.ok(
                        payments.makeDefault(request.tenantId(), request.pathParameter("id"), request.pathParameter("paymentMethodId"))))
                .idempotent("POST /customers/{id}/charges", idempotency, request -> new ChargeCommand(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, Charge.class)), payments::charge, PaymentsHandler::charged)
                .route("GET /customers/{id}/payments", request -> ApiResponse.ok(payments.payments(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /customers/{id}/related-guest-payments", request -> ApiResponse.ok(
                        payments.relatedGuestPayments(request.tenantId(), request.pathParameter("id"))))
                .route("GET /payments", request -> ApiResponse.ok(request.query().containsKey("receiptId")
                        ? payments.byReceipt(request.tenantId(), request.queryParameter("receiptId").orElse(null))
                        : payments.list(request.tenantId(), request.query())))
                .route("GET /payments/{id}", request -> ApiResponse.ok(payments.payment(request.tenantId(), request.pathParameter("id"))))
                .idempotent("POST /payments/{id}/refunds", idempotency, request -> new RefundCommand(request.tenantId(),
                        request.pathParameter("id"), request.body() == null || request.body().isBlank()
                                ? new RefundRequest(null, null) : Bodies.read(request, RefundRequest.class)),
                        payments::refund, PaymentsHandler::refunded)
                .idempotent("POST /guest-payments", idempotency, request -> new GuestChargeCommand(request.tenantId(),
                        Bodies.read(request, GuestCharge.class)), payments::guestCharge, PaymentsHandler::charged)
                .route("GET /customers/{id}/disputes", request -> ApiResponse.ok(disputes.ofCustomer(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /disputes", request -> ApiResponse.ok(disputes.ofTenant(request.tenantId(), request.query())))
                .route("GET /disputes/{id}", request -> ApiResponse.ok(disputes.dispute(request.tenantId(), request.pathParameter("id"))))
                .route("POST /disputes/{id}/evidence", request -> ApiResponse.ok(disputes.submitEvidence(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, DisputeService.EvidenceInput.class))))
                .route("POST /disputes/{id}/accept", request -> ApiResponse.ok(disputes.accept(request.tenantId(),
                        request.pathParameter("id"))));
    }

    /** 201 with the card's address when it was saved now, 200 with the one saved already with the same number. */
    private static ApiResponse saved(PaymentService.CardSaved saved) {
        var method = saved.method();
        return saved.created()
                ? new ApiResponse(201, Map.of("Location", "/customers/" + method.customerId() + "/payment-methods/" + method.id()), method)
                : ApiResponse.ok(method);
    }

    /** 201 with a succeeded payment, 402 with the decline of a failed one. */
    private static ApiResponse charged(Payment payment) {
        return payment.status() == PaymentStatus.SUCCEEDED ? created(payment.id(), payment)
                : refused(payment.id(), payment.failureCode(), "Payment declined", payment.failureMessage(), "The card was declined",
                        Map.of("paymentId", payment.id(), "declineCode", payment.failureCode()));
    }

    /** 201 with a succeeded refund, 402 with the processor's refusal. */
    private static ApiResponse refunded(Refund refund) {
        return refund.status() == RefundStatus.SUCCEEDED ? created(refund.paymentId(), refund)
                : refused(refund.paymentId(), refund.failureCode(), "Refund refused", refund.failureMessage(),
                        "The processor refused the refund", Map.of("refundId", refund.id(), "paymentId", refund.paymentId()));
    }

    private static ApiResponse created(String paymentId, Object body) {
        return new ApiResponse(201, Map.of("Location", "/payments/" + paymentId), body);
    }

    /** The 402 problem of what the processor refused, on the payment's address. */
    private static ApiResponse refused(String paymentId, String code, String title, String message, String otherwise,
                                       Map<String, Object> extensions) {
        return Router.problem(new ApiException(402, code, title, message == null ? otherwise : message, List.of(), extensions,
                Map.of()), "/payments/" + paymentId);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
