package com.clientele.shared.http;

import java.util.List;

/**
 * Every route of the HTTP API, whichever function serves it. The function on {@code $default}
 * uses them to answer a wrong method on a known path with 405 and {@code Allow}, as it cannot see
 * the other functions' routes. A test checks this list against template.yaml.
 */
public final class ApiRoutes {

    public static final List<String> ALL = List.of(
            "POST /customers", "GET /customers", "GET /customers/top", "GET /customers/{id}", "PATCH /customers/{id}",
            "DELETE /customers/{id}", "POST /customers/batch-delete", "GET /settings/segments", "PUT /settings/segments",
            "GET /analytics/customers",
            "POST /customers/{id}/payment-methods", "GET /customers/{id}/payment-methods",
            "DELETE /customers/{id}/payment-methods/{paymentMethodId}",
            "POST /customers/{id}/payment-methods/{paymentMethodId}/default", "POST /customers/{id}/charges",
            "GET /customers/{id}/payments", "GET /customers/{id}/related-guest-payments", "GET /payments",
            "GET /payments/{id}", "POST /payments/{id}/refunds", "POST /guest-payments",
            "POST /admin/ltv-recompute", "GET /admin/ltv-recompute/{jobId}",
            "GET /loyalty/settings", "PUT /loyalty/settings", "GET /customers/{id}/points",
            "GET /customers/{id}/points/statement", "POST /customers/{id}/points/redemptions",
            "POST /customers/{id}/points/adjustments", "POST /customers/{id}/points/otp", "GET /customers/{id}/points/otps",
            "POST /customers/{id}/notes", "GET /customers/{id}/notes", "GET /customers/{id}/notes/{noteId}",
            "PATCH /customers/{id}/notes/{noteId}", "DELETE /customers/{id}/notes/{noteId}", "GET /customers/{id}/activities",
            "GET /customers/{id}/data-export", "POST /customers/{id}/erase", "POST /customers/{id}/merge",
            "POST /exports/customers", "GET /exports", "GET /exports/{id}", "POST /exports/{id}/retry");

    private ApiRoutes() {
    }
}
