package com.timether.access;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** An OAuth scope of the MCP resource; they nest: admin includes write, write includes read. */
public enum Scope {
    READ("timether:read"),
    WRITE("timether:write"),
    ADMIN("timether:admin");

    private static final Scope[] ALL = values();
    private static final Pattern SPACES = Pattern.compile(" +");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** The scope string on the wire. */
    public String value() {
        return value;
    }

    /** Whether holding this scope grants {@code other}. */
    public boolean includes(Scope other) {
        return ordinal() >= other.ordinal();
    }

    /** The lesser of two scopes. */
    public Scope min(Scope other) {
        return includes(other) ? other : this;
    }

    /** Parses a wire value. */
    public static Optional<Scope> parse(String value) {
        for (Scope scope : ALL) {
            if (scope.value.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /**
     * The widest scope in a space-separated list (RFC 6749 section 3.3), which by nesting is what the list grants.
     *
     * @throws IllegalArgumentException naming the first unknown scope
     */
    public static Optional<Scope> widest(String list) {
        Optional<Scope> widest = Optional.empty();
        for (String token : SPACES.split(list == null ? "" : list.strip())) {
            if (token.isEmpty()) {
                continue;
            }
            Scope scope = parse(token)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "unknown scope '" + token + "'; supported: " + supportedList()));
            widest = Optional.of(widest.map(w -> w.includes(scope) ? w : scope).orElse(scope));
        }
        return widest;
    }

    /** This scope and every scope it includes, space separated, narrowest first. */
    public String withIncluded() {
        return Arrays.stream(values()).filter(this::includes).map(Scope::value).collect(Collectors.joining(" "));
    }

    /** Every supported scope, space separated. */
    public static String supportedList() {
        return ADMIN.withIncluded();
    }
}
