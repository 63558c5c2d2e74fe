package com.timether.invite;

import com.timether.access.Role;
import java.time.Instant;
import java.util.UUID;

/**
 * An invitation for an email address to join a workspace with a role.
 *
 * @param status {@code pending}, {@code expired} (pending past its expiry; resending renews it), {@code accepted} or
 *     {@code revoked}
 */
public record Invite(
        UUID id, UUID workspaceId, String email, Role role, String status, Instant expiresAt, Instant createdAt) {

    /** Whether the invite still waits for an answer: pending, or expired and so renewable by resending. */
    public boolean isOpen() {
        return status.equals("pending") || status.equals("expired");
    }
}
