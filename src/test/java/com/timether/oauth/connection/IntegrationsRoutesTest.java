package com.timether.oauth.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.oauth.check.TokenCheck;
import com.timether.testing.OAuthFlow;
import com.timether.testing.OAuthRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Revoking on Integrations from the attacker's side: a forged form or someone else's connection changes nothing. */
class IntegrationsRoutesTest {
    private final Application app = TestServer.app();

    @Test
    void revoke_withoutCsrf_isForbiddenAndTheConnectionStaysLive() {
        User person = TestData.user(app);
        OAuthFlow flow = new OAuthFlow();
        OAuthFlow.Tokens tokens = connect(flow, person);
        UUID connection = connectionOf(flow);

        HttpResponse<String> response = flow.post(
                "/account/integrations/revoke",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of("connection", connection.toString())));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(app.tokenCheck().check(tokens.accessToken())).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(OAuthRows.of(person.id()).liveConnections()).isEqualTo(1);
    }

    @Test
    void revoke_withWrongCsrf_isForbiddenAndTheConnectionStaysLive() {
        User person = TestData.user(app);
        OAuthFlow flow = new OAuthFlow();
        OAuthFlow.Tokens tokens = connect(flow, person);
        UUID connection = connectionOf(flow);

        HttpResponse<String> response = flow.post(
                "/account/integrations/revoke",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of("csrf", "forged-" + UUID.randomUUID(), "connection", connection.toString())));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(app.tokenCheck().check(tokens.accessToken())).isInstanceOf(TokenCheck.Accepted.class);
    }

    @Test
    void revoke_connectionOfAnotherPerson_isNotFoundAndTheConnectionStaysLive() {
        User victim = TestData.user(app);
        OAuthFlow victimFlow = new OAuthFlow();
        OAuthFlow.Tokens victimTokens = connect(victimFlow, victim);
        User attacker = TestData.user(app);
        OAuthFlow attackerFlow = new OAuthFlow();
        connect(attackerFlow, attacker);
        String attackerPage = attackerFlow.get("/account/integrations").body();

        HttpResponse<String> response = attackerFlow.post(
                "/account/integrations/revoke",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "csrf",
                        OAuthFlow.field(attackerPage, "csrf"),
                        "connection",
                        connectionOf(victimFlow).toString())));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(app.tokenCheck().check(victimTokens.accessToken())).isInstanceOf(TokenCheck.Accepted.class);
        assertThat(OAuthRows.of(victim.id()).liveConnections()).isEqualTo(1);
    }

    @Test
    void revoke_ownConnectionWithCsrf_endsItsTokens() {
        User person = TestData.user(app);
        OAuthFlow flow = new OAuthFlow();
        OAuthFlow.Tokens tokens = connect(flow, person);
        String page = flow.get("/account/integrations").body();

        HttpResponse<String> response = flow.post(
                "/account/integrations/revoke",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "csrf",
                        OAuthFlow.field(page, "csrf"),
                        "connection",
                        connectionOf(flow).toString())));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(app.tokenCheck().check(tokens.accessToken()))
                .isEqualTo(new TokenCheck.Refused(
                        TokenCheck.Reason.REVOKED, "The connection was revoked; connect again."));
        assertThat(flow.get("/account/integrations").body()).contains("No application is connected.");
    }

    private static OAuthFlow.Tokens connect(OAuthFlow flow, User person) {
        Workspace workspace = TestData.workspace(TestServer.app(), person, Plan.TEAM);
        return flow.connect(person.email(), TestData.PASSWORD, workspace.id(), "timether:write");
    }

    private UUID connectionOf(OAuthFlow flow) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT id FROM connections WHERE client_id = :c")
                        .bind("c", flow.clientId())
                        .mapTo(UUID.class)
                        .one());
    }
}
