package com.timether.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.PasswordHasher;
import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.member.MemberStatus;
import com.timether.platform.config.Settings;
import com.timether.testing.TestDatabase;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceStatus;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo data of PRODUCT section 6, as the shared test database was seeded with it. */
class DemoSeedTest {
    private static final Application APP = new Application(Settings.from(Map.of()), TestDatabase.get());
    private static final Jdbi JDBI = TestDatabase.get().jdbi();
    private static final String NORTHWIND = "Northwind Studio";

    private record Space(String name, Plan plan, BillingState billing, WorkspaceStatus status) {}

    private record Seat(String email, Role role, MemberStatus status) {}

    private static final List<Space> SPACES = List.of(
            new Space(NORTHWIND, Plan.BUSINESS, BillingState.ACTIVE, WorkspaceStatus.ACTIVE),
            new Space("Harbor Labs", Plan.TEAM, BillingState.PAST_DUE, WorkspaceStatus.ACTIVE),
            new Space("Ada Solo", Plan.SOLO_PRO, BillingState.ACTIVE, WorkspaceStatus.ACTIVE),
            new Space("Ben Free", Plan.FREE, BillingState.ACTIVE, WorkspaceStatus.ACTIVE),
            new Space("Old Mill", Plan.BUSINESS, BillingState.ACTIVE, WorkspaceStatus.SUSPENDED));

    private static final Map<String, List<Seat>> SEATS = Map.of(
            NORTHWIND,
            List.of(
                    new Seat("ada@example.com", Role.OWNER, MemberStatus.ACTIVE),
                    new Seat("cy@example.com", Role.ADMIN, MemberStatus.ACTIVE),
                    new Seat("ben@example.com", Role.MANAGER, MemberStatus.ACTIVE),
                    new Seat("eve@example.com", Role.MEMBER, MemberStatus.ACTIVE),
                    new Seat("finn@example.com", Role.MEMBER, MemberStatus.INACTIVE),
                    new Seat("gus@example.com", Role.MEMBER, MemberStatus.ACTIVE)),
            "Harbor Labs",
            List.of(
                    new Seat("cy@example.com", Role.OWNER, MemberStatus.ACTIVE),
                    new Seat("ben@example.com", Role.MEMBER, MemberStatus.ACTIVE)),
            "Ada Solo",
            List.of(new Seat("ada@example.com", Role.OWNER, MemberStatus.ACTIVE)),
            "Ben Free",
            List.of(new Seat("ben@example.com", Role.OWNER, MemberStatus.ACTIVE)),
            "Old Mill",
            List.of(new Seat("ada@example.com", Role.ADMIN, MemberStatus.ACTIVE)));

    @Test
    void seed_fiveWorkspaces_haveProductPlanBillingAndStatus() {
        for (Space space : SPACES) {
            List<Workspace> named = APP.workspaces().findByName(space.name());

            assertThat(named).as(space.name()).singleElement().satisfies(workspace -> {
                assertThat(workspace.plan()).as(space.name()).isEqualTo(space.plan());
                assertThat(workspace.billingState()).as(space.name()).isEqualTo(space.billing());
                assertThat(workspace.status()).as(space.name()).isEqualTo(space.status());
            });
        }
    }

    @Test
    void seed_eachWorkspace_hasExactlyTheProductMembersRolesAndStatuses() {
        for (Space space : SPACES) {
            UUID id = workspaceId(space.name());

            List<Seat> seats = APP.members().list(id).stream()
                    .map(m -> new Seat(m.email(), m.role(), m.status()))
                    .toList();

            assertThat(seats).as(space.name()).containsExactlyInAnyOrderElementsOf(SEATS.get(space.name()));
        }
    }

    @Test
    void seed_gus_isDisabledAndEveryoneElseActive() {
        Map<String, UserStatus> statuses = new LinkedHashMap<>();
        for (String email : List.of("ada", "cy", "ben", "eve", "finn", "gus")) {
            User user = APP.users().findByEmail(email + "@example.com").orElseThrow();
            statuses.put(email, user.status());
        }

        assertThat(statuses)
                .containsEntry("gus", UserStatus.DISABLED)
                .containsEntry("ada", UserStatus.ACTIVE)
                .containsEntry("cy", UserStatus.ACTIVE)
                .containsEntry("ben", UserStatus.ACTIVE)
                .containsEntry("eve", UserStatus.ACTIVE)
                .containsEntry("finn", UserStatus.ACTIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "cy", "ben", "eve", "finn"})
    void authenticate_activeDemoUserWithDemoPassword_succeeds(String name) {
        String email = name + "@example.com";

        var user = APP.users().authenticate(email, "timether-demo");

        assertThat(user).hasValueSatisfying(u -> {
            assertThat(u.email()).isEqualTo(email);
            assertThat(u.isActive()).isTrue();
        });
        assertThat(APP.users().authenticate(email, "timether-demo2")).isEmpty();
    }

    @Test
    void seed_northwind_hasSeveralClientsProjectsAndTags() {
        UUID northwind = workspaceId(NORTHWIND);

        assertThat(count("SELECT count(*) FROM clients WHERE workspace_id = ?", northwind))
                .isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT count(*) FROM projects WHERE workspace_id = ?", northwind))
                .isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT count(*) FROM projects WHERE workspace_id = ? AND client_id IS NOT NULL", northwind))
                .isGreaterThanOrEqualTo(3);
        assertThat(count("SELECT count(*) FROM tags WHERE workspace_id = ?", northwind))
                .isGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "cy", "ben", "eve"})
    void seed_activeNorthwindMember_hasTimeEntriesInEachOfTheLastEightWeeks(String name) {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        LocalDate thisWeek = LocalDate.now(berlin).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        List<LocalDate> lastEightWeeks = IntStream.rangeClosed(1, 8)
                .mapToObj(weeksAgo -> thisWeek.minusWeeks(9 - weeksAgo))
                .toList();

        List<LocalDate> weeks = JDBI.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT date_trunc('week', e.started_at AT TIME ZONE 'Europe/Berlin')::date AS week"
                                + " FROM time_entries e JOIN memberships m ON m.id = e.membership_id"
                                + " JOIN users u ON u.id = m.user_id"
                                + " WHERE e.workspace_id = :ws AND u.email = :email ORDER BY week")
                .bind("ws", workspaceId(NORTHWIND))
                .bind("email", name + "@example.com")
                .mapTo(LocalDate.class)
                .list());

        assertThat(weeks).containsExactlyElementsOf(lastEightWeeks);
    }

    @Test
    void seed_eve_hasARunningTimerInNorthwind() {
        long timers = count(
                "SELECT count(*) FROM timers t JOIN memberships m ON m.id = t.membership_id"
                        + " JOIN users u ON u.id = m.user_id"
                        + " WHERE t.workspace_id = ? AND u.email = 'eve@example.com' AND t.started_at < now()",
                workspaceId(NORTHWIND));

        assertThat(timers).isEqualTo(1);
    }

    @Test
    void seed_northwind_hasSubmittedTimesheetExpensesAndDraftInvoice() {
        UUID northwind = workspaceId(NORTHWIND);

        assertThat(count("SELECT count(*) FROM timesheets WHERE workspace_id = ? AND status = 'submitted'", northwind))
                .isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM expenses WHERE workspace_id = ?", northwind))
                .isGreaterThanOrEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM invoices i WHERE i.workspace_id = ? AND i.status = 'draft'"
                                + " AND i.total_minor > 0 AND i.total_minor = i.subtotal_minor + i.tax_minor"
                                + " AND EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id)",
                        northwind))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void seed_again_changesNothing() {
        Map<String, Long> before = rowCounts();

        DemoSeed.Outcome outcome = new DemoSeed(JDBI, new PasswordHasher()).seed();

        assertThat(outcome.isUnchanged()).isTrue();
        assertThat(outcome.createdUsers()).isEmpty();
        assertThat(outcome.createdWorkspaces()).isEmpty();
        assertThat(rowCounts()).isEqualTo(before);
    }

    /** The id of the one workspace with this name. */
    private static UUID workspaceId(String name) {
        return APP.workspaces().findByName(name).getFirst().id();
    }

    private static long count(String sql, UUID workspace) {
        return JDBI.withHandle(
                h -> h.createQuery(sql).bind(0, workspace).mapTo(Long.class).one());
    }

    /** The number of rows in every table of the schema. */
    private static Map<String, Long> rowCounts() {
        return JDBI.withHandle(h -> {
            List<String> tables = h.createQuery("SELECT table_name FROM information_schema.tables"
                            + " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")
                    .mapTo(String.class)
                    .list();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String table : tables) {
                counts.put(
                        table,
                        h.createQuery("SELECT count(*) FROM \"" + table + "\"")
                                .mapTo(Long.class)
                                .one());
            }
            assertThat(counts).containsKeys("users", "workspaces", "time_entries", "invoices");
            return counts;
        });
    }
}
