package com.clientele.shared;

import java.util.regex.Pattern;

/** The caller's own references carried on payments and points (store, terminal, receipt ids). */
public final class References {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
    public static final String RULE = "must be 1 to 64 letters, digits or . _ : / -";

    private References() {
    }

    public static boolean isValid(String reference) {
        return reference != null && REFERENCE.matcher(reference).matches();
    }
}
