package com.timether.oauth.revoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.oauth.check.TokenCheck;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.OAuthFlow;
import com.timether.testing.OAuthRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token revocation (RFC 7009): what each kind of token ends, and that one client cannot end another's tokens. */
class RevocationEndpointTest {
    private final Application app = TestServer.app();
    private User person;
    private OAuthFlow flow;
    private OAuthFlow.Tokens tokens;

    @BeforeEach
    void connect() {
        person = TestData.user(app);
        Workspace workspace = TestData.workspace(app, person, Plan.TEAM);
        flow = new OAuthFlow();
        tokens = flow.connect(person.email(), TestData.PASSWORD, workspace.id(), "timether:write");
    }

    @Test
    void revoke_refreshToken_endsTheWholeConnection() {
        HttpResponse<String> response = revoke(flow, tokens.refreshToken());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(reasonOf(tokens.accessToken())).isEqualTo(TokenCheck.Reason.REVOKED);
        HttpResponse<String> refresh = flow.token(flow.refreshParams(tokens.refreshToken()));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(refresh).get("error").asString()).isEqualTo("invalid_grant");
        OAuthRows rows = OAuthRows.of(person.id());
        assertThat(rows.liveConnections()).isZero();
        assertThat(rows.liveTokens()).isZero();
    }

    @Test
    void revoke_accessToken_endsOnlyThatToken() {
        HttpResponse<String> response = revoke(flow, tokens.accessToken());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(reasonOf(tokens.accessToken())).isEqualTo(TokenCheck.Reason.REVOKED);
        HttpResponse<String> refresh = flow.token(flow.refreshParams(tokens.refreshToken()));
        assertThat(refresh.statusCode()).isEqualTo(200);
        String newAccess = OAuthFlow.json(refresh).get("access_token").asString();
        assertThat(app.tokenCheck().check(newAccess)).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(OAuthRows.of(person.id()).liveConnections()).isEqualTo(1);
    }

    @Test
    void revoke_tokenOfAnotherClient_isRefusedInvalidClientAndTheTokenStaysLive() {
        OAuthFlow other = new OAuthFlow();

        HttpResponse<String> byRefresh = revoke(other, tokens.refreshToken());
        HttpResponse<String> byAccess = revoke(other, tokens.accessToken());

        assertThat(byRefresh.statusCode()).isEqualTo(401);
        assertThat(OAuthFlow.json(byRefresh).get("error").asString()).isEqualTo("invalid_client");
        assertThat(OAuthFlow.json(byAccess).get("error").asString()).isEqualTo("invalid_client");
        assertThat(app.tokenCheck().check(tokens.accessToken())).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(OAuthRows.of(person.id()).liveTokens()).isEqualTo(2);
    }

    @Test
    void revoke_unknownToken_answers200AndChangesNothing() {
        HttpResponse<String> response = revoke(flow, "ttr_" + Secrets.random(32));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(OAuthRows.of(person.id()).liveTokens()).isEqualTo(2);
    }

    @Test
    void revoke_bodyThatIsNotAForm_isRefusedAndChangesNothing() {
        HttpResponse<String> response = flow.post(
                "/oauth/revoke",
                "application/json",
                "{\"token\":\"" + tokens.refreshToken() + "\",\"client_id\":\"" + flow.clientId() + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(response).get("error").asString()).isEqualTo("invalid_request");
        assertThat(OAuthRows.of(person.id()).liveTokens()).isEqualTo(2);
    }

    private static HttpResponse<String> revoke(OAuthFlow client, String token) {
        return client.post(
                "/oauth/revoke",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of("token", token, "client_id", client.clientId())));
    }

    private TokenCheck.Reason reasonOf(String accessToken) {
        TokenCheck.Result result = app.tokenCheck().check(accessToken);
        assertThat(result).isInstanceOf(TokenCheck.Refused.class);
        return ((TokenCheck.Refused) result).reason();
    }
}
