package com.timether.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.Member;
import com.timether.member.MemberStatus;
import com.timether.platform.config.Settings;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import com.timether.workspace.WorkspaceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Operator commands run against the shared test database, found through its data directory. */
class CommandsTest {
    private static final Application APP = new Application(Settings.from(Map.of()), TestDatabase.get());
    private static final Map<String, String> ENV =
            Map.of("TIMETHER_DATA_DIR", TestDatabase.directory().toString());

    /** What a command printed and how it exited. */
    private record Run(int code, String out, String err) {}

    @Test
    void userCreate_validInput_createsAccountAndPrintsIt() {
        String email = freshEmail();

        Run run = run(
                "user create --email %s --name %s --password cowabunga-42 --time-zone America/New_York",
                email, "Casey Jones");

        User user = APP.users().findByEmail(email).orElseThrow();
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Created user " + email + " (" + user.id() + ")");
        assertThat(user.displayName()).isEqualTo("Casey Jones");
        assertThat(user.timeZone()).isEqualTo("America/New_York");
        assertThat(APP.users().authenticate(email, "cowabunga-42")).contains(user);
    }

    @Test
    void userCreate_passwordWithEqualsSign_isAcceptedWithoutPrompting() {
        String email = freshEmail();

        Run run = run("user create --email %s --name Casey --password=cowabunga-43", email);

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(APP.users().authenticate(email, "cowabunga-43")).isPresent();
        assertThat(APP.users().findByEmail(email).orElseThrow().timeZone()).isEqualTo("UTC");
    }

    @Test
    void userCreate_badEmail_isRefusedAndCreatesNothing() {
        Run run = run("user create --email casey.example.com --name Casey --password %s", TestData.PASSWORD);

        assertRefused(run, "email must be an email address", "casey.example.com");
        assertThat(APP.users().findByEmail("casey.example.com")).isEmpty();
    }

    @Test
    void userCreate_badTimeZone_isRefusedAndCreatesNothing() {
        String email = freshEmail();

        Run run = run(
                "user create --email %s --name Casey --password %s --time-zone Atlantis/Capital",
                email, TestData.PASSWORD);

        assertRefused(run, "time zone must be an IANA time zone", "Atlantis/Capital");
        assertThat(APP.users().findByEmail(email)).isEmpty();
    }

    @Test
    void userCreate_shortPassword_isRefusedAndCreatesNothing() {
        String email = freshEmail();

        Run run = run("user create --email %s --name Casey --password short", email);

        assertRefused(run, "password must be 10 to 200 characters");
        assertThat(APP.users().findByEmail(email)).isEmpty();
    }

    @Test
    void userCreate_duplicateEmail_isRefusedAndKeepsTheFirst() {
        User existing = TestData.user(APP);

        Run run = run(
                "user create --email %s --name Impostor --password %s",
                existing.email().toUpperCase(Locale.ROOT), TestData.PASSWORD);

        assertRefused(run, "already exists", existing.email());
        assertThat(APP.users().findByEmail(existing.email())).contains(existing);
    }

    @Test
    void userCreate_missingName_isUsageErrorAndCreatesNothing() {
        String email = freshEmail();

        Run run = run("user create --email %s --password %s", email, TestData.PASSWORD);

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("Missing required option", "--name");
        assertThat(APP.users().findByEmail(email)).isEmpty();
    }

    @Test
    void userDisableThenEnable_existingUser_changesStatusAndEndsSessions() {
        User user = TestData.user(APP);
        var session = APP.sessions().signIn(Optional.empty(), user);

        Run disable = run("user disable --email %s", user.email());
        UserStatus afterDisable = APP.users().find(user.id()).orElseThrow().status();
        Run enable = run("user enable --email %s", user.email());

        assertThat(disable.code()).as(disable.err()).isZero();
        assertThat(disable.out()).contains("User " + user.email() + " is now disabled");
        assertThat(afterDisable).isEqualTo(UserStatus.DISABLED);
        assertThat(APP.sessions().find(session.cookie())).isEmpty();
        assertThat(enable.code()).as(enable.err()).isZero();
        assertThat(enable.out()).contains("User " + user.email() + " is now active");
        assertThat(APP.users().find(user.id()).orElseThrow().isActive()).isTrue();
    }

    @Test
    void userDisable_unknownUser_isRefused() {
        String email = freshEmail();

        Run run = run("user disable --email %s", email);

        assertRefused(run, "No user with email", email);
        assertThat(APP.users().findByEmail(email)).isEmpty();
    }

    @Test
    void workspaceCreate_validInput_createsWorkspaceWithOwner() {
        User owner = TestData.user(APP);
        String name = "Acme " + TestData.unique();

        Run run = run(
                "workspace create --name %s --owner %s --plan solo_pro --billing active --currency chf"
                        + " --time-zone Europe/Zurich",
                name, owner.email());

        Workspace created = APP.workspaces().findByName(name).getFirst();
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Created workspace " + name + " (" + created.id() + "): plan solo_pro, billing active,"
                        + " status active, owner " + owner.email());
        assertThat(created.plan()).isEqualTo(Plan.SOLO_PRO);
        assertThat(created.billingState()).isEqualTo(BillingState.ACTIVE);
        assertThat(created.currency()).isEqualTo("CHF");
        assertThat(created.timeZone()).isEqualTo("Europe/Zurich");
        assertThat(APP.members().findByUser(created.id(), owner.id()))
                .hasValueSatisfying(m -> assertThat(m.role()).isEqualTo(Role.OWNER));
        assertThat(auditActions(created.id())).containsExactly("workspace.create");
    }

    @Test
    void workspaceCreate_defaults_areFreeTrialingUsdUtc() {
        User owner = TestData.user(APP);
        String name = "Defaults " + TestData.unique();

        Run run = run("workspace create --name %s --owner %s", name, owner.email());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(APP.workspaces().findByName(name)).singleElement().satisfies(w -> {
            assertThat(w.plan()).isEqualTo(Plan.FREE);
            assertThat(w.billingState()).isEqualTo(BillingState.TRIALING);
            assertThat(w.currency()).isEqualTo("USD");
            assertThat(w.timeZone()).isEqualTo("UTC");
        });
    }

    @Test
    void workspaceCreate_unknownPlan_isUsageErrorListingPlansAndCreatesNothing() {
        User owner = TestData.user(APP);
        String name = "Gold " + TestData.unique();

        Run run = run("workspace create --name %s --owner %s --plan gold", name, owner.email());

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("--plan", "'gold'").containsIgnoringCase("business");
        assertThat(APP.workspaces().findByName(name)).isEmpty();
    }

    @Test
    void workspaceCreate_badCurrency_isRefusedAndCreatesNothing() {
        User owner = TestData.user(APP);
        String name = "Euro " + TestData.unique();

        Run run = run("workspace create --name %s --owner %s --currency EURO", name, owner.email());

        assertRefused(run, "currency must be an ISO 4217 currency code", "EURO");
        assertThat(APP.workspaces().findByName(name)).isEmpty();
        assertThat(APP.workspaces().listForUser(owner.id())).isEmpty();
    }

    @Test
    void workspaceCreate_badTimeZone_isRefusedAndCreatesNothing() {
        User owner = TestData.user(APP);
        String name = "Zone " + TestData.unique();

        Run run = run("workspace create --name %s --owner %s --time-zone PST", name, owner.email());

        assertRefused(run, "time zone must be an IANA time zone", "PST");
        assertThat(APP.workspaces().findByName(name)).isEmpty();
    }

    @Test
    void workspaceCreate_unknownOwner_isRefusedAndCreatesNothing() {
        String owner = freshEmail();
        String name = "Orphan " + TestData.unique();

        Run run = run("workspace create --name %s --owner %s", name, owner);

        assertRefused(run, "No user with email", owner);
        assertThat(APP.workspaces().findByName(name)).isEmpty();
    }

    @Test
    void workspaceCreate_missingOwner_isUsageError() {
        String name = "No owner " + TestData.unique();

        Run run = run("workspace create --name %s", name);

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("Missing required option", "--owner");
        assertThat(APP.workspaces().findByName(name)).isEmpty();
    }

    @Test
    void workspaceSetPlan_byName_changesPlanAndPrintsIt() {
        Workspace workspace = freshWorkspace();

        Run run = run("workspace set-plan --workspace %s --plan business", workspace.name());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Updated " + workspace.name() + " (" + workspace.id() + "): plan business");
        assertThat(reload(workspace).plan()).isEqualTo(Plan.BUSINESS);
        assertThat(auditActions(workspace.id())).containsExactly("workspace.create", "workspace.plan");
    }

    @Test
    void workspaceSetBilling_byId_changesBillingState() {
        Workspace workspace = freshWorkspace();

        Run run = run("workspace set-billing --workspace %s --state PAST_DUE", workspace.id());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("billing past_due");
        assertThat(reload(workspace).billingState()).isEqualTo(BillingState.PAST_DUE);
    }

    @Test
    void workspaceSetStatus_suspended_changesStatus() {
        Workspace workspace = freshWorkspace();

        Run run = run("workspace set-status --workspace %s --status suspended", workspace.name());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("status suspended");
        assertThat(reload(workspace).status()).isEqualTo(WorkspaceStatus.SUSPENDED);
    }

    @Test
    void workspaceSetBilling_unknownState_isUsageErrorAndChangesNothing() {
        Workspace workspace = freshWorkspace();

        Run run = run("workspace set-billing --workspace %s --state overdue", workspace.name());

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("--state", "'overdue'").containsIgnoringCase("past_due");
        assertThat(reload(workspace)).isEqualTo(workspace);
        assertThat(auditActions(workspace.id())).containsExactly("workspace.create");
    }

    @Test
    void workspaceSetPlan_unknownWorkspaceName_isRefused() {
        String name = "Nowhere " + TestData.unique();

        Run run = run("workspace set-plan --workspace %s --plan team", name);

        assertRefused(run, "No workspace named '" + name + "'");
        assertThat(APP.workspaces().findByName(name)).isEmpty();
    }

    @Test
    void workspaceSetStatus_unknownWorkspaceId_isRefused() {
        UUID unknown = UUID.randomUUID();

        Run run = run("workspace set-status --workspace %s --status closed", unknown);

        assertRefused(run, "No workspace with id " + unknown);
        assertThat(APP.workspaces().find(unknown)).isEmpty();
    }

    @Test
    void workspaceSetPlan_ambiguousName_isRefusedListingIdsAndChangesNothing() {
        User owner = TestData.user(APP);
        String name = "Twin " + TestData.unique();
        var spec = new NewWorkspace(name, Plan.FREE, BillingState.ACTIVE, "EUR", "UTC");
        Workspace first = APP.workspaces().create(spec, owner.id(), Actor.operator());
        Workspace second = APP.workspaces().create(spec, owner.id(), Actor.operator());

        Run run = run("workspace set-plan --workspace %s --plan team", name);

        assertRefused(
                run,
                "Several workspaces are named '" + name + "'",
                first.id().toString(),
                second.id().toString());
        assertThat(APP.workspaces().findByName(name)).containsExactly(first, second);
    }

    @Test
    void workspaceAddMember_existingUser_joinsWithRole() {
        Workspace workspace = freshWorkspace();
        User user = TestData.user(APP);

        Run run = run("workspace add-member --workspace %s --email %s --role manager", workspace.name(), user.email());

        Member member = APP.members().findByUser(workspace.id(), user.id()).orElseThrow();
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Added " + user.email() + " to " + workspace.name() + " as manager (membership " + member.id()
                        + ")");
        assertThat(member.role()).isEqualTo(Role.MANAGER);
        assertThat(member.status()).isEqualTo(MemberStatus.ACTIVE);
    }

    @Test
    void workspaceAddMember_duplicate_isRefusedAndKeepsRole() {
        Workspace workspace = freshWorkspace();
        User user = TestData.member(APP, workspace, Role.MEMBER);

        Run run = run("workspace add-member --workspace %s --email %s --role admin", workspace.name(), user.email());

        assertRefused(run, user.email() + " is already a member of this workspace");
        assertThat(APP.members()
                        .findByUser(workspace.id(), user.id())
                        .orElseThrow()
                        .role())
                .isEqualTo(Role.MEMBER);
    }

    @Test
    void workspaceAddMember_unknownUser_isRefusedAndAddsNobody() {
        Workspace workspace = freshWorkspace();
        String email = freshEmail();

        Run run = run("workspace add-member --workspace %s --email %s", workspace.name(), email);

        assertRefused(run, "No user with email '" + email + "'", "create the account first");
        assertThat(APP.members().list(workspace.id())).hasSize(1);
    }

    @Test
    void workspaceAddMember_unknownRole_isUsageErrorAndAddsNobody() {
        Workspace workspace = freshWorkspace();
        User user = TestData.user(APP);

        Run run = run("workspace add-member --workspace %s --email %s --role boss", workspace.name(), user.email());

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("--role", "'boss'");
        assertThat(APP.members().findByUser(workspace.id(), user.id())).isEmpty();
    }

    @Test
    void demo_alreadySeeded_saysNothingChanged() {
        Run run = run("demo");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("Demo data already present; nothing changed.");
    }

    @Test
    void anyCommand_badConfiguration_isUsageErrorNamingTheVariable() {
        String email = freshEmail();
        Map<String, String> env = Map.of(
                "TIMETHER_DATA_DIR", TestDatabase.directory().toString(), "TIMETHER_APP_URL", "ftp://app.example");

        Run run = run(env, "user create --email %s --name Casey --password %s", email, TestData.PASSWORD);

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("Invalid configuration: TIMETHER_APP_URL must be an origin");
        assertThat(APP.users().findByEmail(email)).isEmpty();
    }

    @Test
    void unknownCommand_isUsageError() {
        Run run = run("workspace delete --workspace %s", "Northwind Studio");

        assertThat(run.code()).isEqualTo(Commands.USAGE);
        assertThat(run.err()).contains("delete");
        assertThat(APP.workspaces().findByName("Northwind Studio")).hasSize(1);
    }

    private static Run run(String line, Object... values) {
        return run(ENV, line, values);
    }

    /** Runs {@code line} split at spaces, each {@code %s} word replaced by the next value (which may hold spaces). */
    private static Run run(Map<String, String> env, String line, Object... values) {
        List<String> args = new ArrayList<>();
        int next = 0;
        for (String word : line.split(" ")) {
            args.add("%s".equals(word) ? String.valueOf(values[next++]) : word);
        }
        assertThat(next).as("values used by: %s", line).isEqualTo(values.length);

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code;
        try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Commands.run(args.toArray(String[]::new), env, outStream, errStream);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Run run, String... phrases) {
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(Commands.REFUSED);
        assertThat(run.err()).startsWith("Refused: ").contains(phrases);
        assertThat(run.out()).isEmpty();
    }

    private static String freshEmail() {
        return "cli-" + TestData.unique() + "@test.example";
    }

    private static Workspace freshWorkspace() {
        return TestData.workspace(APP, TestData.user(APP), Plan.TEAM);
    }

    private static Workspace reload(Workspace workspace) {
        return APP.workspaces().find(workspace.id()).orElseThrow();
    }

    private static List<String> auditActions(UUID workspaceId) {
        return TestDatabase.get()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT action FROM audit_events WHERE workspace_id = :ws ORDER BY id")
                        .bind("ws", workspaceId)
                        .mapTo(String.class)
                        .list());
    }
}
