package com.clientele.local;

import com.clientele.shared.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI description of the HTTP API, {@code docs/api/openapi.yaml} in the repository, which
 * the build puts on this module's class path as {@value #RESOURCE}. The local cloud serves it as
 * JSON at {@code /openapi.json}, its first server being the local cloud itself.
 */
public record OpenApiDocument(JsonNode tree) {

    static final String RESOURCE = "openapi.yaml";

    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (the build copies docs/api/openapi.yaml)");
            }
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new OpenApiDocument(Json.MAPPER.valueToTree(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The description as JSON, whose first server is {@code serverUrl}, then the ones it declares. */
    public String json(String serverUrl) {
        var copy = (ObjectNode) tree.deepCopy();
        var servers = Json.MAPPER.createArrayNode();
        servers.addObject().put("url", serverUrl).put("description", "This local cloud");
        tree.path("servers").forEach(server -> {
            if (!server.path("url").asText().equals(serverUrl)) {
                servers.add(server);
            }
        });
        copy.set("servers", servers);
        return Json.write(copy);
    }
}
