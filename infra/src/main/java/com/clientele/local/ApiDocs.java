package com.clientele.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local cloud serves about its API, without a token: the OpenAPI description at
 * {@code /openapi.json} and Swagger UI (the {@code org.webjars:swagger-ui} files) at {@code /docs/},
 * set to load that description.
 */
final class ApiDocs {

    static final String DESCRIPTION = "/openapi.json";
    static final String PAGE = "/docs/";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "json", "application/json");
    /** Replaces the webjar's own initializer, which opens the Petstore. */
    private static final String INITIALIZER = """
            window.onload = function () {
              window.ui = SwaggerUIBundle({
                url: "%s",
                dom_id: "#swagger-ui",
                deepLinking: true,
                persistAuthorization: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                plugins: [SwaggerUIBundle.plugins.DownloadUrl],
                layout: "StandaloneLayout"
              });
            };
            """.formatted(DESCRIPTION);

    /** A file to send: status, content type, bytes. */
    record Answer(int status, String contentType, byte[] body) {
    }

    private final OpenApiDocument description = OpenApiDocument.load();
    private final String version = webjarVersion();

    /** The answer to a GET of {@code path}, when it is one of these pages; {@code serverUrl} is how the caller reached us. */
    Optional<Answer> get(String path, String serverUrl) {
        if (path.equals(DESCRIPTION)) {
            return Optional.of(new Answer(200, TYPES.get("json"), description.json(serverUrl).getBytes(StandardCharsets.UTF_8)));
        }
        if (!path.startsWith(PAGE)) {
            return Optional.empty();
        }
        String file = path.substring(PAGE.length());
        if (file.isEmpty()) {
            file = "index.html";
        }
        if (file.equals("swagger-initializer.js")) {
            return Optional.of(new Answer(200, TYPES.get("js"), INITIALIZER.getBytes(StandardCharsets.UTF_8)));
        }
        if (file.contains("..") || file.contains("/")) {
            return Optional.of(notFound());
        }
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(WEBJAR + version + "/" + file)) {
            if (in == null) {
                return Optional.of(notFound());
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            return Optional.of(new Answer(200, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer notFound() {
        return new Answer(404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static String webjarVersion() {
        try (InputStream in = ApiDocs.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the swagger-ui webjar is not on the class path", e);
        }
    }
}
