package com.timether.mcp.tool;

/** The workspace-owned records a tool argument can name by id; tests build the cross-workspace matrix from them. */
public enum Entity {
    MEMBER,
    INVITE,
    CLIENT,
    PROJECT,
    TAG,
    TIME_ENTRY,
    TIMESHEET
}
