package com.timether.workspace;

import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Role;
import com.timether.audit.AuditLog;
import com.timether.audit.AuditLog.Actor;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import com.timether.platform.text.StoredName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Creates workspaces and changes their plan, billing state, status, entitlements and capabilities. */
public final class WorkspaceService {
    /**
     * The select list {@link #map} reads, of workspace {@code w} with its entitlement overrides. Only these columns:
     * the token check reads them for every call, and each column sent and parsed costs there.
     */
    public static final String COLUMNS = "w.id, w.name, w.plan, w.billing_state, w.status, w.currency, w.time_zone,"
            + " w.week_start, w.rounding_minutes, w.rounding_mode, w.lock_date, w.default_rate_minor, "
            + Arrays.stream(Capability.values())
                    .map(capability -> "w.capability_" + capability.value())
                    .collect(Collectors.joining(", "))
            + ", ARRAY(SELECT e.entitlement || '=' || e.enabled"
            + " FROM workspace_entitlements e WHERE e.workspace_id = w.id) AS overrides";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM workspaces w";

    private final Jdbi jdbi;

    public WorkspaceService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What a new workspace starts with; the owner must be an existing account. */
    public record NewWorkspace(String name, Plan plan, BillingState billingState, String currency, String timeZone) {}

    /** Creates a workspace with {@code ownerUserId} as its owner. */
    public Workspace create(NewWorkspace spec, UUID ownerUserId, Actor actor) {
        String name = InputRules.name("workspace name", spec.name(), 100);
        String currency = InputRules.currency("currency", spec.currency());
        String zone = InputRules.timeZone("time zone", spec.timeZone()).getId();
        return jdbi.inTransaction(h -> {
            UUID id = h.createQuery("INSERT INTO workspaces (name, plan, billing_state, currency, time_zone)"
                            + " VALUES (:name, :plan, :billing, :currency, :zone) RETURNING id")
                    .bind("name", name)
                    .bind("plan", spec.plan().value())
                    .bind("billing", spec.billingState().value())
                    .bind("currency", currency)
                    .bind("zone", zone)
                    .mapTo(UUID.class)
                    .one();
            h.createUpdate("INSERT INTO memberships (workspace_id, user_id, role) VALUES (:ws, :user, 'owner')")
                    .bind("ws", id)
                    .bind("user", ownerUserId)
                    .execute();
            AuditLog.record(h, id, actor, "workspace.create", "workspace", id, Map.of("name", name));
            return find(h, id).orElseThrow();
        });
    }

    /** The workspace with this id. */
    public Optional<Workspace> find(UUID id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    static Optional<Workspace> find(Handle h, UUID id) {
        return h.createQuery(SELECT + " WHERE w.id = :id")
                .bind("id", id)
                .map(WorkspaceService::map)
                .findOne();
    }

    /** Workspaces whose name is exactly {@code name}, oldest first. */
    public List<Workspace> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE w.name = :name ORDER BY w.created_at, w.id")
                .bind("name", name)
                .map(WorkspaceService::map)
                .list());
    }

    /** One workspace the user belongs to, with the user's role and membership status there. */
    public record Membership(Workspace workspace, Role role, boolean isActive) {}

    /** Every workspace the user belongs to, by name. */
    public List<Membership> listForUser(UUID userId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT.replace(
                                " FROM workspaces w",
                                ", m.role, m.status AS member_status"
                                        + " FROM workspaces w JOIN memberships m ON m.workspace_id = w.id")
                        + " WHERE m.user_id = :user ORDER BY lower(w.name), w.id")
                .bind("user", userId)
                .map((rs, ctx) -> new Membership(
                        map(rs, ctx),
                        StoredName.require(Role.class, rs.getString("role")),
                        "active".equals(rs.getString("member_status"))))
                .list());
    }

    /** Changes the plan. */
    public Workspace setPlan(UUID id, Plan plan, Actor actor) {
        return update(id, "plan", plan.value(), actor);
    }

    /** Changes the billing state. */
    public Workspace setBillingState(UUID id, BillingState state, Actor actor) {
        return update(id, "billing_state", state.value(), actor);
    }

    /** Changes the status. */
    public Workspace setStatus(UUID id, WorkspaceStatus status, Actor actor) {
        return update(id, "status", status.value(), actor);
    }

    /** Switches a capability on or off. */
    public Workspace setCapability(UUID id, Capability capability, boolean isOn, Actor actor) {
        return jdbi.inTransaction(h -> {
            requireExists(h, id);
            h.createUpdate("UPDATE workspaces SET capability_" + capability.value() + " = :on, updated_at = now()"
                            + " WHERE id = :id")
                    .bind("on", isOn)
                    .bind("id", id)
                    .execute();
            AuditLog.record(
                    h,
                    id,
                    actor,
                    "workspace.capability",
                    "workspace",
                    id,
                    Map.of("capability", capability.value(), "enabled", isOn));
            return find(h, id).orElseThrow();
        });
    }

    /** Overrides one entitlement of the plan; {@code granted} empty removes the override. */
    public Workspace setEntitlementOverride(UUID id, Entitlement entitlement, Optional<Boolean> granted, Actor actor) {
        return jdbi.inTransaction(h -> {
            requireExists(h, id);
            h.createUpdate("DELETE FROM workspace_entitlements WHERE workspace_id = :id AND entitlement = :e")
                    .bind("id", id)
                    .bind("e", entitlement.value())
                    .execute();
            granted.ifPresent(
                    value -> h.createUpdate("INSERT INTO workspace_entitlements (workspace_id, entitlement, enabled)"
                                    + " VALUES (:id, :e, :v)")
                            .bind("id", id)
                            .bind("e", entitlement.value())
                            .bind("v", value)
                            .execute());
            AuditLog.record(
                    h,
                    id,
                    actor,
                    "workspace.entitlement",
                    "workspace",
                    id,
                    Map.of(
                            "entitlement",
                            entitlement.value(),
                            "override",
                            granted.map(String::valueOf).orElse("plan")));
            return find(h, id).orElseThrow();
        });
    }

    private Workspace update(UUID id, String column, String value, Actor actor) {
        return jdbi.inTransaction(h -> {
            requireExists(h, id);
            h.createUpdate("UPDATE workspaces SET " + column + " = :value, updated_at = now() WHERE id = :id")
                    .bind("value", value)
                    .bind("id", id)
                    .execute();
            AuditLog.record(h, id, actor, "workspace." + column, "workspace", id, Map.of(column, value));
            return find(h, id).orElseThrow();
        });
    }

    private static void requireExists(Handle h, UUID id) {
        if (find(h, id).isEmpty()) {
            throw DomainException.notFound("No workspace with id " + id);
        }
    }

    /** Maps a row selected with the workspace columns plus an {@code overrides} array. */
    public static Workspace map(ResultSet rs, StatementContext ctx) throws SQLException {
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (Capability capability : Capability.values()) {
            if (rs.getBoolean("capability_" + capability.value())) {
                capabilities.add(capability);
            }
        }
        LocalDate lockDate = rs.getObject("lock_date", LocalDate.class);
        return new Workspace(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                StoredName.require(Plan.class, rs.getString("plan")),
                StoredName.require(BillingState.class, rs.getString("billing_state")),
                StoredName.require(WorkspaceStatus.class, rs.getString("status")),
                rs.getString("currency"),
                rs.getString("time_zone"),
                rs.getInt("week_start"),
                rs.getInt("rounding_minutes"),
                StoredName.require(RoundingMode.class, rs.getString("rounding_mode")),
                Optional.ofNullable(lockDate),
                rs.getLong("default_rate_minor"),
                capabilities,
                overrides((String[]) rs.getArray("overrides").getArray()));
    }

    /** Parses {@code entitlement=true|false} pairs as the query builds them. */
    private static Map<Entitlement, Boolean> overrides(String[] pairs) {
        Map<Entitlement, Boolean> result = new EnumMap<>(Entitlement.class);
        for (String pair : pairs) {
            String[] parts = pair.split("=", 2);
            result.put(StoredName.require(Entitlement.class, parts[0]), Boolean.parseBoolean(parts[1]));
        }
        return result;
    }
}
