package com.timether.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.oauth.check.TokenCheck;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthFlowTest {
    private final Application app = TestServer.app();

    @Test
    void connect_teamWorkspace_issuesTokensTheCheckAccepts() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        OAuthFlow flow = new OAuthFlow();

        OAuthFlow.Tokens tokens = flow.connect(owner.email(), TestData.PASSWORD, workspace.id(), "timether:admin");

        assertThat(tokens.scope()).isEqualTo("timether:read timether:write timether:admin");
        TokenCheck.Result result = app.tokenCheck().check(tokens.accessToken());
        assertThat(result).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(((TokenCheck.Accepted) result).principal().workspace().id()).isEqualTo(workspace.id());
    }

    @Test
    void connect_memberAsksAdmin_getsWriteAtMost() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
        User member = TestData.member(app, workspace, Role.MEMBER);

        OAuthFlow.Tokens tokens =
                new OAuthFlow().connect(member.email(), TestData.PASSWORD, workspace.id(), "timether:admin");

        assertThat(tokens.scope()).isEqualTo("timether:read timether:write");
    }

    @Test
    void refresh_rotatedTokenReused_revokesConnection() {
        User owner = TestData.user(app);
        Workspace workspace = TestData.workspace(app, owner, Plan.BUSINESS);
        OAuthFlow flow = new OAuthFlow();
        OAuthFlow.Tokens tokens = flow.connect(owner.email(), TestData.PASSWORD, workspace.id(), "timether:read");

        HttpResponse<String> first = flow.token(Map.of(
                "grant_type", "refresh_token", "refresh_token", tokens.refreshToken(), "client_id", flow.clientId()));
        HttpResponse<String> reused = flow.token(Map.of(
                "grant_type", "refresh_token", "refresh_token", tokens.refreshToken(), "client_id", flow.clientId()));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(reused).get("error").asString()).isEqualTo("invalid_grant");
        String newAccess = OAuthFlow.json(first).get("access_token").asString();
        assertThat(app.tokenCheck().check(newAccess))
                .isEqualTo(new TokenCheck.Refused(
                        TokenCheck.Reason.REVOKED, "The connection was revoked; connect again."));
    }
}
