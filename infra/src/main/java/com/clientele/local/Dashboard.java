package com.clientele.local;

import com.clientele.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The merchant dashboard's static site, as CloudFront serves it in AWS: {@code index.html} at
 * {@code /}, its files under {@code /assets/} (from the class path's {@code web/}, which the build
 * fills with the dashboard's files and its libraries), and {@code /config.json}, which tells the
 * app to sign in through the local cloud's development tokens, or at an OpenID provider
 * ({@link OidcSignIn}) as in AWS, and to call the API on this origin.
 */
final class Dashboard {

    static final String ASSETS = "/assets/";
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
            "png", "image/png");
    /**
     * What the app may load: its own files; inline style attributes (lit-html and Chart.js set them);
     * fetches to this origin, and to the OpenID provider's when it signs in at one.
     */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'%s; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final String config;
    private final String contentSecurityPolicy;

    /** The dashboard signing in with the local cloud's development tokens, or at {@code oidc} when not null. */
    Dashboard(OidcSignIn oidc) {
        config = oidc == null ? "{\"signIn\":\"local\",\"apiUrl\":\"\"}" : Json.write(oidc.config());
        contentSecurityPolicy = CONTENT_SECURITY_POLICY.formatted(oidc == null ? "" : " " + oidc.origin());
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** The answer to a GET of {@code path}, when it is the dashboard's. */
    Optional<ApiDocs.Answer> get(String path) {
        if (path.equals("/") || path.equals("/index.html")) {
            return file("index.html");
        }
        if (path.equals("/config.json")) {
            return Optional.of(new ApiDocs.Answer(200, TYPES.get("json"), config.getBytes(StandardCharsets.UTF_8)));
        }
        if (!path.startsWith(ASSETS)) {
            return Optional.empty();
        }
        String file = path.substring(1);
        if (file.contains("..") || file.contains("//") || file.contains("\\")) {
            return Optional.of(notFound());
        }
        return file(file).or(() -> Optional.of(notFound()));
    }

    private static Optional<ApiDocs.Answer> file(String file) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            String extension = file.substring(file.lastIndexOf('.') + 1);
            return Optional.of(new ApiDocs.Answer(200, TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiDocs.Answer notFound() {
        return new ApiDocs.Answer(404, "text/plain; charset=utf-8", "Not Found".getBytes(StandardCharsets.UTF_8));
    }
}
