package com.timether.oauth.connection;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connections: created at the code exchange, listed on Integrations, revoked there or on token abuse. */
public final class ConnectionStore {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStore.class);

    private final Jdbi jdbi;

    public ConnectionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a new connection binds together. */
    public record NewConnection(
            UUID userId, UUID workspaceId, String clientId, String clientName, String scope, String resource) {}

    /** Creates a connection within {@code h}'s transaction. */
    public static UUID create(Handle h, NewConnection spec) {
        return h.createQuery("INSERT INTO connections (user_id, workspace_id, client_id, client_name, scope, resource)"
                        + " VALUES (:user, :ws, :client, :name, :scope, :resource) RETURNING id")
                .bind("user", spec.userId())
                .bind("ws", spec.workspaceId())
                .bind("client", spec.clientId())
                .bind("name", spec.clientName())
                .bind("scope", spec.scope())
                .bind("resource", spec.resource())
                .mapTo(UUID.class)
                .one();
    }

    /** The person's live connections, newest first. */
    public List<Connection> listForUser(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT c.*, w.name AS workspace_name FROM connections c"
                        + " JOIN workspaces w ON w.id = c.workspace_id"
                        + " WHERE c.user_id = :user AND c.revoked_at IS NULL ORDER BY c.created_at DESC, c.id")
                .bind("user", userId)
                .map((rs, ctx) -> new Connection(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getObject("workspace_id", UUID.class),
                        rs.getString("workspace_name"),
                        rs.getString("client_id"),
                        rs.getString("client_name"),
                        rs.getString("scope"),
                        rs.getTimestamp("created_at").toInstant(),
                        Optional.ofNullable(rs.getTimestamp("last_used_at")).map(Timestamp::toInstant)))
                .list());
    }

    /** Revokes the person's own connection; false when it is not theirs or already revoked. */
    public boolean revokeByUser(UUID userId, UUID connectionId) {
        return jdbi.inTransaction(h -> revoke(h, connectionId, userId, "revoked by the user on Integrations"));
    }

    /**
     * Revokes a connection and every token issued for it, within {@code h}'s transaction; {@code userId}, when
     * given, must own it.
     */
    public static boolean revoke(Handle h, UUID connectionId, UUID userId, String reason) {
        int changed = h.createUpdate("UPDATE connections SET revoked_at = now(), revoked_reason = :reason"
                        + " WHERE id = :id AND revoked_at IS NULL AND (CAST(:user AS uuid) IS NULL OR user_id = :user)")
                .bind("id", connectionId)
                .bind("user", userId)
                .bind("reason", reason)
                .execute();
        if (changed == 0) {
            // Someone else's connection (or one already revoked, whose tokens went with it): touch no token.
            return false;
        }
        h.createUpdate("UPDATE oauth_tokens SET revoked_at = now() WHERE connection_id = :id AND revoked_at IS NULL")
                .bind("id", connectionId)
                .execute();
        LOG.info("connection revoked connection={} reason={}", connectionId, reason);
        return true;
    }
}
