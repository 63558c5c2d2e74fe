package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.access.Role;
import com.timether.oauth.OAuthException;
import com.timether.oauth.check.Eligibility;
import com.timether.platform.text.StoredName;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The eligibility re-check every grant makes before issuing tokens. */
final class GrantChecks {
    private final boolean isMcpOn;

    GrantChecks(boolean isMcpOn) {
        this.isMcpOn = isMcpOn;
    }

    /** The person's current role in the workspace, refusing when the connection could not be used now. */
    Role requireEligible(Handle h, UUID userId, UUID workspaceId) {
        record State(boolean isUserActive, String role, boolean isMemberActive, Workspace workspace) {}
        Optional<State> state = h.createQuery("SELECT u.status AS user_status, m.role AS member_role,"
                        + " m.status AS member_status, " + WorkspaceService.COLUMNS
                        + " FROM users u JOIN workspaces w ON w.id = :ws"
                        + " JOIN memberships m ON m.user_id = u.id AND m.workspace_id = w.id WHERE u.id = :user")
                .bind("user", userId)
                .bind("ws", workspaceId)
                .map((rs, ctx) -> new State(
                        "active".equals(rs.getString("user_status")),
                        rs.getString("member_role"),
                        "active".equals(rs.getString("member_status")),
                        WorkspaceService.map(rs, ctx)))
                .findOne();
        if (state.isEmpty()) {
            throw new OAuthException(OAuth2Error.INVALID_GRANT, "the person is no longer a member of the workspace");
        }
        Role role = StoredName.require(Role.class, state.get().role());
        Optional<Eligibility.Refusal> refusal = Eligibility.check(
                state.get().isUserActive(),
                state.get().isMemberActive(),
                role,
                state.get().workspace(),
                isMcpOn);
        if (refusal.isPresent()) {
            throw new OAuthException(OAuth2Error.INVALID_GRANT, refusal.get().description());
        }
        return role;
    }
}
