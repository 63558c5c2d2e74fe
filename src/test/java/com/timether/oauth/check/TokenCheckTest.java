package com.timether.oauth.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.AccessDecision;
import com.timether.access.AccessPolicy;
import com.timether.access.Capability;
import com.timether.access.Entitlement;
import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.MemberStatus;
import com.timether.oauth.check.TokenCheck.Reason;
import com.timether.oauth.check.TokenCheck.Refused;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceStatus;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check every MCP request makes: a token accepted yesterday is refused, with the precise reason, as soon as
 * anything PRODUCT section 4 lists has changed since.
 */
class TokenCheckTest {
    private final Application app = TestServer.app();
    private final Jdbi jdbi = app.database().jdbi();

    /** A person connected to a fresh team workspace through a fresh client, asking for admin. */
    private record Connected(User person, Workspace workspace, OAuthFlow flow, OAuthFlow.Tokens tokens) {}

    @Test
    void check_liveToken_isAcceptedForTheConnectionsPersonWorkspaceAndScope() {
        Connected c = connect(Role.ADMIN);

        TokenCheck.Result result = app.tokenCheck().check(c.tokens().accessToken());

        assertThat(result).isInstanceOfSatisfying(TokenCheck.Accepted.class, accepted -> {
            Principal principal = accepted.principal();
            assertThat(principal.clientId()).isEqualTo(c.flow().clientId());
            assertThat(principal.clientName()).isEqualTo("Test Assistant");
            assertThat(principal.userId()).isEqualTo(c.person().id());
            assertThat(principal.userEmail()).isEqualTo(c.person().email());
            assertThat(principal.workspace().id()).isEqualTo(c.workspace().id());
            assertThat(principal.role()).isEqualTo(Role.ADMIN);
            assertThat(principal.scope()).isEqualTo(Scope.ADMIN);
        });
    }

    @Test
    void check_afterRevokeOnIntegrations_isRefusedRevoked() {
        Connected c = connect(Role.OWNER);
        String page = c.flow().get("/account/integrations").body();
        HttpResponse<String> revoked = c.flow()
                .post(
                        "/account/integrations/revoke",
                        "application/x-www-form-urlencoded",
                        OAuthFlow.form(Map.of(
                                "csrf", OAuthFlow.field(page, "csrf"),
                                "connection", connectionId(c).toString())));

        assertThat(revoked.statusCode()).isEqualTo(303);
        assertRefused(c, Reason.REVOKED, "The connection was revoked; connect again.");
    }

    @Test
    void check_afterConnectionStoreRevoke_isRefusedRevoked() {
        Connected c = connect(Role.OWNER);

        assertThat(new ConnectionStore(jdbi).revokeByUser(c.person().id(), connectionId(c)))
                .isTrue();

        assertRefused(c, Reason.REVOKED, "The connection was revoked; connect again.");
    }

    @Test
    void check_userDisabled_isRefusedUserDisabled() {
        Connected c = connect(Role.OWNER);

        app.users().setStatus(c.person().email(), UserStatus.DISABLED);

        assertRefused(c, Reason.USER_DISABLED, "The account is disabled.");
    }

    @Test
    void check_membershipInactive_isRefusedMembershipInactive() {
        Connected c = connect(Role.MEMBER);
        UUID member = app.members()
                .findByUser(c.workspace().id(), c.person().id())
                .orElseThrow()
                .id();

        app.members().setStatus(c.workspace().id(), member, MemberStatus.INACTIVE, Actor.operator());

        assertRefused(
                c,
                Reason.MEMBERSHIP_INACTIVE,
                "Your membership in " + c.workspace().name() + " is inactive.");
    }

    @Test
    void check_membershipRemoved_isRefusedMembershipInactive() {
        Connected c = connect(Role.MEMBER);

        jdbi.useHandle(h -> h.createUpdate("DELETE FROM memberships WHERE workspace_id = :ws AND user_id = :u")
                .bind("ws", c.workspace().id())
                .bind("u", c.person().id())
                .execute());

        assertRefused(c, Reason.MEMBERSHIP_INACTIVE, "You are no longer a member of this workspace.");
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkspaceStatus.class,
            names = {"SUSPENDED", "CLOSED"})
    void check_workspaceNotActive_isRefusedWorkspaceInactive(WorkspaceStatus status) {
        Connected c = connect(Role.OWNER);

        app.workspaces().setStatus(c.workspace().id(), status, Actor.operator());

        assertRefused(c, Reason.WORKSPACE_INACTIVE, c.workspace().name() + " is " + status.value() + ".");
    }

    @ParameterizedTest
    @EnumSource(
            value = Plan.class,
            names = {"FREE", "SOLO_PRO"})
    void check_planWithoutApiAccess_isRefusedNotEntitled(Plan plan) {
        Connected c = connect(Role.OWNER);

        app.workspaces().setPlan(c.workspace().id(), plan, Actor.operator());

        assertRefused(
                c,
                Reason.NOT_ENTITLED,
                "The " + plan.value() + " plan of " + c.workspace().name()
                        + " does not include API access (team or business plan needed).");
    }

    @Test
    void check_apiAccessWithheldByOverride_isRefusedNotEntitled() {
        Connected c = connect(Role.OWNER);

        app.workspaces()
                .setEntitlementOverride(
                        c.workspace().id(), Entitlement.PUBLIC_API_ACCESS, Optional.of(false), Actor.operator());

        assertRefused(
                c,
                Reason.NOT_ENTITLED,
                "API access is turned off for " + c.workspace().name() + " by an override of its team plan.");
    }

    @ParameterizedTest
    @EnumSource(
            value = BillingState.class,
            names = {"UNPAID", "CANCELED"})
    void check_billingBlocked_isRefusedBillingBlocked(BillingState state) {
        Connected c = connect(Role.OWNER);

        app.workspaces().setBillingState(c.workspace().id(), state, Actor.operator());

        assertRefused(
                c,
                Reason.BILLING_BLOCKED,
                c.workspace().name() + " cannot be used while its billing state is " + state.value() + ".");
    }

    @Test
    void check_billingPastDue_isAcceptedForReadsOnly() {
        Connected c = connect(Role.OWNER);

        app.workspaces().setBillingState(c.workspace().id(), BillingState.PAST_DUE, Actor.operator());

        TokenCheck.Result result = app.tokenCheck().check(c.tokens().accessToken());
        assertThat(result).isInstanceOf(TokenCheck.Accepted.class);
        var context = ((TokenCheck.Accepted) result).principal().accessContext();
        assertThat(AccessPolicy.decide(Requirement.of(Scope.READ, Role.MEMBER), context))
                .isInstanceOf(AccessDecision.Allowed.class);
        for (Scope scope : new Scope[] {Scope.WRITE, Scope.ADMIN}) {
            assertThat(AccessPolicy.decide(Requirement.of(scope, Role.MEMBER), context))
                    .isInstanceOfSatisfying(
                            AccessDecision.Denied.class,
                            denied -> assertThat(denied.reason()).isEqualTo(AccessDecision.Reason.BILLING_READ_ONLY));
        }
    }

    @Test
    void check_mcpSwitchedOffForTheWorkspace_isRefusedMcpDisabledForWorkspace() {
        Connected c = connect(Role.OWNER);

        app.workspaces().setCapability(c.workspace().id(), Capability.MCP, false, Actor.operator());

        assertRefused(
                c,
                Reason.MCP_DISABLED_FOR_WORKSPACE,
                "An admin switched MCP access off for " + c.workspace().name() + ".");
    }

    @Test
    void check_mcpSwitchedOffGlobally_isRefusedMcpDisabled() {
        Connected c = connect(Role.OWNER);
        TokenCheck switchedOff = new TokenCheck(jdbi, app.settings().mcpResource(), false);

        TokenCheck.Result result = switchedOff.check(c.tokens().accessToken());

        assertThat(result).isEqualTo(new Refused(Reason.MCP_DISABLED, "MCP access is switched off on this server."));
    }

    @Test
    void check_expiredToken_isRefusedExpired() {
        Connected c = connect(Role.OWNER);

        jdbi.useHandle(h -> h.createUpdate("UPDATE oauth_tokens SET expires_at = now() - interval '1 second'"
                        + " WHERE token_hash = :hash")
                .bind("hash", Secrets.hash(c.tokens().accessToken()))
                .execute());

        assertRefused(c, Reason.EXPIRED, "The access token expired; refresh it.");
    }

    @Test
    void check_tokenForAnotherResource_isRefusedWrongResource() {
        Connected c = connect(Role.OWNER);
        TokenCheck otherResource = new TokenCheck(jdbi, "https://other.example/mcp", true);

        TokenCheck.Result result = otherResource.check(c.tokens().accessToken());

        assertThat(result).isEqualTo(new Refused(Reason.WRONG_RESOURCE, "The access token is for another resource."));
    }

    @Test
    void check_refreshTokenPresentedAsAccessToken_isRefusedInvalid() {
        Connected c = connect(Role.OWNER);

        TokenCheck.Result result = app.tokenCheck().check(c.tokens().refreshToken());

        assertThat(result).isEqualTo(new Refused(Reason.INVALID, "The access token is not valid."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tta_unknown", "Bearer x"})
    void check_unknownToken_isRefusedInvalid(String token) {
        assertThat(app.tokenCheck().check(token))
                .isEqualTo(new Refused(Reason.INVALID, "The access token is not valid."));
    }

    @Test
    void check_missingOrOversizedToken_isRefusedInvalid() {
        assertThat(app.tokenCheck().check(null))
                .isEqualTo(new Refused(Reason.INVALID, "The access token is not valid."));
        assertThat(app.tokenCheck().check("t".repeat(201)))
                .isEqualTo(new Refused(Reason.INVALID, "The access token is not valid."));
    }

    @Test
    void check_roleLoweredSinceConsent_actsWithTheNewRolesScopeAtMost() {
        Connected c = connect(Role.ADMIN);
        UUID member = app.members()
                .findByUser(c.workspace().id(), c.person().id())
                .orElseThrow()
                .id();

        app.members().setRole(c.workspace().id(), member, Role.MEMBER, Actor.operator());

        assertThat(app.tokenCheck().check(c.tokens().accessToken()))
                .isInstanceOfSatisfying(TokenCheck.Accepted.class, accepted -> {
                    assertThat(accepted.principal().role()).isEqualTo(Role.MEMBER);
                    assertThat(accepted.principal().scope()).isEqualTo(Scope.WRITE);
                });
    }

    @Test
    void check_anyToken_isOneSqlStatement() {
        Connected c = connect(Role.OWNER);
        // connect() checked the token once; its last-used stamp is written after that answer. Once it is there, the
        // checks below have no stamp to write for 30 s, and each costs exactly its lookup.
        awaitStamped(connectionId(c));
        AtomicInteger statements = new AtomicInteger();
        TokenCheck check =
                new TokenCheck(countingJdbi(statements), app.settings().mcpResource(), true);

        TokenCheck.Result accepted = check.check(c.tokens().accessToken());
        int forAccepted = statements.getAndSet(0);
        check.check("tta_" + Secrets.random(32));
        int forUnknown = statements.getAndSet(0);
        app.workspaces().setStatus(c.workspace().id(), WorkspaceStatus.SUSPENDED, Actor.operator());
        check.check(c.tokens().accessToken());
        int forRefused = statements.get();

        assertThat(accepted).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(forAccepted).isEqualTo(1);
        assertThat(forUnknown).isEqualTo(1);
        assertThat(forRefused).isEqualTo(1);
    }

    @Test
    void check_concurrentCallersWithLiveRevokedAndUnknownTokens_eachGetTheirOwnAnswerFromSharedStatements()
            throws Exception {
        Connected live = connect(Role.ADMIN);
        Connected member = connect(Role.MEMBER);
        Connected revoked = connect(Role.OWNER);
        new ConnectionStore(jdbi).revokeByUser(revoked.person().id(), connectionId(revoked));
        String unknown = "tta_" + Secrets.random(32);
        AtomicInteger statements = new AtomicInteger();
        TokenCheck check =
                new TokenCheck(countingJdbi(statements), app.settings().mcpResource(), true);
        int rounds = 200;

        List<Future<List<String>>> callers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < 32; caller++) {
                Connected mine = List.of(live, member, revoked).get(caller % 3);
                String token = caller % 4 == 3 ? unknown : mine.tokens().accessToken();
                callers.add(threads.submit(() -> {
                    List<String> answers = new ArrayList<>();
                    for (int i = 0; i < rounds; i++) {
                        answers.add(describe(check.check(token)));
                    }
                    return answers;
                }));
            }
            for (int caller = 0; caller < 32; caller++) {
                String expected = caller % 4 == 3
                        ? "refused INVALID"
                        : switch (caller % 3) {
                            case 0 -> "accepted " + live.person().email() + " ADMIN";
                            case 1 -> "accepted " + member.person().email() + " WRITE";
                            default -> "refused REVOKED";
                        };
                assertThat(callers.get(caller).get(60, TimeUnit.SECONDS))
                        .as("caller %d", caller)
                        .hasSize(rounds)
                        .containsOnly(expected);
            }
        }
        assertThat(statements.get()).as("statements for %d checks", 32 * rounds).isBetween(1, 32 * rounds - 1);
    }

    @Test
    void check_connectionRowLockedByAnotherTransaction_answersAndItsStampSkipsTheRow() throws Exception {
        Connected held = connect(Role.OWNER);
        Connected other = connect(Role.OWNER);
        UUID heldConnection = connectionId(held);
        UUID otherConnection = connectionId(other);
        awaitStamped(heldConnection);
        awaitStamped(otherConnection);
        jdbi.useHandle(h -> h.execute(
                "UPDATE connections SET last_used_at = NULL WHERE id IN (?, ?)", heldConnection, otherConnection));
        TokenCheck check = new TokenCheck(jdbi, app.settings().mcpResource(), true);

        try (var holder = jdbi.open();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            holder.begin();
            holder.execute("SELECT id FROM connections WHERE id = ? FOR UPDATE", heldConnection);

            try {
                Future<TokenCheck.Result> result =
                        threads.submit(() -> check.check(held.tokens().accessToken()));
                assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(TokenCheck.Accepted.class);
                // One stamp is written at a time. Had the held row's stamp waited for the lock, it would still be
                // writing, and the other connection's stamp would be skipped check after check.
                awaitStampAfter(
                        otherConnection,
                        Instant.EPOCH,
                        () -> check.check(other.tokens().accessToken()));
                assertThat(lastUsed(heldConnection)).as("stamp of the held row").isEmpty();
            } finally {
                holder.rollback();
            }
        }
        awaitStampAfter(
                heldConnection, Instant.EPOCH, () -> check.check(held.tokens().accessToken()));
    }

    @Test
    void check_connectionUnusedFor30Seconds_isStampedSoonAfter() {
        Connected c = connect(Role.OWNER);
        UUID connection = connectionId(c);
        Instant stale = backdateStamp(connection, 31);

        assertThat(app.tokenCheck().check(c.tokens().accessToken())).isInstanceOf(TokenCheck.Accepted.class);

        awaitStampAfter(connection, stale);
    }

    @Test
    void check_connectionUsedWithin30Seconds_isNotStampedAgain() throws Exception {
        Connected c = connect(Role.OWNER);
        UUID connection = connectionId(c);
        Instant recent = backdateStamp(connection, 20);
        AtomicInteger statements = new AtomicInteger();
        TokenCheck check =
                new TokenCheck(countingJdbi(statements), app.settings().mcpResource(), true);

        assertThat(check.check(c.tokens().accessToken())).isInstanceOf(TokenCheck.Accepted.class);
        // A stamp would follow the answer within milliseconds.
        Thread.sleep(300);

        assertThat(statements.get()).as("statements: the lookup and no stamp").isEqualTo(1);
        assertThat(lastUsed(connection)).contains(recent);
    }

    @Test
    void check_revokedConnectionUnusedFor30Seconds_isRefusedAndNotStamped() throws Exception {
        Connected c = connect(Role.OWNER);
        UUID connection = connectionId(c);
        awaitStamped(connection);
        new ConnectionStore(jdbi).revokeByUser(c.person().id(), connection);
        Instant stale = backdateStamp(connection, 31);
        AtomicInteger statements = new AtomicInteger();
        TokenCheck check =
                new TokenCheck(countingJdbi(statements), app.settings().mcpResource(), true);

        assertThat(check.check(c.tokens().accessToken())).isInstanceOf(Refused.class);
        Thread.sleep(300);

        assertThat(statements.get()).as("statements: the lookup and no stamp").isEqualTo(1);
        assertThat(lastUsed(connection)).contains(stale);
    }

    private Optional<Instant> lastUsed(UUID connection) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_used_at FROM connections WHERE id = :id")
                .bind("id", connection)
                .mapTo(Instant.class)
                .findOne());
    }

    /** Waits for the connection's first stamp, then sets it {@code seconds} back; returns the stored stamp. */
    private Instant backdateStamp(UUID connection, int seconds) {
        awaitStamped(connection);
        jdbi.useHandle(h -> h.execute(
                "UPDATE connections SET last_used_at = now() - make_interval(secs => ?) WHERE id = ?",
                seconds,
                connection));
        return lastUsed(connection).orElseThrow();
    }

    /** Waits for the stamp a check writes beside its answer. */
    private void awaitStamped(UUID connection) {
        awaitStampAfter(connection, Instant.EPOCH, () -> {});
    }

    private void awaitStampAfter(UUID connection, Instant previous) {
        awaitStampAfter(connection, previous, () -> {});
    }

    /** Waits for a stamp later than {@code previous}, running {@code meanwhile} before each look. */
    private void awaitStampAfter(UUID connection, Instant previous, Runnable meanwhile) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lastUsed(connection).filter(stamp -> stamp.isAfter(previous)).isEmpty()) {
            assertThat(System.nanoTime()).as("stamped within 10 s").isLessThan(deadline);
            meanwhile.run();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String describe(TokenCheck.Result result) {
        return switch (result) {
            case TokenCheck.Accepted a ->
                "accepted " + a.principal().userEmail() + " " + a.principal().scope();
            case Refused r -> "refused " + r.reason();
        };
    }

    private Jdbi countingJdbi(AtomicInteger statements) {
        Jdbi counting = Jdbi.create(app.database().dataSource()).installPlugin(new PostgresPlugin());
        counting.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        return counting;
    }

    private Connected connect(Role role) {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        User person = role == Role.OWNER ? owner : TestData.member(app, workspace, role);
        OAuthFlow flow = new OAuthFlow();
        OAuthFlow.Tokens tokens = flow.connect(person.email(), TestData.PASSWORD, workspace.id(), "timether:admin");
        assertThat(app.tokenCheck().check(tokens.accessToken())).isInstanceOf(TokenCheck.Accepted.class);
        return new Connected(person, workspace, flow, tokens);
    }

    private UUID connectionId(Connected c) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM connections WHERE client_id = :c")
                .bind("c", c.flow().clientId())
                .mapTo(UUID.class)
                .one());
    }

    private void assertRefused(Connected c, Reason reason, String description) {
        assertThat(app.tokenCheck().check(c.tokens().accessToken())).isEqualTo(new Refused(reason, description));
    }
}
