package com.timether.workspace;

import com.timether.platform.text.StoredName;

/** Where a workspace stands with billing (PRODUCT section 2). */
public enum BillingState implements StoredName {
    TRIALING,
    ACTIVE,
    PAST_DUE,
    UNPAID,
    CANCELED;

    /** Whether the workspace may be used at all. */
    public boolean allowsAccess() {
        return this != UNPAID && this != CANCELED;
    }

    /** Whether writes and admin operations are allowed. */
    public boolean allowsWrites() {
        return this == TRIALING || this == ACTIVE;
    }
}
