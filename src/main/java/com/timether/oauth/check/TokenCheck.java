package com.timether.oauth.check;

import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.db.Coalescer;
import com.timether.platform.text.StoredName;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a bearer token into the connection's {@link Principal}, or a typed refusal, re-checking everything
 * PRODUCT section 4 lists on every call in one indexed database round trip. Concurrent checks share that round trip
 * ({@link Coalescer}); the connection's last-used stamp is written beside them, at most every 30 s.
 */
public final class TokenCheck {
    private static final Logger log = LoggerFactory.getLogger(TokenCheck.class);
    /** The condition on connection {@code c} that its last-used stamp is missing or older than 30 s. */
    private static final String UNSTAMPED =
            "(c.last_used_at IS NULL OR c.last_used_at < now() - interval '30 seconds')";
    // One read-only statement for a batch of tokens: the lookups and the joins that re-check user, membership and
    // workspace. It also says which live connections have not been stamped as used for 30 s.
    private static final String QUERY = "SELECT t.token_hash, t.scope AS token_scope, t.expires_at AS token_expires_at,"
            + " t.revoked_at IS NOT NULL AS token_revoked,"
            + " c.id AS connection_id, c.client_id, c.client_name, c.revoked_at IS NOT NULL AS connection_revoked,"
            + " c.resource AS connection_resource,"
            + " (t.revoked_at IS NULL AND t.expires_at > now() AND c.revoked_at IS NULL"
            + " AND " + UNSTAMPED + ") AS needs_stamp,"
            + " u.id AS user_id, u.email AS user_email,"
            + " u.display_name AS user_name, u.status AS user_status, m.id AS member_id, m.role AS member_role,"
            + " m.status AS member_status, " + WorkspaceService.COLUMNS
            + " FROM oauth_tokens t JOIN connections c ON c.id = t.connection_id JOIN users u ON u.id = c.user_id"
            + " JOIN workspaces w ON w.id = c.workspace_id"
            + " LEFT JOIN memberships m ON m.workspace_id = c.workspace_id AND m.user_id = c.user_id"
            + " WHERE t.token_hash = ANY(CAST(:hashes AS text[])) AND t.kind = 'access'";
    // The last-used stamp, written beside the checks and at most every 30 s a connection, so that hot
    // connections do not rewrite their row per call. A row another transaction holds is skipped: the stamp never
    // waits on a lock or deadlocks.
    private static final String STAMP = "UPDATE connections SET last_used_at = now() WHERE id IN (SELECT c.id"
            + " FROM connections c WHERE c.id = ANY(CAST(:ids AS uuid[])) AND c.revoked_at IS NULL"
            + " AND " + UNSTAMPED + " FOR UPDATE SKIP LOCKED)";
    /**
     * Lookups running at once. Concurrent checks beyond this share a statement, which costs the database far less
     * than one statement each; measured in {@code bench/tokens.sh}.
     */
    private static final int LOOKUPS_IN_FLIGHT = 2;
    /**
     * The most tokens one statement looks up. Larger batches convoy: after any stall every caller joins one batch,
     * which one thread then reads alone while the other lookup has nobody left to serve. At 64 callers a cap of 16
     * gave a p99 of 2.3 to 2.8 ms against 4.3 to 5.6 with 64; 12 and 8 cost throughput (bench/tokens.sh).
     */
    private static final int TOKENS_PER_LOOKUP = 16;

    private final Jdbi jdbi;
    private final Coalescer<String, Row> lookups;
    private final Semaphore stamping = new Semaphore(1);
    private final String resource;
    private final boolean isMcpOn;

    /**
     * @param resource the MCP resource identifier tokens must be bound to
     * @param isMcpOn the global MCP switch
     */
    public TokenCheck(Jdbi jdbi, String resource, boolean isMcpOn) {
        this.jdbi = jdbi;
        this.lookups = new Coalescer<>(this::lookUp, LOOKUPS_IN_FLIGHT, TOKENS_PER_LOOKUP);
        this.resource = resource;
        this.isMcpOn = isMcpOn;
    }

    /** Why a token was refused. */
    public enum Reason {
        INVALID,
        EXPIRED,
        REVOKED,
        WRONG_RESOURCE,
        USER_DISABLED,
        MEMBERSHIP_INACTIVE,
        WORKSPACE_INACTIVE,
        NOT_ENTITLED,
        BILLING_BLOCKED,
        MCP_DISABLED,
        MCP_DISABLED_FOR_WORKSPACE
    }

    /** The outcome of a check. */
    public sealed interface Result {}

    /** The token is good: it speaks for {@code principal}. */
    public record Accepted(Principal principal) implements Result {}

    /** The token is refused for {@code reason}; {@code description} is safe to send to the client. */
    public record Refused(Reason reason, String description) implements Result {}

    /** Checks a bearer token. */
    public Result check(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return new Refused(Reason.INVALID, "The access token is not valid.");
        }
        Row row = lookups.get(Secrets.hash(token));
        return row == null ? new Refused(Reason.INVALID, "The access token is not valid.") : judge(row);
    }

    /** The rows of the tokens among {@code hashes} that exist as access tokens, by hash. */
    private Map<String, Row> lookUp(Set<String> hashes) {
        Map<String, Row> rows = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(QUERY)
                // Hashes are hex, so the array literal needs no quoting; binding it as text skips Jdbi's array
                // type resolution, which showed in CPU profiles.
                .bind("hashes", "{" + String.join(",", hashes) + "}")
                .map((rs, ctx) -> Map.entry(rs.getString("token_hash"), row(rs, ctx)))
                .forEach(e -> rows.put(e.getKey(), e.getValue())));
        stampSoon(rows);
        return rows;
    }

    /**
     * Stamps the connections among {@code rows} that were not used for a while, on a thread of its own so that no
     * check waits for it. One stamp is written at a time; while one is, others are skipped, and the connections they
     * would have stamped are stamped by their next check. Stamps are bookkeeping: one that fails is logged.
     */
    private void stampSoon(Map<String, Row> rows) {
        List<String> ids = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.needsStamp()) {
                ids.add(row.connectionId().toString());
            }
        }
        if (ids.isEmpty() || !stamping.tryAcquire()) {
            return;
        }
        Thread.ofVirtual().name("connection-stamp").start(() -> {
            try {
                // UUIDs need no quoting in an array literal either.
                jdbi.useHandle(h -> h.createUpdate(STAMP)
                        .bind("ids", "{" + String.join(",", ids) + "}")
                        .execute());
            } catch (RuntimeException e) {
                log.warn("stamping {} connection(s) as used failed; their next check tries again", ids.size(), e);
            } finally {
                stamping.release();
            }
        });
    }

    private Result judge(Row row) {
        if (row.tokenRevoked() || row.connectionRevoked()) {
            return new Refused(Reason.REVOKED, "The connection was revoked; connect again.");
        }
        if (!row.expiresAt().isAfter(Instant.now())) {
            return new Refused(Reason.EXPIRED, "The access token expired; refresh it.");
        }
        if (!resource.equals(row.resource())) {
            return new Refused(Reason.WRONG_RESOURCE, "The access token is for another resource.");
        }
        if (row.memberId() == null) {
            return new Refused(Reason.MEMBERSHIP_INACTIVE, "You are no longer a member of this workspace.");
        }
        Optional<Eligibility.Refusal> refusal =
                Eligibility.check(row.isUserActive(), row.isMemberActive(), row.role(), row.workspace(), isMcpOn);
        if (refusal.isPresent()) {
            return new Refused(refusal.get().reason(), refusal.get().description());
        }
        Scope scope = Scope.widest(row.scope()).orElse(Scope.READ);
        // The role may have shrunk since consent: never act with more than the role allows now.
        Scope allowed = scope.min(row.role().maxGrantableScope());
        return new Accepted(new Principal(
                row.connectionId(),
                row.clientId(),
                row.clientName(),
                row.userId(),
                row.userEmail(),
                row.userName(),
                row.memberId(),
                row.role(),
                row.workspace(),
                allowed));
    }

    private record Row(
            String scope,
            Instant expiresAt,
            boolean tokenRevoked,
            UUID connectionId,
            String clientId,
            String clientName,
            boolean connectionRevoked,
            String resource,
            boolean needsStamp,
            UUID userId,
            String userEmail,
            String userName,
            boolean isUserActive,
            UUID memberId,
            Role role,
            boolean isMemberActive,
            Workspace workspace) {}

    private static Row row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        String role = rs.getString("member_role");
        return new Row(
                rs.getString("token_scope"),
                rs.getTimestamp("token_expires_at").toInstant(),
                rs.getBoolean("token_revoked"),
                rs.getObject("connection_id", UUID.class),
                rs.getString("client_id"),
                rs.getString("client_name"),
                rs.getBoolean("connection_revoked"),
                rs.getString("connection_resource"),
                rs.getBoolean("needs_stamp"),
                rs.getObject("user_id", UUID.class),
                rs.getString("user_email"),
                rs.getString("user_name"),
                "active".equals(rs.getString("user_status")),
                rs.getObject("member_id", UUID.class),
                role == null ? Role.MEMBER : StoredName.require(Role.class, role),
                "active".equals(rs.getString("member_status")),
                WorkspaceService.map(rs, ctx));
    }
}
