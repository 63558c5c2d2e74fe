package com.timether.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.timether.Application;
import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.Member;
import com.timether.platform.config.Settings;
import com.timether.platform.error.DomainException;
import com.timether.platform.error.DomainException.Kind;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.workspace.WorkspaceService.Membership;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class WorkspaceServiceTest {
    private static final Application APP = new Application(Settings.from(Map.of()), TestDatabase.get());
    private static final Jdbi JDBI = TestDatabase.get().jdbi();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WorkspaceService workspaces = APP.workspaces();

    @Test
    void create_withOwner_storesSettingsDefaultsOwnerAndAuditEvent() {
        User owner = TestData.user(APP);
        String name = "Acme " + TestData.unique();

        Workspace created = workspaces.create(
                new NewWorkspace("  " + name + " ", Plan.TEAM, BillingState.TRIALING, "eur", "Europe/Paris"),
                owner.id(),
                Actor.web(owner.id()));

        assertThat(created.name()).isEqualTo(name);
        assertThat(created.plan()).isEqualTo(Plan.TEAM);
        assertThat(created.billingState()).isEqualTo(BillingState.TRIALING);
        assertThat(created.status()).isEqualTo(WorkspaceStatus.ACTIVE);
        assertThat(created.currency()).isEqualTo("EUR");
        assertThat(created.timeZone()).isEqualTo("Europe/Paris");
        assertThat(created.weekStart()).isEqualTo(1);
        assertThat(created.roundingMinutes()).isZero();
        assertThat(created.roundingMode()).isEqualTo(RoundingMode.NEAREST);
        assertThat(created.lockDate()).isEmpty();
        assertThat(created.defaultRateMinor()).isZero();
        assertThat(created.capabilities()).containsExactlyInAnyOrder(Capability.values());
        assertThat(created.entitlementOverrides()).isEmpty();
        assertThat(created.entitlements()).isEqualTo(Plan.TEAM.entitlements());
        assertThat(workspaces.find(created.id())).contains(created);
        assertThat(workspaces.findByName(name)).containsExactly(created);
        assertThat(workspaces.listForUser(owner.id())).containsExactly(new Membership(created, Role.OWNER, true));
        assertThat(APP.members().list(created.id())).singleElement().satisfies(member -> assertOwner(member, owner));
        assertThat(auditEvents(created.id()))
                .containsExactly(new Audit("workspace.create", "web", owner.id(), created.id(), Map.of("name", name)));
    }

    @Test
    void create_byOperator_recordsCliChannelWithoutActor() {
        User owner = TestData.user(APP);

        Workspace created = TestData.workspace(APP, owner, Plan.FREE);

        assertThat(auditEvents(created.id())).singleElement().satisfies(event -> {
            assertThat(event.channel()).isEqualTo("cli");
            assertThat(event.actor()).isNull();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"EURO", "EU", "ABC", "€", ""})
    void create_invalidCurrency_isRefusedAndWritesNothing(String currency) {
        User owner = TestData.user(APP);
        String name = "Bad currency " + TestData.unique();

        assertRefused(
                () -> workspaces.create(
                        new NewWorkspace(name, Plan.FREE, BillingState.ACTIVE, currency, "UTC"),
                        owner.id(),
                        Actor.operator()),
                "currency must be an ISO 4217 currency code such as EUR or USD");
        assertThat(workspaces.findByName(name)).isEmpty();
        assertThat(workspaces.listForUser(owner.id())).isEmpty();
    }

    @Test
    void create_invalidTimeZone_isRefusedAndWritesNothing() {
        User owner = TestData.user(APP);
        String name = "Bad zone " + TestData.unique();

        assertRefused(
                () -> workspaces.create(
                        new NewWorkspace(name, Plan.FREE, BillingState.ACTIVE, "EUR", "Moon/Tranquility"),
                        owner.id(),
                        Actor.operator()),
                "time zone must be an IANA time zone");
        assertThat(workspaces.findByName(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Two\nlines"})
    void create_invalidName_isRefusedAndWritesNothing(String name) {
        User owner = TestData.user(APP);

        assertRefused(
                () -> workspaces.create(
                        new NewWorkspace(name, Plan.FREE, BillingState.ACTIVE, "EUR", "UTC"),
                        owner.id(),
                        Actor.operator()),
                "workspace name must");
        assertThat(workspaces.listForUser(owner.id())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Plan.class)
    void setPlan_eachPlan_changesEntitlementsAndIsAudited(Plan plan) {
        Workspace workspace = freshWorkspace(plan == Plan.FREE ? Plan.BUSINESS : Plan.FREE);

        Workspace changed = workspaces.setPlan(workspace.id(), plan, Actor.operator());

        assertThat(changed.plan()).isEqualTo(plan);
        assertThat(changed.entitlements()).isEqualTo(plan.entitlements());
        assertThat(workspaces.find(workspace.id())).contains(changed);
        assertThat(lastAudit(workspace.id()))
                .isEqualTo(new Audit("workspace.plan", "cli", null, workspace.id(), Map.of("plan", plan.value())));
    }

    @Test
    void planEntitlements_followProductSectionTwo() {
        assertThat(Plan.TEAM.entitlements()).contains(Entitlement.PUBLIC_API_ACCESS);
        assertThat(Plan.BUSINESS.entitlements()).containsExactlyInAnyOrder(Entitlement.values());
        for (Plan plan : EnumSet.of(Plan.FREE, Plan.SOLO_PRO)) {
            assertThat(plan.entitlements()).doesNotContain(Entitlement.PUBLIC_API_ACCESS);
        }
        for (Plan plan : EnumSet.of(Plan.FREE, Plan.SOLO_PRO, Plan.TEAM)) {
            assertThat(plan.entitlements()).doesNotContain(Entitlement.AUDIT_LOGS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = BillingState.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
    void setBillingState_eachState_isStoredAndAudited(BillingState state) {
        Workspace workspace = freshWorkspace(Plan.TEAM);

        Workspace changed = workspaces.setBillingState(workspace.id(), state, Actor.operator());

        assertThat(changed.billingState()).isEqualTo(state);
        assertThat(workspaces.find(workspace.id()).orElseThrow().billingState()).isEqualTo(state);
        assertThat(lastAudit(workspace.id()))
                .isEqualTo(new Audit(
                        "workspace.billing_state",
                        "cli",
                        null,
                        workspace.id(),
                        Map.of("billing_state", state.value())));
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceStatus.class, names = "ACTIVE", mode = EnumSource.Mode.EXCLUDE)
    void setStatus_eachStatus_isStoredAndAudited(WorkspaceStatus status) {
        Workspace workspace = freshWorkspace(Plan.TEAM);

        Workspace changed = workspaces.setStatus(workspace.id(), status, Actor.operator());

        assertThat(changed.status()).isEqualTo(status);
        assertThat(workspaces.find(workspace.id()).orElseThrow().status()).isEqualTo(status);
        assertThat(lastAudit(workspace.id()))
                .isEqualTo(
                        new Audit("workspace.status", "cli", null, workspace.id(), Map.of("status", status.value())));
    }

    @ParameterizedTest
    @EnumSource(Capability.class)
    void setCapability_offThenOn_switchesOnlyThatCapabilityAndIsAudited(Capability capability) {
        Workspace workspace = freshWorkspace(Plan.BUSINESS);
        UUID admin = TestData.user(APP).id();

        Workspace off = workspaces.setCapability(workspace.id(), capability, false, Actor.web(admin));
        Audit offEvent = lastAudit(workspace.id());
        Workspace on = workspaces.setCapability(workspace.id(), capability, true, Actor.web(admin));

        assertThat(off.capabilities()).isEqualTo(EnumSet.complementOf(EnumSet.of(capability)));
        assertThat(on.capabilities()).containsExactlyInAnyOrder(Capability.values());
        assertThat(offEvent)
                .isEqualTo(new Audit(
                        "workspace.capability",
                        "web",
                        admin,
                        workspace.id(),
                        Map.of("capability", capability.value(), "enabled", false)));
        assertThat(lastAudit(workspace.id()).details()).containsEntry("enabled", true);
    }

    @Test
    void setEntitlementOverride_grantWithholdAndRemove_changesEntitlementsAndIsAudited() {
        Workspace workspace = freshWorkspace(Plan.TEAM);

        workspaces.setEntitlementOverride(workspace.id(), Entitlement.AUDIT_LOGS, Optional.of(true), Actor.operator());
        Workspace both = workspaces.setEntitlementOverride(
                workspace.id(), Entitlement.INVOICES, Optional.of(false), Actor.operator());
        Workspace removed = workspaces.setEntitlementOverride(
                workspace.id(), Entitlement.INVOICES, Optional.empty(), Actor.operator());

        var expected = EnumSet.copyOf(Plan.TEAM.entitlements());
        expected.add(Entitlement.AUDIT_LOGS);
        expected.remove(Entitlement.INVOICES);
        assertThat(both.entitlementOverrides())
                .isEqualTo(Map.of(Entitlement.AUDIT_LOGS, true, Entitlement.INVOICES, false));
        assertThat(both.entitlements()).isEqualTo(expected);
        assertThat(removed.entitlementOverrides()).isEqualTo(Map.of(Entitlement.AUDIT_LOGS, true));
        assertThat(removed.entitlements()).contains(Entitlement.AUDIT_LOGS, Entitlement.INVOICES);
        assertThat(auditEvents(workspace.id()))
                .extracting(Audit::action, Audit::details)
                .containsExactly(
                        tuple("workspace.create", Map.of("name", workspace.name())),
                        tuple("workspace.entitlement", Map.of("entitlement", "audit_logs", "override", "true")),
                        tuple("workspace.entitlement", Map.of("entitlement", "invoices", "override", "false")),
                        tuple("workspace.entitlement", Map.of("entitlement", "invoices", "override", "plan")));
    }

    @Test
    void setEntitlementOverride_withholdPublicApiAccessFromBusiness_removesIt() {
        Workspace workspace = freshWorkspace(Plan.BUSINESS);

        Workspace changed = workspaces.setEntitlementOverride(
                workspace.id(), Entitlement.PUBLIC_API_ACCESS, Optional.of(false), Actor.operator());

        assertThat(changed.entitlements())
                .doesNotContain(Entitlement.PUBLIC_API_ACCESS)
                .contains(Entitlement.AUDIT_LOGS);
    }

    @Test
    void changes_unknownWorkspace_areNotFoundAndWriteNothing() {
        UUID unknown = UUID.randomUUID();
        List<Runnable> changes = List.of(
                () -> workspaces.setPlan(unknown, Plan.TEAM, Actor.operator()),
                () -> workspaces.setBillingState(unknown, BillingState.UNPAID, Actor.operator()),
                () -> workspaces.setStatus(unknown, WorkspaceStatus.CLOSED, Actor.operator()),
                () -> workspaces.setCapability(unknown, Capability.MCP, false, Actor.operator()),
                () -> workspaces.setEntitlementOverride(
                        unknown, Entitlement.AUDIT_LOGS, Optional.of(true), Actor.operator()));

        for (Runnable change : changes) {
            assertThatThrownBy(change::run)
                    .isInstanceOfSatisfying(
                            DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                    .hasMessage("No workspace with id " + unknown);
        }
        assertThat(workspaces.find(unknown)).isEmpty();
        assertThat(auditEvents(unknown)).isEmpty();
    }

    @Test
    void listForUser_memberOfSeveral_listsEachWithRoleAndStatusByName() {
        User owner = TestData.user(APP);
        Workspace zulu = workspaces.create(
                new NewWorkspace("zulu " + TestData.unique(), Plan.FREE, BillingState.ACTIVE, "EUR", "UTC"),
                owner.id(),
                Actor.operator());
        Workspace alpha = workspaces.create(
                new NewWorkspace("Alpha " + TestData.unique(), Plan.TEAM, BillingState.ACTIVE, "EUR", "UTC"),
                owner.id(),
                Actor.operator());
        User manager = TestData.member(APP, alpha, Role.MANAGER);

        assertThat(workspaces.listForUser(owner.id()))
                .extracting(m -> m.workspace().id())
                .containsExactly(alpha.id(), zulu.id());
        assertThat(workspaces.listForUser(manager.id())).containsExactly(new Membership(alpha, Role.MANAGER, true));
    }

    private static void assertOwner(Member member, User owner) {
        assertThat(member.userId()).isEqualTo(owner.id());
        assertThat(member.role()).isEqualTo(Role.OWNER);
    }

    private static void assertRefused(Runnable action, String message) {
        Consumer<DomainException> invalid = e -> assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(DomainException.class, invalid)
                .hasMessageContaining(message);
    }

    private static Workspace freshWorkspace(Plan plan) {
        return TestData.workspace(APP, TestData.user(APP), plan);
    }

    /** One row of {@code audit_events}, with its JSON details parsed. */
    record Audit(String action, String channel, UUID actor, UUID target, Map<String, Object> details) {}

    @SuppressWarnings("unchecked")
    private static List<Audit> auditEvents(UUID workspaceId) {
        return JDBI.withHandle(h -> h.createQuery(
                        "SELECT action, channel, actor_id, target_id, details::text AS details"
                                + " FROM audit_events WHERE workspace_id = :ws ORDER BY id")
                .bind("ws", workspaceId)
                .map((rs, ctx) -> new Audit(
                        rs.getString("action"),
                        rs.getString("channel"),
                        rs.getObject("actor_id", UUID.class),
                        UUID.fromString(rs.getString("target_id")),
                        JSON.readValue(rs.getString("details"), Map.class)))
                .list());
    }

    private static Audit lastAudit(UUID workspaceId) {
        return auditEvents(workspaceId).getLast();
    }
}
