package com.timether.mcp.tool;

import com.timether.platform.error.DomainException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque keyset cursors: the sort key of the last row of a page, so the next page starts after it and costs the
 * same at any depth.
 *
 * <p>Keys hold values as stored, and a query applies the same function to both sides ({@code (lower(name), id) >
 * (lower(:afterName), :afterId)}): a key lowercased in Java would disagree with the database's {@code lower()} under
 * another locale or collation, and pages would skip or repeat rows.
 */
public final class Cursor {
    private static final String SEPARATOR = "\u0000";
    private static final String INVALID =
            "cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it";

    private Cursor() {}

    /** Encodes the last row's sort key. */
    public static String encode(List<String> key) {
        String joined = String.join(SEPARATOR, key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes the {@code cursor} argument into {@code parts} values, or empty for the first page. */
    public static Optional<List<String>> decode(Args args, int parts) {
        Optional<String> cursor = args.optionalText("cursor", 1000);
        if (cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            String joined = new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.UTF_8);
            List<String> key = List.of(joined.split(SEPARATOR, -1));
            if (key.size() != parts) {
                throw new IllegalArgumentException("wrong number of parts");
            }
            return Optional.of(key);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(INVALID);
        }
    }

    /**
     * A decoded part that must be an id. A tampered part is refused here: handed to the query, it would fail there
     * or, worse, be compared and quietly start the page somewhere else.
     */
    public static UUID id(String part) {
        try {
            return UUID.fromString(part);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(INVALID);
        }
    }

    /** A decoded part that must be an instant; refused like {@link #id(String)}. */
    public static Instant instant(String part) {
        try {
            return Instant.parse(part);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(INVALID);
        }
    }
}
