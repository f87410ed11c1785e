package com.clientele.messages;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template's text with its variables filled in: the subject, the plain-text body and the same
 * body as simple HTML (each line escaped, paragraphs at blank lines). A placeholder without a value
 * is an error (a caller left a variable out), never an empty gap in a customer's message.
 */
public record Rendering(String subject, String text, String html) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    public static Rendering of(MessageTemplate template, Map<String, String> variables) {
        String text = fill(template.body(), variables);
        return new Rendering(subject(template, variables), text, html(text));
    }

    /** The subject alone (what the communication's record shows). Line breaks are flattened: a subject is one line. */
    static String subject(MessageTemplate template, Map<String, String> variables) {
        return fill(template.subject(), variables).replaceAll("[\\r\\n]+", " ");
    }

    private static String fill(String text, Map<String, String> variables) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for the template variable " + matcher.group(1));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String html(String text) {
        var out = new StringBuilder("<!DOCTYPE html><html><body>");
        for (String paragraph : text.split("\n\n")) {
            out.append("<p>").append(escape(paragraph).replace("\n", "<br>")).append("</p>");
        }
        return out.append("</body></html>").toString();
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
