package com.clientele.relationship;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.clientele.messages.Communications;
import com.clientele.messages.MessagesWiring;
import com.clientele.shared.Components;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.ApiResponse;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Router;
import java.util.Map;

/** The customer-relationship API function (notes, the activity feed, the communications sent, privacy requests, merging duplicates): maps each route to a service call. No rules here. */
public final class RelationshipHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    public RelationshipHandler() {
        this(Components.from(System.getenv()));
    }

    /** With the environment template.yaml gives this function (tests and benchmarks take the local cloud's). */
    public RelationshipHandler(Map<String, String> environment) {
        this(Components.from(environment));
    }

    public RelationshipHandler(Components components) {
        this(RelationshipWiring.notes(components), RelationshipWiring.activities(components), RelationshipWiring.privacy(components),
                RelationshipWiring.merges(components), MessagesWiring.communications(components));
        router.audited(components.audit());
    }

    public RelationshipHandler(NoteService notes, ActivityFeed activities, PrivacyService privacy, MergeService merges,
                               Communications communications) {
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
                .route("GET /customers/{id}/communications", request -> ApiResponse.ok(communications.list(request.tenantId(),
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

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }
}
