package com.timether.oauth.token;

import static com.timether.oauth.token.TokenEndpointAttackTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Scope;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.oauth.check.TokenCheck;
import com.timether.testing.OAuthFlow;
import com.timether.testing.OAuthRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceStatus;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The refresh token grant from the attacker's side: bound to its client and resource, rotated on every use, a reused
 * token revokes the connection, and scopes only narrow.
 */
class RefreshTokenAttackTest {
    private final Application app = TestServer.app();
    private User person;
    private Workspace workspace;
    private OAuthFlow flow;

    @BeforeEach
    void createPerson() {
        person = TestData.user(app);
        workspace = TestData.workspace(app, person, Plan.TEAM);
        flow = new OAuthFlow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/mcp", "/mcp/", "/"})
    void refresh_wrongResource_isRefusedInvalidTargetAndIssuesNothing(String resource) {
        OAuthFlow.Tokens tokens = connect("timether:write");
        long before = OAuthRows.of(person.id()).tokens();
        Map<String, String> params = flow.refreshParams(tokens.refreshToken());
        params.put("resource", resource.startsWith("/") ? TestServer.baseUrl() + resource : resource);

        assertError(flow.token(params), 400, "invalid_target");
        assertThat(OAuthRows.of(person.id()).tokens()).isEqualTo(before);
    }

    @Test
    void refresh_rightResource_rotatesTheToken() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        Map<String, String> params = flow.refreshParams(tokens.refreshToken());
        params.put("resource", TestServer.baseUrl() + "/mcp");

        HttpResponse<String> response = flow.token(params);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(OAuthFlow.json(response).get("refresh_token").asString()).isNotEqualTo(tokens.refreshToken());
        assertThat(OAuthFlow.json(response).get("scope").asString()).isEqualTo("timether:read timether:write");
    }

    @Test
    void refresh_rotatedTokenReused_revokesTheWholeConnection() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        HttpResponse<String> rotated = flow.token(flow.refreshParams(tokens.refreshToken()));
        String newRefresh = OAuthFlow.json(rotated).get("refresh_token").asString();

        HttpResponse<String> reused = flow.token(flow.refreshParams(tokens.refreshToken()));

        assertThat(rotated.statusCode()).isEqualTo(200);
        assertError(reused, 400, "invalid_grant");
        assertError(flow.token(flow.refreshParams(newRefresh)), 400, "invalid_grant");
        String newAccess = OAuthFlow.json(rotated).get("access_token").asString();
        assertThat(app.tokenCheck().check(newAccess))
                .isInstanceOfSatisfying(
                        TokenCheck.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(TokenCheck.Reason.REVOKED));
        OAuthRows rows = OAuthRows.of(person.id());
        assertThat(rows.liveConnections()).isZero();
        assertThat(rows.liveTokens()).isZero();
    }

    @Test
    void refresh_byAnotherClient_isRefusedAndTheOwnerCanStillRefresh() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        OAuthFlow thief = new OAuthFlow();

        HttpResponse<String> stolen = thief.token(thief.refreshParams(tokens.refreshToken()));

        assertError(stolen, 400, "invalid_grant");
        assertThat(flow.token(flow.refreshParams(tokens.refreshToken())).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"timether:write", "timether:admin", "timether:read timether:write"})
    void refresh_widerScope_isRefusedInvalidScope(String scope) {
        OAuthFlow.Tokens tokens = connect("timether:read");
        Map<String, String> params = flow.refreshParams(tokens.refreshToken());
        params.put("scope", scope);

        assertError(flow.token(params), 400, "invalid_scope");
        assertThat(OAuthRows.of(person.id()).tokens()).isEqualTo(2);
    }

    @Test
    void refresh_unknownScope_isRefusedInvalidScope() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        Map<String, String> params = flow.refreshParams(tokens.refreshToken());
        params.put("scope", "timether:root");

        assertError(flow.token(params), 400, "invalid_scope");
    }

    @Test
    void refresh_narrowerScope_issuesNarrowerTokensThatCannotWidenAgain() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        Map<String, String> narrow = flow.refreshParams(tokens.refreshToken());
        narrow.put("scope", "timether:read");

        HttpResponse<String> narrowed = flow.token(narrow);

        assertThat(narrowed.statusCode()).isEqualTo(200);
        assertThat(OAuthFlow.json(narrowed).get("scope").asString()).isEqualTo("timether:read");
        String access = OAuthFlow.json(narrowed).get("access_token").asString();
        assertThat(app.tokenCheck().check(access))
                .isInstanceOfSatisfying(
                        TokenCheck.Accepted.class,
                        accepted -> assertThat(accepted.principal().scope()).isEqualTo(Scope.READ));
        Map<String, String> widen =
                flow.refreshParams(OAuthFlow.json(narrowed).get("refresh_token").asString());
        widen.put("scope", "timether:write");
        assertError(flow.token(widen), 400, "invalid_scope");
    }

    @Test
    void refresh_workspaceSuspended_isRefusedAndIssuesNothing() {
        OAuthFlow.Tokens tokens = connect("timether:write");
        app.workspaces().setStatus(workspace.id(), WorkspaceStatus.SUSPENDED, Actor.operator());
        long before = OAuthRows.of(person.id()).tokens();

        assertError(flow.token(flow.refreshParams(tokens.refreshToken())), 400, "invalid_grant");
        assertThat(OAuthRows.of(person.id()).tokens()).isEqualTo(before);
    }

    @Test
    void refresh_accessTokenInsteadOfRefreshToken_isRefused() {
        OAuthFlow.Tokens tokens = connect("timether:write");

        assertError(flow.token(flow.refreshParams(tokens.accessToken())), 400, "invalid_grant");
    }

    private OAuthFlow.Tokens connect(String scope) {
        return flow.connect(person.email(), TestData.PASSWORD, workspace.id(), scope);
    }
}
