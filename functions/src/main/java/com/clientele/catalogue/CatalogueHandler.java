package com.clientele.catalogue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.catalogue.CatalogueService.NewPrice;
import com.clientele.catalogue.CatalogueService.NewProduct;
import com.clientele.catalogue.CatalogueService.NewVariant;
import com.clientele.catalogue.CatalogueService.PriceInput;
import com.clientele.catalogue.Product.ProductInput;
import com.clientele.catalogue.Variant.VariantInput;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiRequest;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The catalogue API function (products, variants, prices): maps each route to a {@link CatalogueService} call. No rules here. */
public final class CatalogueHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public CatalogueHandler() {
        this(Components.from(System.getenv()));
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public CatalogueHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public CatalogueHandler(Components components) {
        this(CatalogueWiring.service(components), components.idempotency());
        router.audited(components.audit());
    }

    public CatalogueHandler(CatalogueService catalogue, Idempotency idempotency) {
        this.router = new Router()
                .idempotent("POST /products", idempotency, request -> new NewProduct(request.tenantId(),
                        Bodies.read(request, ProductInput.class)), catalogue::createProduct,
                        product -> created("/products/" + product.id(), product.etag(), product))
                .route("GET /products", request -> ApiResponse.ok(catalogue.products(request.tenantId(), request.query())))
                .route("GET /products/{id}", request -> tagged(catalogue.product(request.tenantId(), request.pathParameter("id")),
                        Product::etag))
                .route("PATCH /products/{id}", request -> tagged(catalogue.updateProduct(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), ifMatch(request)), Product::etag))
                .route("DELETE /products/{id}", request -> {
                    catalogue.deleteProduct(request.tenantId(), request.pathParameter("id"));
                    return ApiResponse.noContent();
                })
                .route("POST /products/{id}/archive", request -> tagged(catalogue.setProductActive(request.tenantId(),
                        request.pathParameter("id"), false), Product::etag))
                .route("POST /products/{id}/unarchive", request -> tagged(catalogue.setProductActive(request.tenantId(),
                        request.pathParameter("id"), true), Product::etag))
                .idempotent("POST /products/{id}/variants", idempotency, request -> new NewVariant(request.tenantId(),
                        request.pathParameter("id"), Bodies.read(request, VariantInput.class)), catalogue::createVariant,
                        variant -> created("/products/" + variant.productId() + "/variants/" + variant.id(), variant.etag(), variant))
                .route("GET /products/{id}/variants", request -> ApiResponse.ok(catalogue.variants(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /products/{id}/variants/{variantId}", request -> tagged(catalogue.variant(request.tenantId(),
                        request.pathParameter("id"), request.pathParameter("variantId")), Variant::etag))
                .route("PATCH /products/{id}/variants/{variantId}", request -> tagged(catalogue.updateVariant(request.tenantId(),
                        request.pathParameter("id"), request.pathParameter("variantId"), Bodies.readTree(request), ifMatch(request)),
                        Variant::etag))
                .route("POST /products/{id}/variants/{variantId}/archive", request -> tagged(catalogue.setVariantActive(
                        request.tenantId(), request.pathParameter("id"), request.pathParameter("variantId"), false), Variant::etag))
                .route("POST /products/{id}/variants/{variantId}/unarchive", request -> tagged(catalogue.setVariantActive(
                        request.tenantId(), request.pathParameter("id"), request.pathParameter("variantId"), true), Variant::etag))
                .idempotent("POST /prices", idempotency, request -> new NewPrice(request.tenantId(), Bodies.read(request, PriceInput.class)),
                        catalogue::createPrice, price -> created("/prices/" + price.id(), price.etag(), price))
                .route("GET /prices", request -> ApiResponse.ok(catalogue.prices(request.tenantId(), request.query())))
                .route("GET /prices/{id}", request -> tagged(catalogue.price(request.tenantId(), request.pathParameter("id")), Price::etag))
                .route("PATCH /prices/{id}", request -> tagged(catalogue.updatePrice(request.tenantId(), request.pathParameter("id"),
                        Bodies.readTree(request), ifMatch(request)), Price::etag))
                .route("POST /prices/{id}/archive", request -> tagged(catalogue.setPriceActive(request.tenantId(),
                        request.pathParameter("id"), false), Price::etag))
                .route("POST /prices/{id}/unarchive", request -> tagged(catalogue.setPriceActive(request.tenantId(),
                        request.pathParameter("id"), true), Price::etag));
    }

    private static ApiResponse created(String location, String etag, Object body) {
        return new ApiResponse(201, Map.of("Location", location, "ETag", etag), body);
    }

    private static <T> ApiResponse tagged(T resource, java.util.function.Function<T, String> etag) {
        return ApiResponse.ok(resource).withHeader("ETag", etag.apply(resource));
    }

    private static String ifMatch(ApiRequest request) {
        return request.header("If-Match").orElse(null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
