package com.timether.workspace;

import com.timether.access.Entitlement;
import com.timether.platform.text.StoredName;
import java.util.EnumSet;
import java.util.Set;

/** A subscription plan and the entitlements it brings. */
public enum Plan implements StoredName {
    FREE(EnumSet.noneOf(Entitlement.class)),
    SOLO_PRO(EnumSet.of(Entitlement.EXPENSES, Entitlement.INVOICES, Entitlement.DATA_PORTABILITY)),
    TEAM(EnumSet.of(
            Entitlement.PUBLIC_API_ACCESS,
            Entitlement.TIMESHEETS,
            Entitlement.EXPENSES,
            Entitlement.INVOICES,
            Entitlement.DATA_PORTABILITY)),
    BUSINESS(EnumSet.allOf(Entitlement.class));

    private final Set<Entitlement> entitlements;

    Plan(Set<Entitlement> entitlements) {
        this.entitlements = Set.copyOf(entitlements);
    }

    /** What the plan includes before any per-workspace override. */
    public Set<Entitlement> entitlements() {
        return entitlements;
    }
}
