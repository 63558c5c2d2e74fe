package com.timether.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/** The rules the schema itself enforces, whatever the services do; each statement runs in its own transaction. */
class SchemaConstraintsTest {
    private static final String UNIQUE = "23505";
    private static final String FOREIGN_KEY = "23503";
    private static final String CHECK = "23514";
    private static final Instant NINE = Instant.parse("2025-03-03T09:00:00Z");

    private final Jdbi jdbi = TestDatabase.get().jdbi();

    @Test
    void project_clientOfAnotherWorkspace_isRefused() {
        Tenant mine = tenant();
        Tenant theirs = tenant();

        SQLException refused = refusal(
                "INSERT INTO projects (workspace_id, client_id, name) VALUES (?, ?, 'Stolen')",
                mine.workspace(),
                theirs.client());

        assertViolated(refused, FOREIGN_KEY, "projects_workspace_id_client_id_fkey");
        assertThatCode(() -> execute(
                        "INSERT INTO projects (workspace_id, client_id, name) VALUES (?, ?, 'Own')",
                        mine.workspace(),
                        mine.client()))
                .doesNotThrowAnyException();
    }

    @Test
    void timeEntry_projectOfAnotherWorkspace_isRefused() {
        Tenant mine = tenant();
        Tenant theirs = tenant();

        SQLException refused =
                refusal(entry(), mine.workspace(), mine.member(), theirs.project(), NINE, NINE.plusSeconds(3600));

        assertViolated(refused, FOREIGN_KEY, "time_entries_workspace_id_project_id_fkey");
    }

    @Test
    void timeEntry_memberOfAnotherWorkspace_isRefused() {
        Tenant mine = tenant();
        Tenant theirs = tenant();

        SQLException refused =
                refusal(entry(), mine.workspace(), theirs.member(), mine.project(), NINE, NINE.plusSeconds(3600));

        assertViolated(refused, FOREIGN_KEY, "time_entries_workspace_id_membership_id_fkey");
    }

    @Test
    void timeEntryTag_tagOfAnotherWorkspace_isRefused() {
        Tenant mine = tenant();
        Tenant theirs = tenant();
        UUID entry = id(
                entry() + " RETURNING id",
                mine.workspace(),
                mine.member(),
                mine.project(),
                NINE,
                NINE.plusSeconds(3600));

        SQLException refused = refusal(
                "INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id) VALUES (?, ?, ?)",
                mine.workspace(),
                entry,
                theirs.tag());

        assertViolated(refused, FOREIGN_KEY, "time_entry_tags_workspace_id_tag_id_fkey");
        assertThatCode(() -> execute(
                        "INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id) VALUES (?, ?, ?)",
                        mine.workspace(),
                        entry,
                        mine.tag()))
                .doesNotThrowAnyException();
    }

    @Test
    void timer_secondRunningForSameMember_isRefusedButAnotherWorkspaceMayRunOne() {
        Tenant first = tenant();
        UUID second = workspace();
        UUID secondMember = membership(second, first.user(), "owner");
        String start = "INSERT INTO timers (workspace_id, membership_id, started_at) VALUES (?, ?, now())";
        execute(start, first.workspace(), first.member());

        SQLException refused = refusal(start, first.workspace(), first.member());

        assertViolated(refused, UNIQUE, "timers_workspace_id_membership_id_key");
        assertThatCode(() -> execute(start, second, secondMember)).doesNotThrowAnyException();
        assertThat(count("SELECT count(*) FROM timers WHERE membership_id = ?", first.member()))
                .isEqualTo(1);
    }

    @Test
    void user_sameEmailInOtherLetterCase_isRefused() {
        String email = "Kim-" + TestData.unique() + "@Test.example";
        execute("INSERT INTO users (email, display_name, password_hash) VALUES (?, 'Kim', 'x')", email);

        SQLException refused = refusal(
                "INSERT INTO users (email, display_name, password_hash) VALUES (?, 'Kim Again', 'x')",
                email.toLowerCase(Locale.ROOT));

        assertViolated(refused, UNIQUE, "users_email_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"clients", "projects", "tags"})
    void name_sameInOtherLetterCaseInOneWorkspace_isRefusedButAllowedInAnother(String table) {
        UUID mine = workspace();
        UUID theirs = workspace();
        String insert = "INSERT INTO " + table + " (workspace_id, name) VALUES (?, ?)";
        execute(insert, mine, "Design");

        SQLException refused = refusal(insert, mine, "DESIGN");

        assertViolated(refused, UNIQUE, table + "_name_key");
        assertThatCode(() -> execute(insert, theirs, "design")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "workspaces, default_rate_minor, -1, workspaces_default_rate_minor_check",
        "memberships, bill_rate_minor, -1, memberships_bill_rate_minor_check",
        "memberships, cost_rate_minor, -1, memberships_cost_rate_minor_check",
        "projects, rate_minor, -1, projects_rate_minor_check",
        "time_entries, bill_rate_minor, -1, time_entries_bill_rate_minor_check",
        "expenses, amount_minor, -1, expenses_amount_minor_check",
        "expenses, amount_minor, 0, expenses_amount_minor_check",
        "invoices, subtotal_minor, -1, invoices_subtotal_minor_check",
        "invoices, tax_minor, -1, invoices_tax_minor_check",
        "invoices, total_minor, -1, invoices_total_minor_check",
        "invoice_lines, amount_minor, -1, invoice_lines_amount_minor_check",
        "invoice_lines, unit_price_minor, -1, invoice_lines_unit_price_minor_check"
    })
    void money_negative_isRefused(String table, String column, long amount, String constraint) {
        Tenant tenant = tenant();

        SQLException refused = refusal(
                "UPDATE " + table + " SET " + column + " = ? WHERE " + owner(table) + " = ?",
                amount,
                tenant.workspace());

        assertViolated(refused, CHECK, constraint);
        assertThat(count(
                        "SELECT count(*) FROM " + table + " WHERE " + owner(table) + " = ? AND " + column + " = ?",
                        tenant.workspace(),
                        amount))
                .isZero();
    }

    @Test
    void timeEntry_endNotAfterStart_isRefused() {
        Tenant tenant = tenant();

        SQLException same = refusal(entry(), tenant.workspace(), tenant.member(), tenant.project(), NINE, NINE);
        SQLException before =
                refusal(entry(), tenant.workspace(), tenant.member(), tenant.project(), NINE, NINE.minusSeconds(60));

        assertViolated(same, CHECK, "time_entries_check");
        assertViolated(before, CHECK, "time_entries_check");
    }

    @Test
    void timeEntry_longerThanOneDay_isRefusedAndExactlyOneDayAllowed() {
        Tenant tenant = tenant();
        Instant dayLater = NINE.plus(Duration.ofHours(24));

        SQLException refused =
                refusal(entry(), tenant.workspace(), tenant.member(), tenant.project(), NINE, dayLater.plusSeconds(1));

        assertViolated(refused, CHECK, "time_entries_check1");
        assertThatCode(() -> execute(entry(), tenant.workspace(), tenant.member(), tenant.project(), NINE, dayLater))
                .doesNotThrowAnyException();
    }

    @Test
    void invoice_numberTakenInSameWorkspace_isRefusedButAllowedInAnother() {
        Tenant mine = tenant();
        Tenant theirs = tenant();
        String issue = "INSERT INTO invoices (workspace_id, client_id, number, status, currency)"
                + " VALUES (?, ?, 'INV-0001', 'issued', 'EUR')";
        execute(issue, mine.workspace(), mine.client());

        SQLException refused = refusal(issue, mine.workspace(), mine.client());

        assertViolated(refused, UNIQUE, "invoices_workspace_id_number_key");
        assertThatCode(() -> execute(issue, theirs.workspace(), theirs.client()))
                .doesNotThrowAnyException();
    }

    @Test
    void invoice_issuedWithoutNumber_isRefused() {
        Tenant tenant = tenant();

        SQLException refused = refusal(
                "INSERT INTO invoices (workspace_id, client_id, status, currency) VALUES (?, ?, 'issued', 'EUR')",
                tenant.workspace(),
                tenant.client());

        assertViolated(refused, CHECK, "invoices_check1");
    }

    @ParameterizedTest
    @CsvSource({
        "workspaces, eur",
        "workspaces, E1R",
        "workspaces, 'EU '",
        "clients, usd",
        "invoices, Eur",
        "time_entries, 123",
        "expenses, eu$"
    })
    void currency_notThreeUpperCaseLetters_isRefused(String table, String currency) {
        Tenant tenant = tenant();

        SQLException refused = refusal(
                "UPDATE " + table + " SET currency = ? WHERE " + owner(table) + " = ?", currency, tenant.workspace());

        assertViolated(refused, CHECK, table + "_currency_check");
    }

    @ParameterizedTest
    @CsvSource({
        "workspaces, plan, enterprise",
        "workspaces, billing_state, overdue",
        "workspaces, status, deleted",
        "workspaces, rounding_mode, sideways",
        "memberships, role, superuser",
        "memberships, status, gone",
        "invites, role, owner",
        "invites, status, expired",
        "invoices, status, sent",
        "timesheets, status, pending"
    })
    void enumColumn_unknownValue_isRefused(String table, String column, String value) {
        Tenant tenant = tenant();

        SQLException refused = refusal(
                "UPDATE " + table + " SET " + column + " = ? WHERE " + owner(table) + " = ?",
                value,
                tenant.workspace());

        assertViolated(refused, CHECK, table + "_" + column + "_check");
    }

    @Test
    void user_unknownStatus_isRefused() {
        Tenant tenant = tenant();

        SQLException refused = refusal("UPDATE users SET status = 'banned' WHERE id = ?", tenant.user());

        assertViolated(refused, CHECK, "users_status_check");
    }

    /** One workspace with one row in every table the tests touch; all of it unique to the test. */
    private record Tenant(UUID user, UUID workspace, UUID member, UUID client, UUID project, UUID tag) {}

    private Tenant tenant() {
        UUID user = user();
        UUID workspace = workspace();
        UUID member = membership(workspace, user, "owner");
        UUID client = id("INSERT INTO clients (workspace_id, name) VALUES (?, 'Client') RETURNING id", workspace);
        UUID project = id(
                "INSERT INTO projects (workspace_id, client_id, name) VALUES (?, ?, 'Project') RETURNING id",
                workspace,
                client);
        UUID tag = id("INSERT INTO tags (workspace_id, name) VALUES (?, 'tag') RETURNING id", workspace);
        execute(entry(), workspace, member, project, NINE, NINE.plus(1, ChronoUnit.HOURS));
        execute(
                "INSERT INTO expenses (workspace_id, membership_id, project_id, spent_on, category, amount_minor,"
                        + " currency) VALUES (?, ?, ?, DATE '2025-03-03', 'travel', 1200, 'EUR')",
                workspace,
                member,
                project);
        UUID invoice = id(
                "INSERT INTO invoices (workspace_id, client_id, number, currency) VALUES (?, ?, 'D-1', 'EUR')"
                        + " RETURNING id",
                workspace,
                client);
        execute(
                "INSERT INTO invoice_lines (workspace_id, invoice_id, position, kind, description, quantity_milli,"
                        + " unit_price_minor, amount_minor) VALUES (?, ?, 0, 'manual', 'Work', 1000, 100, 100)",
                workspace,
                invoice);
        execute(
                "INSERT INTO timesheets (workspace_id, membership_id, week_start) VALUES (?, ?, DATE '2025-03-03')",
                workspace,
                member);
        execute(
                "INSERT INTO invites (workspace_id, email, role, token_hash, invited_by, expires_at)"
                        + " VALUES (?, ?, 'member', ?, ?, now() + interval '7 days')",
                workspace,
                "invitee-" + TestData.unique() + "@test.example",
                UUID.randomUUID().toString(),
                user);
        return new Tenant(user, workspace, member, client, project, tag);
    }

    private UUID user() {
        return id(
                "INSERT INTO users (email, display_name, password_hash) VALUES (?, 'Schema Test', 'x') RETURNING id",
                "schema-" + TestData.unique() + "@test.example");
    }

    private UUID workspace() {
        return id(
                "INSERT INTO workspaces (name, plan, currency) VALUES (?, 'team', 'EUR') RETURNING id",
                "Schema " + TestData.unique());
    }

    private UUID membership(UUID workspace, UUID user, String role) {
        return id(
                "INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, ?) RETURNING id",
                workspace,
                user,
                role);
    }

    /** The column that ties a row of {@code table} to its workspace. */
    private static String owner(String table) {
        return "workspaces".equals(table) ? "id" : "workspace_id";
    }

    private static String entry() {
        return "INSERT INTO time_entries (workspace_id, membership_id, project_id, started_at, ended_at, currency)"
                + " VALUES (?, ?, ?, ?, ?, 'EUR')";
    }

    private void execute(String sql, Object... args) {
        jdbi.useHandle(h -> {
            var update = h.createUpdate(sql);
            for (int i = 0; i < args.length; i++) {
                update.bind(i, args[i]);
            }
            update.execute();
        });
    }

    private UUID id(String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(UUID.class).one();
        });
    }

    private long count(String sql, Object... args) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.bind(i, args[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    /** The database's refusal of a statement that must fail. */
    private SQLException refusal(String sql, Object... args) {
        Throwable thrown = catchThrowable(() -> execute(sql, args));
        assertThat(thrown).as("the database refuses: %s", sql).isNotNull();
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof SQLException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an SQLException behind %s", thrown).isInstanceOf(SQLException.class);
        return (SQLException) cause;
    }

    private static void assertViolated(SQLException refused, String sqlState, String constraint) {
        String violated = refused instanceof PSQLException e && e.getServerErrorMessage() != null
                ? e.getServerErrorMessage().getConstraint()
                : null;

        assertThat(refused.getSQLState()).as(refused.getMessage()).isEqualTo(sqlState);
        assertThat(violated).as(refused.getMessage()).isEqualTo(constraint);
    }
}
