package com.timether.oauth.connection;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** One approval: a client acting for one person in one workspace with the granted scopes. */
public record Connection(
        UUID id,
        UUID userId,
        UUID workspaceId,
        String workspaceName,
        String clientId,
        String clientName,
        String scope,
        Instant createdAt,
        Optional<Instant> lastUsedAt) {}
