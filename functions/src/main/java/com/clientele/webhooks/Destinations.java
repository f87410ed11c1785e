package com.clientele.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may go (SSRF). An endpoint's URL is https, with a host, no user info and no fragment; when
 * it is sent to, its host is resolved and every address it resolves to must be public: loopback, link-local
 * (the instance metadata service at 169.254.169.254 among them), private (10/8, 172.16/12, 192.168/16,
 * fc00::/7, 100.64/10), unspecified and multicast addresses are refused. The connection then resolves the
 * name again through the JVM's address cache (30 s by default), which answers what was just checked.
 *
 * <p>{@code allowLoopback} ({@code WEBHOOK_ALLOW_LOOPBACK}, false in the template) is the local cloud's
 * explicit flag for a receiver on this machine: loopback addresses, and http, pass; private ones still do not.
 */
record Destinations(boolean allowLoopback) {

    static final int MAX_URL = 2_048;

    /** A reason to refuse {@code url} as an endpoint's, or null when it is acceptable (before any DNS). */
    String refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return "must be an absolute URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowLoopback && scheme.equals("http"))) {
            return "must be an https URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "must have a host, and no user info or fragment";
        }
        return null;
    }

    /** Throws {@link Refused} unless every address {@code uri}'s host resolves to may be sent to. */
    void check(URI uri) {
        String refusal = refusal(uri.toString());
        if (refusal != null) {
            throw new Refused("url " + refusal);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("unknown_host");
        }
        for (var address : addresses) {
            if (!allowed(address)) {
                throw new Refused("address_refused");
            }
        }
    }

    boolean allowed(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first != 0 && !(first == 100 && second >= 64 && second < 128) && !(first == 192 && second == 0 && (bytes[2] & 0xff) == 0)
                    && first < 224;
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            boolean mapped = java.util.stream.IntStream.range(0, 10).allMatch(i -> bytes[i] == 0) && (bytes[10] & 0xff) == 0xff
                    && (bytes[11] & 0xff) == 0xff;
            if (mapped) {
                try {
                    return allowed(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return (first & 0xfe) != 0xfc; // unique local fc00::/7 (AWS's IPv6 metadata address is in it)
        }
        return false;
    }

    /** A destination not to send to: the attempt fails with this reason, and is retried like any other failure. */
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
