package com.timether.oauth.authorize;

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
import com.timether.audit.AuditLog.Actor;
import com.timether.member.MemberStatus;
import com.timether.oauth.check.TokenCheck;
import com.timether.testing.OAuthFlow;
import com.timether.testing.OAuthRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceStatus;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The consent decision from the attacker's side: forged or cross-person submissions, workspaces the person may not
 * connect, and scopes above the person's role. A refused decision never yields a code.
 */
class ConsentAttackTest {
    private final Application app = TestServer.app();

    @Test
    void consent_withoutCsrf_isForbiddenAndIssuesNoCode() {
        User person = TestData.user(app);
        Workspace workspace = TestData.workspace(app, person, Plan.TEAM);
        OAuthFlow flow = signedIn(person);
        String page = consentPage(flow);

        HttpResponse<String> response = flow.post(
                "/oauth/consent",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "request",
                        OAuthFlow.field(page, "request"),
                        "workspace",
                        workspace.id().toString(),
                        "decision",
                        "approve")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(OAuthRows.of(person.id()).codes()).isZero();
    }

    @Test
    void consent_withCsrfOfAttackersSession_isForbiddenAndIssuesNoCode() {
        User victim = TestData.user(app);
        Workspace workspace = TestData.workspace(app, victim, Plan.TEAM);
        OAuthFlow victimFlow = signedIn(victim);
        String victimPage = consentPage(victimFlow);
        User attacker = TestData.user(app);
        TestData.workspace(app, attacker, Plan.TEAM);
        String attackerCsrf = OAuthFlow.field(consentPage(signedIn(attacker)), "csrf");

        HttpResponse<String> response = victimFlow.post(
                "/oauth/consent",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "csrf",
                        attackerCsrf,
                        "request",
                        OAuthFlow.field(victimPage, "request"),
                        "workspace",
                        workspace.id().toString(),
                        "decision",
                        "approve")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(OAuthRows.of(victim.id()).codes()).isZero();
    }

    @Test
    void consent_requestOfAnotherPerson_isRefusedAndIssuesNoCode() {
        User victim = TestData.user(app);
        TestData.workspace(app, victim, Plan.TEAM);
        String victimRequest = OAuthFlow.field(consentPage(signedIn(victim)), "request");
        User attacker = TestData.user(app);
        Workspace attackersWorkspace = TestData.workspace(app, attacker, Plan.TEAM);
        OAuthFlow attackerFlow = signedIn(attacker);
        String attackerPage = consentPage(attackerFlow);

        HttpResponse<String> response = attackerFlow.post(
                "/oauth/consent",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "csrf",
                        OAuthFlow.field(attackerPage, "csrf"),
                        "request",
                        victimRequest,
                        "workspace",
                        attackersWorkspace.id().toString(),
                        "decision",
                        "approve")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(OAuthRows.of(victim.id()).codes()).isZero();
        assertThat(OAuthRows.of(attacker.id()).codes()).isZero();
    }

    @Test
    void consent_workspaceThePersonDoesNotBelongTo_showsErrorAndIssuesNoCode() {
        User person = TestData.user(app);
        TestData.workspace(app, person, Plan.TEAM);
        Workspace foreign = TestData.workspace(app, TestData.user(app), Plan.BUSINESS);
        OAuthFlow flow = signedIn(person);

        HttpResponse<String> response =
                flow.decide(consentPage(flow), foreign.id().toString(), "approve");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(alert(response.body())).contains("Choose one workspace for this connection.");
        assertThat(response.body()).doesNotContain(foreign.name());
        assertThat(OAuthRows.of(person.id()).codes()).isZero();
    }

    @Test
    void consent_approvedTwice_secondIsRefusedAndOneCodeIssued() {
        User person = TestData.user(app);
        Workspace workspace = TestData.workspace(app, person, Plan.TEAM);
        OAuthFlow flow = signedIn(person);
        String page = consentPage(flow);

        HttpResponse<String> first = flow.decide(page, workspace.id().toString(), "approve");
        HttpResponse<String> second = flow.decide(page, workspace.id().toString(), "approve");

        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.headers().firstValue("Location")).isEmpty();
        assertThat(OAuthRows.of(person.id()).codes()).isEqualTo(1);
    }

    @Test
    void consent_denied_redirectsAccessDeniedAndIssuesNothing() {
        User person = TestData.user(app);
        Workspace workspace = TestData.workspace(app, person, Plan.TEAM);
        OAuthFlow flow = signedIn(person);

        HttpResponse<String> response =
                flow.decide(consentPage(flow), workspace.id().toString(), "deny");

        Map<String, String> query =
                OAuthFlow.query(response.headers().firstValue("Location").orElseThrow());
        assertThat(query).containsEntry("error", "access_denied").doesNotContainKey("code");
        assertThat(query).containsEntry("iss", TestServer.baseUrl());
        OAuthRows rows = OAuthRows.of(person.id());
        assertThat(rows.codes()).isZero();
        assertThat(rows.pendingRequests()).isZero();
    }

    /** Each way a workspace can be unusable through MCP, and the reason the consent page gives. */
    enum Ineligible {
        FREE_PLAN,
        SOLO_PRO_PLAN,
        API_ACCESS_WITHHELD,
        SUSPENDED,
        CLOSED,
        UNPAID,
        CANCELED,
        MEMBERSHIP_INACTIVE,
        MCP_SWITCHED_OFF;

        /** Makes {@code workspace} ineligible for {@code person}; returns the reason to expect. */
        String apply(Application app, Workspace workspace, User person) {
            String name = workspace.name();
            var workspaces = app.workspaces();
            UUID id = workspace.id();
            return switch (this) {
                case FREE_PLAN -> {
                    workspaces.setPlan(id, Plan.FREE, Actor.operator());
                    yield "The free plan of " + name + " does not include API access (team or business plan needed).";
                }
                case SOLO_PRO_PLAN -> {
                    workspaces.setPlan(id, Plan.SOLO_PRO, Actor.operator());
                    yield "The solo_pro plan of " + name
                            + " does not include API access (team or business plan needed).";
                }
                case API_ACCESS_WITHHELD -> {
                    workspaces.setEntitlementOverride(
                            id, Entitlement.PUBLIC_API_ACCESS, Optional.of(false), Actor.operator());
                    yield "API access is turned off for " + name + " by an override of its team plan.";
                }
                case SUSPENDED -> {
                    workspaces.setStatus(id, WorkspaceStatus.SUSPENDED, Actor.operator());
                    yield name + " is suspended.";
                }
                case CLOSED -> {
                    workspaces.setStatus(id, WorkspaceStatus.CLOSED, Actor.operator());
                    yield name + " is closed.";
                }
                case UNPAID -> {
                    workspaces.setBillingState(id, BillingState.UNPAID, Actor.operator());
                    yield name + " cannot be used while its billing state is unpaid.";
                }
                case CANCELED -> {
                    workspaces.setBillingState(id, BillingState.CANCELED, Actor.operator());
                    yield name + " cannot be used while its billing state is canceled.";
                }
                case MEMBERSHIP_INACTIVE -> {
                    UUID member = app.members()
                            .findByUser(id, person.id())
                            .orElseThrow()
                            .id();
                    app.members().setStatus(id, member, MemberStatus.INACTIVE, Actor.operator());
                    yield "Your membership in " + name + " is inactive.";
                }
                case MCP_SWITCHED_OFF -> {
                    workspaces.setCapability(id, Capability.MCP, false, Actor.operator());
                    yield "An admin switched MCP access off for " + name + ".";
                }
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Ineligible.class)
    void consent_ineligibleWorkspace_isDisabledWithReasonAndApprovalIssuesNoCode(Ineligible kind) {
        User person = TestData.user(app);
        Workspace workspace = TestData.workspace(app, TestData.user(app), Plan.TEAM);
        app.members().add(workspace.id(), person.email(), Role.MANAGER, Actor.operator());
        String reason = kind.apply(app, workspace, person);
        OAuthFlow flow = signedIn(person);
        String page = consentPage(flow);

        HttpResponse<String> response = flow.decide(page, workspace.id().toString(), "approve");

        assertThat(radio(page, workspace.id())).contains(" disabled");
        assertThat(page).contains(reason);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(alert(response.body())).isEqualTo(workspace.name() + " cannot be connected: " + reason);
        assertThat(OAuthRows.of(person.id()).codes()).isZero();
    }

    @Test
    void consent_pastDueWorkspace_isEligibleButOnlyReadsAreAllowed() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        app.workspaces().setBillingState(workspace.id(), BillingState.PAST_DUE, Actor.operator());
        OAuthFlow flow = new OAuthFlow();

        OAuthFlow.Tokens tokens = flow.connect(owner.email(), TestData.PASSWORD, workspace.id(), "timether:admin");

        TokenCheck.Result result = app.tokenCheck().check(tokens.accessToken());
        assertThat(result).isInstanceOf(TokenCheck.Accepted.class);
        var context = ((TokenCheck.Accepted) result).principal().accessContext();
        assertThat(AccessPolicy.decide(Requirement.of(Scope.READ, Role.MEMBER), context))
                .isInstanceOf(AccessDecision.Allowed.class);
        assertThat(AccessPolicy.decide(Requirement.of(Scope.WRITE, Role.MEMBER), context))
                .isInstanceOfSatisfying(
                        AccessDecision.Denied.class,
                        denied -> assertThat(denied.reason()).isEqualTo(AccessDecision.Reason.BILLING_READ_ONLY));
    }

    @Test
    void consent_memberAsksAdmin_grantsWriteAtMostAndRefreshCannotWidenIt() {
        Workspace workspace = TestData.workspace(app, TestData.user(app), Plan.TEAM);
        User member = TestData.member(app, workspace, Role.MEMBER);
        OAuthFlow flow = signedIn(member);
        String verifier = OAuthFlow.verifier();
        String url = flow.authorizeUrl("timether:admin", OAuthFlow.challenge(verifier));
        String page = flow.get(url).body();

        String code = OAuthFlow.query(flow.decide(page, workspace.id().toString(), "approve")
                        .headers()
                        .firstValue("Location")
                        .orElseThrow())
                .get("code");
        OAuthFlow.Tokens tokens = flow.exchange(code, verifier);
        HttpResponse<String> widened =
                flow.token(with(flow.refreshParams(tokens.refreshToken()), "scope", "timether:admin"));

        assertThat(page).contains("grants read and write").doesNotContain("grants read, write and admin");
        assertThat(tokens.scope()).isEqualTo("timether:read timether:write");
        String stored = app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT scope FROM connections WHERE client_id = :c")
                        .bind("c", flow.clientId())
                        .mapTo(String.class)
                        .one());
        assertThat(stored).isEqualTo("timether:read timether:write");
        assertThat(widened.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(widened).get("error").asString()).isEqualTo("invalid_scope");
    }

    private static OAuthFlow signedIn(User person) {
        OAuthFlow flow = new OAuthFlow();
        flow.signIn(person.email(), TestData.PASSWORD);
        return flow;
    }

    private static String consentPage(OAuthFlow flow) {
        HttpResponse<String> page =
                flow.get(flow.authorizeUrl("timether:write", OAuthFlow.challenge(OAuthFlow.verifier())));
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private static Map<String, String> with(Map<String, String> params, String name, String value) {
        params.put(name, value);
        return params;
    }

    private static String radio(String page, UUID workspaceId) {
        Matcher m = Pattern.compile("<input[^>]*id=\"ws-" + workspaceId + "\"[^>]*>")
                .matcher(page);
        assertThat(m.find()).as("radio button of workspace %s", workspaceId).isTrue();
        return m.group();
    }

    private static String alert(String page) {
        Matcher m = Pattern.compile("role=\"alert\">([^<]*)<").matcher(page);
        assertThat(m.find()).as("an alert in the page").isTrue();
        return m.group(1);
    }
}
