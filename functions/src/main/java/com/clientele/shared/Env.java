package com.clientele.shared;

import java.util.Map;
import java.util.Optional;

/**
 * A function's configuration: its environment variables. Handlers take one in a constructor so
 * the local cloud can run several functions in one JVM, each with the environment the template
 * gives it; on Lambda it is simply {@code System.getenv()}.
 */
public record Env(Map<String, String> vars) {

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(vars.get(name)).filter(v -> !v.isBlank());
    }

    public String get(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    public String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }
}
