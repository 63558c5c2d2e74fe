package com.timether.access;

import com.timether.platform.text.StoredName;

/** A member's role in a workspace, from least to most powerful. */
public enum Role implements StoredName {
    MEMBER,
    MANAGER,
    ADMIN,
    OWNER;

    /** Whether this role is {@code other} or above it. */
    public boolean isAtLeast(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The widest scope a person with this role may grant to a connection (PRODUCT section 3). */
    public Scope maxGrantableScope() {
        return isAtLeast(ADMIN) ? Scope.ADMIN : Scope.WRITE;
    }
}
