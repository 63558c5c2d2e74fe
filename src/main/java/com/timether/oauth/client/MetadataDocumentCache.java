package com.timether.oauth.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Valid client ID metadata documents by URL, each kept as long as its response's caching headers allow (RFC 9111),
 * within Timether's bounds; draft-ietf-oauth-client-id-metadata-document-02 section 5.2 permits both.
 *
 * <p>This is state held only in memory, which PRODUCT section 1 otherwise forbids; it is acceptable here because it
 * caches a public document any process can fetch again: a restart or another process only costs one more fetch.
 * Errors and invalid documents are never cached (section 5.2 MUST NOT), so a fixed document works on the next try.
 */
final class MetadataDocumentCache {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    static final int MAX_ENTRIES = 1000;

    private record Entry(ClientMetadataDocument document, Instant expiresAt) {}

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    MetadataDocumentCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** The document cached for {@code url}, while it is fresh. */
    synchronized Optional<ClientMetadataDocument> get(String url) {
        Entry entry = entries.get(url);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(url);
            return Optional.empty();
        }
        return Optional.of(entry.document());
    }

    /** Keeps {@code document} for {@code lifetime}; a zero lifetime only drops what was cached before. */
    synchronized void put(String url, ClientMetadataDocument document, Duration lifetime) {
        entries.remove(url);
        if (lifetime.isZero() || lifetime.isNegative()) {
            return;
        }
        entries.put(url, new Entry(document, clock.instant().plus(lifetime)));
        // Insertion order, so the oldest fetch goes first; re-putting a URL moves it to the end.
        Iterator<String> oldest = entries.keySet().iterator();
        while (entries.size() > maxEntries) {
            oldest.next();
            oldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /**
     * How long a response may be reused: {@code no-store} and {@code no-cache} mean not at all (we never
     * revalidate), else {@code max-age} or {@code Expires} minus {@code Age}, else the default; clamped to
     * 0 to {@link #MAX_LIFETIME}.
     */
    static Duration lifetime(MetadataDocumentResponse head, Instant now) {
        List<String> directives = head.headerList("cache-control").stream()
                .map(d -> d.toLowerCase(Locale.ROOT))
                .toList();
        if (directives.contains("no-store") || directives.contains("no-cache")) {
            return Duration.ZERO;
        }
        Duration fresh = directives.stream()
                .filter(d -> d.startsWith("max-age="))
                .findFirst()
                .map(MetadataDocumentCache::maxAge)
                .orElseGet(() -> expires(head, now));
        Duration age = head.header("age")
                .filter(a -> a.matches("[0-9]{1,9}"))
                .map(a -> Duration.ofSeconds(Long.parseLong(a)))
                .orElse(Duration.ZERO);
        Duration lifetime = fresh.minus(age);
        if (lifetime.isNegative()) {
            return Duration.ZERO;
        }
        return lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime;
    }

    /** RFC 9111 section 5.2.2.1; an invalid value makes the response stale (section 4.2.1). */
    private static Duration maxAge(String directive) {
        String value = directive.substring("max-age=".length()).replace("\"", "");
        if (!value.matches("[0-9]{1,18}")) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(Long.parseLong(value), MAX_LIFETIME.toSeconds()));
    }

    /** RFC 9111 section 5.3: Expires minus Date; an invalid Expires means already expired. */
    private static Duration expires(MetadataDocumentResponse head, Instant now) {
        Optional<String> expires = head.header("expires");
        if (expires.isEmpty()) {
            return DEFAULT_LIFETIME;
        }
        Optional<Instant> at = httpDate(expires.get());
        Instant date =
                head.header("date").flatMap(MetadataDocumentCache::httpDate).orElse(now);
        return at.map(a -> Duration.between(date, a)).orElse(Duration.ZERO);
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
