package com.timether.oauth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A {@code client_id} that passed the Client Identifier URL rules of draft-ietf-oauth-client-id-metadata-document-02
 * section 3, split into the parts a fetch needs.
 *
 * <p>Where the draft leaves room, Timether is strict: a query is refused (the draft says SHOULD NOT, and accepting
 * one lets anyone mint endless distinct identifiers for one document), and so is the bare path {@code /} (NOT
 * RECOMMENDED there: a site's root is its home page, which should never become a client identity by accident).
 *
 * @param value the {@code client_id} exactly as given
 * @param host the host to resolve, without IPv6 brackets
 * @param port the port to connect to (443 unless the URL names one)
 * @param authority the {@code Host} header value: host and port as written in the URL
 * @param path the raw request path
 */
record MetadataDocumentUrl(String value, String host, int port, String authority, String path) {
    static final int MAX_LENGTH = 2000;

    /** Whether {@code host} is an IP literal, which TLS must not send as SNI (RFC 6066 section 3). */
    boolean isIpLiteral() {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** The host shown when the document names no client. */
    String displayHost() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Checks {@code clientId} against the URL rules; the exception says which rule it broke. */
    static MetadataDocumentUrl parse(String clientId) throws ClientIdentityException {
        if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_LENGTH) {
            throw new ClientIdentityException("client_id must be 1 to " + MAX_LENGTH + " characters");
        }
        if (!clientId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw refused(clientId, "must be printable ASCII without spaces");
        }
        // Section 3: the https scheme. Compared as written, because the document's client_id is compared byte for
        // byte (RFC 3986 section 6.2.1) and we want one spelling of each identifier.
        if (!clientId.startsWith("https://")) {
            throw refused(clientId, "must start with https://");
        }
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException e) {
            throw new ClientIdentityException("client_id '" + shorten(clientId) + "' is not a valid URL", e);
        }
        checkParts(clientId, uri);
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        return new MetadataDocumentUrl(clientId, bare, port, uri.getRawAuthority(), uri.getRawPath());
    }

    private static void checkParts(String clientId, URI uri) throws ClientIdentityException {
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() != null || authority != null && authority.contains("@")) {
            throw refused(clientId, "must not contain user info");
        }
        if (uri.getHost() == null || uri.getPort() == 0) {
            throw refused(clientId, "must name a host (and a port from 1 to 65535 if any)");
        }
        if (uri.getRawFragment() != null) {
            throw refused(clientId, "must not contain a fragment");
        }
        if (uri.getRawQuery() != null) {
            throw refused(clientId, "must not contain a query");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw refused(clientId, "must contain a path such as /client.json");
        }
        if (hasDotSegment(path)) {
            throw refused(clientId, "must not contain '.' or '..' path segments, also not percent-encoded");
        }
    }

    /** Section 3: no single-dot or double-dot segments, which servers would resolve to another document. */
    private static boolean hasDotSegment(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static ClientIdentityException refused(String clientId, String rule) {
        return new ClientIdentityException("client_id '" + shorten(clientId) + "' " + rule);
    }

    /** Shortens a value for a message and replaces control characters, so it is safe to show and to log. */
    static String shorten(String value) {
        StringBuilder safe = new StringBuilder();
        value.codePoints().limit(100).forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return value.codePointCount(0, value.length()) <= 100 ? safe.toString() : safe.substring(0, 97) + "...";
    }
}
