package com.clientele.local;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * An OpenID provider the dashboard signs in at (authorization code with PKCE), as it does in AWS:
 * {@code GET /config.json} names it instead of the development sign-in, with the API on the same
 * origin. The tokens it hands out must be the local cloud's own ({@code POST /_local/tokens}), which
 * alone the local authorizer accepts.
 */
public record OidcSignIn(URI issuer, String clientId) {

    public OidcSignIn {
        if (issuer == null || !issuer.isAbsolute() || !List.of("http", "https").contains(issuer.getScheme())) {
            throw new IllegalArgumentException("the OpenID issuer must be an http or https URL: " + issuer);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the OpenID client id is required");
        }
    }

    /** The issuer's origin ({@code scheme://host[:port]}), which the dashboard fetches from. */
    String origin() {
        return issuer.getScheme() + "://" + issuer.getRawAuthority();
    }

    /** What {@code GET /config.json} answers: the form docs/deploying.md describes for AWS (the template's WebConfig). */
    Map<String, String> config() {
        return Map.of("signIn", "oidc", "issuer", issuer.toString(), "clientId", clientId, "scope", "openid", "apiUrl", "");
    }
}
