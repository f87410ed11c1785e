package com.clientele.shared;

import com.clientele.shared.http.FieldError;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * The one rule for text that enters the API, applied the same way to every string of every body
 * (by {@link com.clientele.shared.http.Bodies}), to every query and path parameter, and again by
 * the validators of single fields:
 * <ol>
 * <li>well-formed Unicode: a lone UTF-16 surrogate (JSON {@code "\ud800"}) is refused;</li>
 * <li>zero-width and bidirectional formatting characters ({@link #invisible}) are removed: they
 * change nothing a person reads but make two equal-looking values differ;</li>
 * <li>control characters (C0, DEL, C1) are refused, but for tab and line breaks in text that may
 * span lines (a note); a CR LF or a lone CR there becomes LF;</li>
 * <li>the result is in Unicode normalisation form C, so that equal text is equal code units.</li>
 * </ol>
 * Emails go further ({@link #email}). Text stored before the rule is written out with
 * {@link #repair}, never refused: one old record must not stop a whole export.
 */
public final class Text {

    /** What a lone surrogate becomes on the way out. */
    public static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    /**
     * {@code raw} under the rule, or {@code raw} unchanged with an error naming {@code field} added
     * when it cannot be made to follow it. Null stays null.
     */
    public static String check(List<FieldError> errors, String field, String raw, boolean multiLine) {
        if (raw == null) {
            return null;
        }
        String fault = fault(raw, multiLine);
        if (fault != null) {
            errors.add(new FieldError(field, fault));
            return raw;
        }
        return normalize(raw);
    }

    /** Why {@code raw} breaks the rule, or null when it can be normalised. */
    public static String fault(String raw, boolean multiLine) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "is not well-formed Unicode (a lone surrogate at character " + (i + 1) + ")";
            } else if (control(c) && !(multiLine && (c == '\n' || c == '\t' || c == '\r'))) {
                return "must not contain control characters (" + String.format(Locale.ROOT, "U+%04X", (int) c)
                        + " at character " + (i + 1) + (multiLine ? "; only tabs and line breaks are allowed)" : ")");
            }
        }
        return null;
    }

    /** Invisible characters removed, line breaks made LF, NFC. For text {@link #fault} finds nothing in. */
    public static String normalize(String raw) {
        var out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < raw.length() && raw.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (!invisible(c)) {
                out.append(c);
            }
        }
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    /**
     * An email as it is stored, compared and looked up: the rule above, then compatibility forms
     * folded (NFKC: a full-width {@code ａ} is {@code a}), surrounding space stripped, lower case.
     * Control characters cannot be normalised away: {@link #fault} refuses them first.
     */
    public static String email(String raw) {
        return Normalizer.normalize(normalize(raw), Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    /** Text read from storage made writable as UTF-8: each lone surrogate becomes U+FFFD. */
    public static String repair(String stored) {
        if (stored == null || wellFormed(stored)) {
            return stored;
        }
        var out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < stored.length() && Character.isLowSurrogate(stored.charAt(i + 1))) {
                out.append(c).append(stored.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return out.toString();
    }

    /** Whether every surrogate of {@code s} is one half of a pair. */
    public static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zero-width space, non-joiner and joiner, word joiner, byte order mark, soft hyphen, Mongolian
     * vowel separator, and the bidirectional marks, embeddings, overrides and isolates.
     */
    static boolean invisible(char c) {
        return c >= '\u200B' && c <= '\u200F' || c >= '\u202A' && c <= '\u202E' || c >= '\u2060' && c <= '\u2064'
                || c >= '\u2066' && c <= '\u2069' || c == '\uFEFF' || c == '\u00AD' || c == '\u180E' || c == '\u061C';
    }

    private static boolean control(char c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F;
    }
}
