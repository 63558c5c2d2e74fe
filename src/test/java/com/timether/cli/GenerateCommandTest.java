package com.timether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** {@code timether generate} against the shared test database, each test in a workspace of its own. */
class GenerateCommandTest {
    private static final Map<String, String> ENV =
            Map.of("TIMETHER_DATA_DIR", TestDatabase.directory().toString());
    private static final Jdbi JDBI = TestDatabase.get().jdbi();

    private record Run(int code, String out, String err) {}

    @Test
    void generate_smallVolume_createsConsistentDataAndSaysWhat() {
        String name = "Load " + UUID.randomUUID();

        Run run = generate(name, "--entries", "2500", "--members", "7", "--projects", "13", "--days", "30");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Created workspace " + name, "7 members", "13 projects", "2500 time entries");
        assertThat(run.err()).contains("time entries: 2500 of 2500");
        Map<String, Object> facts = JDBI.withHandle(h -> h.createQuery("SELECT count(*) AS entries,"
                        + " count(DISTINCT e.membership_id) AS members, count(DISTINCT e.project_id) AS projects,"
                        + " min(e.started_at) >= now() - interval '31 days' AS in_period,"
                        + " max(e.ended_at) <= now() AS in_past,"
                        + " bool_and(e.bill_rate_minor = coalesce(p.rate_minor, m.bill_rate_minor)) AS rates_resolved,"
                        + " count(*) FILTER (WHERE e.billable) AS billable,"
                        + " (SELECT count(*) FROM time_entry_tags t WHERE t.workspace_id = w.id) AS tagged"
                        + " FROM workspaces w JOIN time_entries e ON e.workspace_id = w.id"
                        + " JOIN memberships m ON m.id = e.membership_id LEFT JOIN projects p ON p.id = e.project_id"
                        + " WHERE w.name = :name GROUP BY w.id")
                .bind("name", name)
                .mapToMap()
                .one());
        assertThat(facts)
                .containsEntry("entries", 2500L)
                .containsEntry("members", 7L)
                .containsEntry("in_period", true)
                .containsEntry("in_past", true)
                .containsEntry("rates_resolved", true);
        assertThat((Long) facts.get("projects")).isBetween(2L, 13L);
        assertThat((Long) facts.get("billable")).isBetween(1000L, 2499L);
        assertThat((Long) facts.get("tagged")).isBetween(400L, 1100L);
    }

    @Test
    void generate_entriesOfOneMember_neverOverlap() {
        String name = "Load " + UUID.randomUUID();

        Run run = generate(name, "--entries", "600", "--members", "3", "--projects", "4", "--days", "2");

        assertThat(run.code()).as(run.err()).isZero();
        long overlaps = JDBI.withHandle(h -> h.createQuery("SELECT count(*) FROM time_entries a JOIN time_entries b"
                        + " ON a.membership_id = b.membership_id AND a.id <> b.id"
                        + " AND a.started_at < b.ended_at AND b.started_at < a.ended_at"
                        + " JOIN workspaces w ON w.id = a.workspace_id WHERE w.name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .one());
        assertThat(overlaps).isZero();
    }

    @Test
    void generate_tooManyEntries_isRefusedAndCreatesNothing() {
        String name = "Load " + UUID.randomUUID();

        Run run = generate(name, "--entries", "5000001");

        assertThat(run.code()).isEqualTo(Commands.REFUSED);
        assertThat(run.err()).contains("entries must be between 1 and 5000000; got 5000001");
        assertThat(workspaces(name)).isZero();
    }

    @Test
    void generate_zeroMembers_isRefusedAndCreatesNothing() {
        String name = "Load " + UUID.randomUUID();

        Run run = generate(name, "--members", "0");

        assertThat(run.code()).isEqualTo(Commands.REFUSED);
        assertThat(run.err()).contains("members must be between 1 and 2000; got 0");
        assertThat(workspaces(name)).isZero();
    }

    @Test
    void generate_notANumber_isAUsageError() {
        Run run = generate("Load " + UUID.randomUUID(), "--entries", "lots");

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("--entries", "lots");
    }

    @Test
    void generate_existingWorkspaceName_isRefusedAndAddsNothing() {
        String name = "Load " + UUID.randomUUID();
        assertThat(generate(name, "--entries", "10", "--members", "2", "--projects", "2")
                        .code())
                .isZero();

        Run again = generate(name, "--entries", "10", "--members", "2", "--projects", "2");

        assertThat(again.code()).isEqualTo(Commands.REFUSED);
        assertThat(again.err()).contains("A workspace named '" + name + "' exists already");
        assertThat(workspaces(name)).isEqualTo(1);
    }

    @Test
    void generate_shortPassword_isRefusedAndCreatesNothing() {
        String name = "Load " + UUID.randomUUID();
        String email = "owner-" + UUID.randomUUID() + "@example.test";

        Run run = run("generate", "--workspace", name, "--owner", email, "--password", "short", "--entries", "5");

        assertThat(run.code()).isEqualTo(Commands.REFUSED);
        assertThat(run.err()).contains("password must be 10 to 200 characters");
        assertThat(workspaces(name)).isZero();
        long users = JDBI.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE email = :email")
                .bind("email", email)
                .mapTo(Long.class)
                .one());
        assertThat(users).isZero();
    }

    private static Run generate(String workspace, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "generate",
                "--workspace",
                workspace,
                "--owner",
                "owner-" + UUID.randomUUID() + "@example.test",
                "--password",
                TestData.PASSWORD));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Commands.run(
                args,
                ENV,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static long workspaces(String name) {
        return JDBI.withHandle(h -> h.createQuery("SELECT count(*) FROM workspaces WHERE name = :name")
                .bind("name", name)
                .mapTo(Long.class)
                .one());
    }
}
