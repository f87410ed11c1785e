package com.clientele.relationship;

import com.clientele.shared.audit.AuditLog;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.customers.CustomerRepository;
import com.clientele.exports.ExportPurge;
import com.clientele.loyalty.LoyaltyRepository;
import com.clientele.ltv.LtvRepository;
import com.clientele.ltv.RecomputeService;
import com.clientele.payments.PaymentsHandler;
import com.clientele.shared.Aws;
import com.clientele.shared.Env;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.Idempotency;
import com.clientele.shared.http.Router;
import com.clientele.shared.items.ItemRegistry;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The customer-relationship API function (notes, the activity feed, privacy requests, merging duplicates): maps each route to a service call. No rules here. */
public final class RelationshipHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public RelationshipHandler() {
        this(System.getenv());
    }

    /** The local cloud's entry point: the environment template.yaml gives this function. */
    public RelationshipHandler(Map<String, String> environment) {
        this(new Env(environment), Aws.dynamoDb(new Env(environment)));
    }

    private RelationshipHandler(Env env, DynamoDbClient dynamoDb) {
        this(new NoteService(new NoteRepository(Aws.enhanced(dynamoDb), env.require("TABLE_NAME")),
                        new CustomerRepository(dynamoDb, env.require("TABLE_NAME")), cursors(env), Clock.systemUTC()),
                new ActivityFeed(Aws.enhanced(dynamoDb), env.require("TABLE_NAME"), new CustomerRepository(dynamoDb, env.require("TABLE_NAME")),
                        cursors(env)),
                new PrivacyService(new PrivacyRepository(Aws.enhanced(dynamoDb), env.require("TABLE_NAME")),
                        new CustomerRepository(dynamoDb, env.require("TABLE_NAME")), outside(env, dynamoDb), Clock.systemUTC()),
                mergeService(env, dynamoDb, MergeService.Checkpoint.NONE));
        router.audited(AuditLog.of(env, dynamoDb));
    }

    /** What the erasure reaches outside the customer's partition, as the environment configures it. */
    public static PrivacyService.Outside outside(Env env, DynamoDbClient dynamoDb) {
        return new PrivacyService.Outside(PaymentsHandler.gateway(env),
                new Idempotency(Aws.enhanced(dynamoDb), env.require("TABLE_NAME"), env.require("CURSOR_SECRET"),
                        Clock.systemUTC()), ExportPurge.of(env));
    }

    /** The merge service on the function's table; tests pass a {@code checkpoint} that stops a merge half-way. */
    public static MergeService mergeService(Env env, DynamoDbClient dynamoDb, MergeService.Checkpoint checkpoint) {
        return mergeService(CustomerPartition.TYPES, env, dynamoDb, checkpoint);
    }

    /** The same over the item types of {@code types} (a test adds one of its own). */
    public static MergeService mergeService(ItemRegistry types, Env env, DynamoDbClient dynamoDb, MergeService.Checkpoint checkpoint) {
        String table = env.require("TABLE_NAME");
        var customers = new CustomerRepository(dynamoDb, table);
        return new MergeService(types, new MergeRepository(Aws.enhanced(dynamoDb), table), customers, new LoyaltyRepository(dynamoDb, table),
                RecomputeService.countingEverything(new LtvRepository(dynamoDb, table, customers), Clock.systemUTC()),
                Clock.systemUTC(), checkpoint);
    }

    public RelationshipHandler(NoteService notes, ActivityFeed activities, PrivacyService privacy, MergeService merges) {
        this.router = new Router()
                .route("POST /customers/{id}/merge", request -> {
                    var body = Bodies.readTree(request);
                    boolean dryRun = dryRun(request.queryParameter("dryRun").orElse(null));
                    return ApiResponse.ok(merges.merge(new MergeService.MergeCommand(request.tenantId(), request.pathParameter("id"),
                            Bodies.convert(body, MergeInput.class).duplicateId(), dryRun, request.userId())));
                })
                .route("GET /customers/{id}/data-export", request -> ApiResponse.ok(privacy.dataExport(request.tenantId(),
                        request.pathParameter("id"))))
                .route("POST /customers/{id}/erase", request -> ApiResponse.ok(privacy.erase(request.tenantId(),
                        request.pathParameter("id"), request.userId())))
                .route("GET /customers/{id}/activities", request -> ApiResponse.ok(activities.list(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("POST /customers/{id}/notes", request -> {
                    var note = notes.create(new NoteService.NewNote(request.tenantId(), request.pathParameter("id"), request.userId(),
                            Bodies.read(request, NoteService.NoteInput.class)));
                    return new ApiResponse(201, Map.of("Location", "/customers/" + note.customerId() + "/notes/" + note.id()), note);
                })
                .route("GET /customers/{id}/notes", request -> ApiResponse.ok(notes.list(request.tenantId(),
                        request.pathParameter("id"), request.query())))
                .route("GET /customers/{id}/notes/{noteId}", request -> ApiResponse.ok(notes.get(request.tenantId(),
                        request.pathParameter("id"), request.pathParameter("noteId"))))
                .route("PATCH /customers/{id}/notes/{noteId}", request -> ApiResponse.ok(notes.update(request.tenantId(),
                        request.pathParameter("id"), request.pathParameter("noteId"), Bodies.readTree(request), request.userId())))
                .route("DELETE /customers/{id}/notes/{noteId}", request -> {
                    notes.delete(request.tenantId(), request.pathParameter("id"), request.pathParameter("noteId"), request.userId());
                    return ApiResponse.noContent();
                });
    }

    /** The body of a merge. */
    record MergeInput(String duplicateId) {
    }

    private static boolean dryRun(String parameter) {
        if (parameter == null || parameter.equals("false")) {
            return false;
        }
        if (parameter.equals("true")) {
            return true;
        }
        throw ApiException.invalid("dryRun", "must be true or false");
    }

    private static Cursors cursors(Env env) {
        return new Cursors(env.require("CURSOR_SECRET"));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
