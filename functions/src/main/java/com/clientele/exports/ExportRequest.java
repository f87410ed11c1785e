package com.clientele.exports;

import com.clientele.customers.ListQuery;
import com.clientele.shared.http.ApiException;
import com.clientele.shared.http.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /exports/customers}: the customers list's parameters as fields (the
 * very ones {@code GET /customers} takes in its query string, but {@code limit} and {@code cursor}:
 * an export holds every row), strings, numbers or booleans, and {@code columns}, the CSV's columns
 * in order (the defaults when absent). Checked whole: each bad field is named in one 400.
 */
public record ExportRequest(Map<String, String> parameters, List<String> columns) {

    static final String COLUMNS = "columns";

    static ExportRequest of(JsonNode body) {
        var errors = new ArrayList<FieldError>();
        var parameters = new LinkedHashMap<String, String>();
        List<String> columns = null;
        if (body != null) {
            for (var field : body.properties()) {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (name.equals(COLUMNS)) {
                    columns = columns(value, errors);
                } else if (name.equals("limit") || name.equals("cursor")) {
                    errors.add(new FieldError(name, "is not an export parameter: an export holds every row of the list"));
                } else if (value.isTextual() || value.isIntegralNumber() || value.isBoolean() || value.isFloatingPointNumber()) {
                    parameters.put(name, value.asText());
                } else {
                    errors.add(new FieldError(name, "must be a string, a number or a boolean, as in GET /customers"));
                }
            }
        }
        try {
            ListQuery.parse(parameters);
        } catch (ApiException e) {
            errors.addAll(e.errors());
        }
        columns = CustomerCsv.check(columns, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ExportRequest(Map.copyOf(parameters), List.copyOf(columns));
    }

    private static List<String> columns(JsonNode value, List<FieldError> errors) {
        if (!value.isArray()) {
            errors.add(new FieldError(COLUMNS, "must be an array of column names"));
            return null;
        }
        var names = new ArrayList<String>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode name = value.get(i);
            if (!name.isTextual()) {
                errors.add(new FieldError(COLUMNS + "[" + i + "]", "must be a column name (a string)"));
                names.add(null);
            } else {
                names.add(name.asText());
            }
        }
        return names;
    }
}
