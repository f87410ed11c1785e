package com.clientele.relationship;

import com.clientele.customers.CustomerRepository;
import com.clientele.customers.CustomerRules;
import com.clientele.customers.CustomerService;
import com.clientele.shared.Activity;
import com.clientele.shared.Ids;
import com.clientele.shared.Json;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.Bodies;
import com.clientele.shared.http.Cursors;
import com.clientele.shared.http.FieldError;
import com.clientele.shared.http.ListParams;
import com.clientele.shared.http.Listing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * Notes on a customer: anyone in the tenant reads them, newest first; only their author (the JWT
 * subject that wrote one) changes or deletes it, anyone else gets 403.
 */
public final class NoteService {

    static final Set<String> TYPES = Set.of("email", "phone", "meeting", "other");
    static final int MAX_SUMMARY = 5_000;
    static final int MAX_FOLLOW_UP = 2_000;

    private final NoteRepository notes;
    private final CustomerRepository customers;
    private final Cursors cursors;
    private final Clock clock;

    public NoteService(NoteRepository notes, CustomerRepository customers, Cursors cursors, Clock clock) {
        this.notes = notes;
        this.customers = customers;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** The body of a note: {@code occurredAt} (when the interaction happened) defaults to now. */
    record NoteInput(String type, String summary, String followUp, String occurredAt) {
    }

    /** A note {@code authorId} writes on a customer. */
    public record NewNote(String tenant, String customerId, String authorId, NoteInput input) {
    }

    private record Valid(String type, String summary, String followUp, Instant occurredAt) {
    }

    public Note create(NewNote command) {
        String tenant = command.tenant();
        String customerId = command.customerId();
        String userId = command.authorId();
        var valid = validate(command.input());
        customer(tenant, customerId);
        Instant now = clock.instant();
        var note = new Note(Ids.next(Ids.NOTE), customerId, valid.type(), valid.summary(), valid.followUp(),
                valid.occurredAt() == null ? now : valid.occurredAt(), userId, now, now, 1);
        notes.insert(tenant, note, activity(note, excerpt(note)));
        return note;
    }

    public Note get(String tenant, String customerId, String noteId) {
        customer(tenant, customerId);
        return note(tenant, customerId, noteId);
    }

    public Listing<Note> list(String tenant, String customerId, Map<String, String> query) {
        var paging = ListParams.of(query);
        customer(tenant, customerId);
        String scope = "notes:" + customerId;
        var slice = notes.page(tenant, customerId, paging.limit(), cursors.after(tenant, scope, paging));
        return new Listing<>(slice.items().stream().map(NoteRepository::note).toList(), cursors.next(tenant, scope, slice));
    }

    /** The fields sent replace the note's ({@code "followUp": null} clears it); by its author only. */
    public Note update(String tenant, String customerId, String noteId, JsonNode body, String userId) {
        customer(tenant, customerId);
        var before = authored(tenant, customerId, noteId, userId);
        ObjectNode merged = Json.MAPPER.createObjectNode();
        merged.put("type", before.type()).put("summary", before.summary()).put("followUp", before.followUp())
                .put("occurredAt", before.occurredAt().toString());
        merged.setAll((ObjectNode) body);
        var valid = validate(Bodies.convert(merged, NoteInput.class));
        var after = new Note(before.id(), customerId, valid.type(), valid.summary(), valid.followUp(),
                valid.occurredAt() == null ? before.occurredAt() : valid.occurredAt(), before.authorId(), before.createdAt(),
                clock.instant(), before.version() + 1);
        try {
            notes.replace(tenant, after, before.version(), activity(after, excerpt(after)));
        } catch (NoteRepository.Stale e) {
            throw changed();
        }
        return after;
    }

    public void delete(String tenant, String customerId, String noteId, String userId) {
        customer(tenant, customerId);
        try {
            var note = authored(tenant, customerId, noteId, userId);
            notes.delete(tenant, note, activity(note, null));
        } catch (NoteRepository.Stale e) {
            throw changed();
        }
    }

    /**
     * The note's line in the activity feed, dated when it was added (so an edit or a delete rewrites
     * that same line): it quotes {@code excerpt}, or says the note was deleted.
     */
    private static Activity activity(Note note, String excerpt) {
        String summary = "Note added (" + note.type() + ")" + (excerpt == null ? ", since deleted" : ": " + excerpt);
        return new Activity(note.createdAt(), Activity.Kind.NOTE_ADDED, summary, note.id());
    }

    private static String excerpt(Note note) {
        return note.summary().length() > 80 ? note.summary().substring(0, 79) + "…" : note.summary();
    }

    private Note authored(String tenant, String customerId, String noteId, String userId) {
        var note = note(tenant, customerId, noteId);
        if (!note.authorId().equals(userId)) {
            throw new ApiException(403, "not_note_author", "Not your note",
                    "Only the author of a note may change or delete it");
        }
        return note;
    }

    private Note note(String tenant, String customerId, String noteId) {
        if (!Ids.isValid(Ids.NOTE, noteId)) {
            throw ApiException.notFound("Note " + noteId);
        }
        return notes.find(tenant, customerId, noteId).orElseThrow(() -> ApiException.notFound("Note " + noteId));
    }

    private void customer(String tenant, String customerId) {
        CustomerService.existing(customers, tenant, customerId);
    }

    private static ApiException changed() {
        return new ApiException(409, "note_changed", "Note changed", "The note changed while this request ran; read it and retry");
    }

    private static Valid validate(NoteInput in) {
        var errors = new ArrayList<FieldError>();
        if (in.type() == null || !TYPES.contains(in.type())) {
            errors.add(new FieldError("type", "must be one of email, phone, meeting, other"));
        }
        String summary = CustomerRules.text(errors, "summary", in.summary(), MAX_SUMMARY, true);
        String followUp = CustomerRules.text(errors, "followUp", in.followUp(), MAX_FOLLOW_UP, false);
        Instant occurredAt = null;
        if (in.occurredAt() != null) {
            try {
                occurredAt = Instant.parse(in.occurredAt());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("occurredAt", "must be an ISO 8601 time such as 2026-11-23T10:15:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new Valid(in.type(), summary, followUp, occurredAt);
    }
}
