package com.timether.access;

import com.timether.platform.text.StoredName;

/** A feature a plan includes; a workspace may override its plan per entitlement. */
public enum Entitlement implements StoredName {
    PUBLIC_API_ACCESS,
    AUDIT_LOGS,
    TIMESHEETS,
    EXPENSES,
    INVOICES,
    DATA_PORTABILITY;
}
