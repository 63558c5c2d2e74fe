package com.timether.access;

import java.util.Optional;

/**
 * What an operation needs: one declaration drives both listing and the check at call time.
 *
 * @param scope the least scope
 * @param leastRole the least role
 * @param entitlement the plan entitlement it needs, if any
 * @param capability the workspace capability it needs, if any
 */
public record Requirement(
        Scope scope, Role leastRole, Optional<Entitlement> entitlement, Optional<Capability> capability) {

    /** A requirement with scope and role only. */
    public static Requirement of(Scope scope, Role leastRole) {
        return new Requirement(scope, leastRole, Optional.empty(), Optional.empty());
    }

    /** This requirement plus a plan entitlement. */
    public Requirement entitled(Entitlement needed) {
        return new Requirement(scope, leastRole, Optional.of(needed), capability);
    }

    /** This requirement plus a workspace capability. */
    public Requirement capable(Capability needed) {
        return new Requirement(scope, leastRole, entitlement, Optional.of(needed));
    }
}
