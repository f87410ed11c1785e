package com.clientele.shared.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route of the HTTP API, whichever function serves it, with the one scope a token needs to
 * call it. template.yaml declares the same scope as the route's {@code AuthorizationScopes} (API
 * Gateway checks it); the {@link Router} checks it again, so a route misconfigured in the template
 * is not open. A test checks this table against template.yaml route by route.
 *
 * <p>Scopes are {@code area:action}: {@code :read} for every GET of the area, then one scope per
 * kind of change, so that a role can be given exactly the money, points and privacy actions it
 * needs. The function on {@code $default} also uses the routes to answer a wrong method on a known
 * path with 405 and {@code Allow}, as it cannot see the other functions' routes.
 */
public final class ApiRoutes {

    /**
     * The scope whose holder may refund: beyond {@code POST /payments/{id}/refunds}, a paid order's cancel
     * and a paid invoice's credit note refund a payment only for a caller holding it.
     */
    public static final String REFUND_SCOPE = "payments:refund";

    /** Route key ({@code METHOD /path}) → the scope it needs, in a stable order. */
    public static final Map<String, String> SCOPES = table(
            // Customers, the customers page, analytics
            "POST /customers", "customers:write",
            "GET /customers", "customers:read",
            "GET /customers/top", "customers:read",
            "GET /customers/{id}", "customers:read",
            "PATCH /customers/{id}", "customers:write",
            "DELETE /customers/{id}", "customers:delete",
            "POST /customers/batch-delete", "customers:delete",
            "GET /analytics/customers", "customers:read",
            // Smart lists: saved queries of the customers list, shared by the team
            "POST /smart-lists", "customers:write",
            "GET /smart-lists", "customers:read",
            "GET /smart-lists/{id}", "customers:read",
            "PATCH /smart-lists/{id}", "customers:write",
            "DELETE /smart-lists/{id}", "customers:write",
            // Settings: segments and the loyalty programme
            "GET /settings/segments", "settings:read",
            "PUT /settings/segments", "settings:write",
            "GET /loyalty/settings", "settings:read",
            "PUT /loyalty/settings", "settings:write",
            // Campaigns: earning rules of the loyalty programme (programme settings, as the loyalty settings are)
            "POST /campaigns", "settings:write",
            "GET /campaigns", "settings:read",
            "GET /campaigns/{id}", "settings:read",
            "PATCH /campaigns/{id}", "settings:write",
            "POST /campaigns/{id}/activate", "settings:write",
            "POST /campaigns/{id}/pause", "settings:write",
            "POST /campaigns/{id}/end", "settings:write",
            "POST /campaigns/{id}/coupons", "settings:write",
            "POST /campaigns/{id}/coupon-runs", "settings:write",
            "GET /campaigns/{id}/coupon-runs", "settings:read",
            "GET /campaigns/{id}/coupon-runs/{runId}", "settings:read",
            "GET /customers/{id}/coupons", "customers:read",
            "GET /coupons/{code}", "customers:read",
            "GET /settings/billing", "settings:read",
            "PUT /settings/billing", "settings:write",
            // Billing groups: consolidated invoicing of business customers (membership is the customer's billingGroupId)
            "POST /billing-groups", "customers:write",
            "GET /billing-groups", "customers:read",
            "GET /billing-groups/{id}", "customers:read",
            "PATCH /billing-groups/{id}", "customers:write",
            "GET /billing-groups/{id}/members", "customers:read",
            "POST /billing-groups/{id}/members", "customers:write",
            "DELETE /billing-groups/{id}/members/{customerId}", "customers:write",
            // Saved cards, charges, payments, refunds
            "POST /customers/{id}/payment-methods", "cards:write",
            "GET /customers/{id}/payment-methods", "payments:read",
            "DELETE /customers/{id}/payment-methods/{paymentMethodId}", "cards:write",
            "POST /customers/{id}/payment-methods/{paymentMethodId}/default", "cards:write",
            "POST /customers/{id}/charges", "payments:charge",
            "POST /guest-payments", "payments:charge",
            "GET /customers/{id}/payments", "payments:read",
            "GET /customers/{id}/related-guest-payments", "payments:read",
            "GET /payments", "payments:read",
            "GET /payments/{id}", "payments:read",
            "POST /payments/{id}/refunds", REFUND_SCOPE,
            // Disputes: read as payments are; answered (evidence, acceptance) by who may give money back
            "GET /customers/{id}/disputes", "payments:read",
            "GET /disputes", "payments:read",
            "GET /disputes/{id}", "payments:read",
            "POST /disputes/{id}/evidence", REFUND_SCOPE,
            "POST /disputes/{id}/accept", REFUND_SCOPE,
            // Points
            "GET /customers/{id}/points", "points:read",
            "GET /customers/{id}/points/statement", "points:read",
            "GET /customers/{id}/points/otps", "points:read",
            "POST /customers/{id}/points/otp", "points:redeem",
            "POST /customers/{id}/points/redemptions", "points:redeem",
            "POST /customers/{id}/points/adjustments", "points:adjust",
            // Tiers and journeys
            "GET /loyalty/tiers", "settings:read",
            "PUT /loyalty/tiers", "settings:write",
            "GET /customers/{id}/tier", "points:read",
            "PUT /customers/{id}/tier", "points:adjust",
            "DELETE /customers/{id}/tier", "points:adjust",
            "GET /customers/{id}/journeys", "customers:read",
            "GET /analytics/journeys", "customers:read",
            // Notes and the activity feed
            "GET /customers/{id}/notes", "customers:read",
            "GET /customers/{id}/notes/{noteId}", "customers:read",
            "GET /customers/{id}/activities", "customers:read",
            "GET /customers/{id}/communications", "customers:read",
            "POST /customers/{id}/notes", "notes:write",
            "PATCH /customers/{id}/notes/{noteId}", "notes:write",
            "DELETE /customers/{id}/notes/{noteId}", "notes:write",
            // Whole-customer operations
            "POST /customers/{id}/merge", "customers:merge",
            "GET /customers/{id}/data-export", "privacy:export",
            "POST /customers/{id}/erase", "privacy:erase",
            // CSV exports
            "POST /exports/customers", "exports:create",
            "POST /exports/{id}/retry", "exports:create",
            "GET /exports", "exports:read",
            "GET /exports/{id}", "exports:read",
            // Jobs over the whole tenant
            "POST /admin/ltv-recompute", "admin:jobs",
            "GET /admin/ltv-recompute/{jobId}", "admin:jobs",
            "POST /admin/points-reconcile", "admin:jobs",
            "GET /admin/points-reconcile/{jobId}", "admin:jobs",
            "POST /admin/renewals", "admin:jobs",
            "POST /admin/invoices/overdue", "admin:jobs",
            // Recurring billing: a past-due subscription's failed payment settled by hand
            "POST /subscriptions/{id}/retry", "payments:charge",
            "POST /subscriptions/{id}/mark-paid", "payments:charge",
            // The catalogue: products, their variants, prices
            "POST /products", "catalogue:write",
            "GET /products", "catalogue:read",
            "GET /products/{id}", "catalogue:read",
            "PATCH /products/{id}", "catalogue:write",
            "DELETE /products/{id}", "catalogue:write",
            "POST /products/{id}/archive", "catalogue:write",
            "POST /products/{id}/unarchive", "catalogue:write",
            "POST /products/{id}/variants", "catalogue:write",
            "GET /products/{id}/variants", "catalogue:read",
            "GET /products/{id}/variants/{variantId}", "catalogue:read",
            "PATCH /products/{id}/variants/{variantId}", "catalogue:write",
            "POST /products/{id}/variants/{variantId}/archive", "catalogue:write",
            "POST /products/{id}/variants/{variantId}/unarchive", "catalogue:write",
            "POST /prices", "catalogue:write",
            "GET /prices", "catalogue:read",
            "GET /prices/{id}", "catalogue:read",
            "PATCH /prices/{id}", "catalogue:write",
            "POST /prices/{id}/archive", "catalogue:write",
            "POST /prices/{id}/unarchive", "catalogue:write",
            // Outbound webhooks: endpoints, their deliveries, the events of the last 30 days
            "POST /webhook-endpoints", "webhooks:write",
            "GET /webhook-endpoints", "webhooks:read",
            "GET /webhook-endpoints/{id}", "webhooks:read",
            "PATCH /webhook-endpoints/{id}", "webhooks:write",
            "DELETE /webhook-endpoints/{id}", "webhooks:write",
            "POST /webhook-endpoints/{id}/roll-secret", "webhooks:write",
            "GET /webhook-endpoints/{id}/deliveries", "webhooks:read",
            "GET /events", "webhooks:read",
            "GET /events/{id}", "webhooks:read",
            "POST /events/{id}/resend", "webhooks:write",
            // Orders
            "POST /orders", "orders:write",
            "GET /orders", "orders:read",
            "GET /orders/{id}", "orders:read",
            "GET /customers/{id}/orders", "orders:read",
            "POST /orders/{id}/pay", "orders:write",
            "POST /orders/{id}/fulfil", "orders:write",
            "POST /orders/{id}/cancel", "orders:write",
            // Subscriptions: start, read, pause, resume, cancel, extend, change, buy out
            "POST /customers/{id}/subscriptions", "subscriptions:write",
            "GET /customers/{id}/subscriptions", "subscriptions:read",
            "GET /subscriptions/{id}", "subscriptions:read",
            "POST /subscriptions/{id}/pause", "subscriptions:write",
            "POST /subscriptions/{id}/resume", "subscriptions:write",
            "POST /subscriptions/{id}/cancel", "subscriptions:write",
            "POST /subscriptions/{id}/extend", "subscriptions:write",
            "POST /subscriptions/{id}/change", "subscriptions:write",
            "POST /subscriptions/{id}/buyout", "subscriptions:write",
            // Invoices: made, edited as drafts, finalised, paid (a card, or a payment made outside the processor), credited
            "POST /invoices", "invoices:write",
            "GET /invoices", "invoices:read",
            "GET /invoices/{id}", "invoices:read",
            "GET /invoices/{id}/pdf", "invoices:read",
            "PATCH /invoices/{id}", "invoices:write",
            "GET /customers/{id}/invoices", "invoices:read",
            "POST /invoices/{id}/finalize", "invoices:write",
            "POST /invoices/{id}/pay", "payments:charge",
            "POST /invoices/{id}/payments", "payments:charge",
            "POST /invoices/{id}/credit-notes", "invoices:write",
            "POST /invoices/{id}/void", "invoices:write",
            "POST /invoices/{id}/mark-uncollectible", "invoices:write",
            // The tenant's audit log
            "GET /audit", "audit:read");

    /** Every route key ({@code METHOD /path}) of the API. */
    public static final List<String> ALL = List.copyOf(SCOPES.keySet());

    private ApiRoutes() {
    }

    /** Every scope of the API, sorted. */
    public static Set<String> scopes() {
        return new TreeSet<>(SCOPES.values());
    }

    private static Map<String, String> table(String... routeThenScope) {
        var table = new LinkedHashMap<String, String>();
        for (int i = 0; i < routeThenScope.length; i += 2) {
            if (table.put(routeThenScope[i], routeThenScope[i + 1]) != null) {
                throw new IllegalStateException("route declared twice: " + routeThenScope[i]);
            }
        }
        return java.util.Collections.unmodifiableMap(table);
    }
}
