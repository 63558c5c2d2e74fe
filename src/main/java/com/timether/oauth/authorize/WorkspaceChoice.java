package com.timether.oauth.authorize;

import com.timether.access.Scope;
import java.util.Optional;
import java.util.UUID;

/**
 * One workspace on the consent page.
 *
 * @param grantedScope what approving for this workspace would grant: the request capped by the person's role
 * @param ineligibleReason why it cannot be chosen, if it cannot
 */
public record WorkspaceChoice(
        UUID id, String name, String role, Scope grantedScope, Optional<String> ineligibleReason) {

    /** Whether the person may pick it. */
    public boolean isEligible() {
        return ineligibleReason.isEmpty();
    }

    /** The granted access in plain words. */
    public String grantedWords() {
        return ScopeWords.describe(grantedScope);
    }
}
