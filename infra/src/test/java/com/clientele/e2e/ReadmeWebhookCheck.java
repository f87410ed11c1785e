package com.clientele.e2e;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * The README's "Receiving webhooks" checks, taken from the README as a reader copies them: its shell
 * line (printf and openssl) run by {@code sh}, and its Java method compiled and called. A change to the
 * README's snippets is tested with it.
 */
final class ReadmeWebhookCheck {

    private static final String SECTION = "## Receiving webhooks";

    private final String shellLine;
    private final Method verified;

    private ReadmeWebhookCheck(String shellLine, Method verified) {
        this.shellLine = shellLine;
        this.verified = verified;
    }

    static ReadmeWebhookCheck load() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("clientele.readme", "../README.md")));
        int start = readme.indexOf(SECTION);
        if (start < 0) {
            throw new IllegalStateException("the README has no section " + SECTION);
        }
        String section = readme.substring(start, readme.indexOf("\n## ", start + SECTION.length()));
        String shell = block(section, "sh").lines().filter(l -> l.contains("openssl dgst")).findFirst().orElseThrow();
        shell = shell.substring(0, shell.lastIndexOf('#')).strip();
        return new ReadmeWebhookCheck(shell, compile(block(section, "java")));
    }

    /** The README's Java method on a request's header and body: whether it trusts them. */
    boolean verifies(String header, String body, String secret) throws Exception {
        return (boolean) verified.invoke(null, header, body, secret);
    }

    /** The README's shell line on a body and the header's {@code t}: its output, or null where there is no sh or openssl. */
    String shellSignature(String t, String body, String secret) throws Exception {
        Path dir = Files.createTempDirectory("webhook-body");
        Path file = dir.resolve("body.json");
        try {
            Files.writeString(file, body);
            var process = new ProcessBuilder("sh", "-c", shellLine).directory(dir.toFile()).redirectErrorStream(true);
            process.environment().putAll(Map.of("T", t, "SECRET", secret));
            Process run;
            try {
                run = process.start();
            } catch (IOException noShell) {
                return null;
            }
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return run.waitFor() == 0 && out.matches("[0-9a-f]{64}") ? out : null;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static String block(String text, String language) {
        int open = text.indexOf("```" + language + "\n");
        if (open < 0) {
            throw new IllegalStateException("no " + language + " block under " + SECTION);
        }
        int from = open + language.length() + 4;
        return text.substring(from, text.indexOf("```", from));
    }

    private static Method compile(String method) throws Exception {
        Path dir = Files.createTempDirectory("readme-verifier");
        Path source = dir.resolve("ReadmeVerifier.java");
        Files.writeString(source, "public class ReadmeVerifier {\n" + method + "}\n");
        var compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", dir.toString(), source.toString());
        if (status != 0) {
            throw new IllegalStateException("the README's Java verification does not compile");
        }
        var loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, ReadmeWebhookCheck.class.getClassLoader());
        Method verified = loader.loadClass("ReadmeVerifier").getDeclaredMethod("verified", String.class, String.class, String.class);
        verified.setAccessible(true);
        return verified;
    }
}
