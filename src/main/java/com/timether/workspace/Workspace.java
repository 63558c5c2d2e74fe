package com.timether.workspace;

import com.timether.access.Capability;
import com.timether.access.Entitlement;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant: its plan, billing, status, settings and switches.
 *
 * @param entitlementOverrides per-entitlement overrides of the plan (true grants, false withholds)
 */
public record Workspace(
        UUID id,
        String name,
        Plan plan,
        BillingState billingState,
        WorkspaceStatus status,
        String currency,
        String timeZone,
        int weekStart,
        int roundingMinutes,
        RoundingMode roundingMode,
        Optional<LocalDate> lockDate,
        long defaultRateMinor,
        Set<Capability> capabilities,
        Map<Entitlement, Boolean> entitlementOverrides) {

    public Workspace {
        capabilities = Set.copyOf(capabilities);
        entitlementOverrides = Map.copyOf(entitlementOverrides);
    }

    /** The plan's entitlements with this workspace's overrides applied. */
    public Set<Entitlement> entitlements() {
        Set<Entitlement> result = EnumSet.noneOf(Entitlement.class);
        result.addAll(plan.entitlements());
        entitlementOverrides.forEach((entitlement, granted) -> {
            if (granted) {
                result.add(entitlement);
            } else {
                result.remove(entitlement);
            }
        });
        return result;
    }
}
