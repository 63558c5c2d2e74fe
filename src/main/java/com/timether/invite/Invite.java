package com.timether.invite;

import com.timether.access.Role;
import java.time.Instant;
import java.util.UUID;

/** An invitation for an email address to join a workspace with a role. */
public record Invite(UUID id, UUID workspaceId, String email, Role role, String status, Instant expiresAt) {}
