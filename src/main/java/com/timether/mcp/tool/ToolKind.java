package com.timether.mcp.tool;

/** How a tool changes data, which decides its transaction, its safeguards and its annotations. */
public enum ToolKind {
    /** Reads only. */
    READ,
    /** Adds a record; accepts an {@code idempotency_key}. */
    CREATE,
    /** Changes a record in place; repeating it with the same arguments has no further effect. */
    UPDATE,
    /** Deletes, voids, issues, approves, changes roles, removes people: needs a one-time confirmation token. */
    CONSEQUENTIAL
}
