package com.timether.access;

import java.util.Arrays;
import java.util.Optional;

/** An OAuth scope of the MCP resource; they nest: admin includes write, write includes read. */
public enum Scope {
    READ("timether:read"),
    WRITE("timether:write"),
    ADMIN("timether:admin");

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
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
