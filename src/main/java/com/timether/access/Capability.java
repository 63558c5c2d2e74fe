package com.timether.access;

import com.timether.platform.text.StoredName;

/** A switch an admin can turn off for the whole workspace. */
public enum Capability implements StoredName {
    TIMESHEETS,
    EXPENSES,
    INVOICES,
    MCP;
}
