package com.timether.oauth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The redirect URI rules of PRODUCT section 4: HTTPS, or HTTP on a loopback host with any port; no fragment;
 * matched exactly, except that a loopback URI may use another port (RFC 8252 section 7.3).
 */
public final class RedirectUris {
    static final int MAX_LENGTH = 2000;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private RedirectUris() {}

    /** Why {@code candidate} cannot be registered as a redirect URI, or empty when it can. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return Optional.of("a redirect URI must be 1 to " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            return Optional.of("'" + shorten(candidate) + "' is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawFragment() != null) {
            return Optional.of("'" + shorten(candidate) + "' must not contain a fragment");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.of("'" + shorten(candidate) + "' must name a host and no user info");
        }
        if ("https".equals(scheme) || "http".equals(scheme) && isLoopback(uri)) {
            return Optional.empty();
        }
        return Optional.of("'" + shorten(candidate) + "' must use https, or http on localhost, 127.0.0.1 or [::1]");
    }

    /** Whether {@code presented} matches the registered URI: exactly, or loopback HTTP differing only in port. */
    public static boolean matches(String registered, String presented) {
        if (registered.equals(presented)) {
            return true;
        }
        try {
            URI a = new URI(registered);
            URI b = new URI(presented);
            return "http".equals(a.getScheme())
                    && "http".equals(b.getScheme())
                    && isLoopback(a)
                    && a.getHost().equals(b.getHost())
                    && a.getRawUserInfo() == null
                    && b.getRawUserInfo() == null
                    && b.getRawFragment() == null
                    && equal(a.getRawPath(), b.getRawPath())
                    && equal(a.getRawQuery(), b.getRawQuery());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The host shown on the consent page, so the person sees where the code will go. */
    public static String host(String redirectUri) {
        try {
            URI uri = new URI(redirectUri);
            return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return redirectUri;
        }
    }

    private static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    private static boolean equal(String a, String b) {
        return a == null ? b == null || b.isEmpty() : a.equals(b == null ? "" : b);
    }

    private static String shorten(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
