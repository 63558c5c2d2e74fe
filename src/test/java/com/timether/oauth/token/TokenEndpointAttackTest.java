package com.timether.oauth.token;

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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The authorization code grant from the attacker's side: a code is redeemed once, by its client, with its verifier,
 * redirect URI and resource; a failed attempt burns it, and a replay revokes what it issued.
 */
class TokenEndpointAttackTest {
    private final Application app = TestServer.app();
    private User person;
    private Workspace workspace;
    private OAuthFlow flow;

    @BeforeEach
    void signIn() {
        person = TestData.user(app);
        workspace = TestData.workspace(app, person, Plan.TEAM);
        flow = new OAuthFlow();
        flow.signIn(person.email(), TestData.PASSWORD);
    }

    @Test
    void exchange_wrongVerifier_isRefusedAndBurnsTheCode() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);

        HttpResponse<String> wrong = flow.token(flow.exchangeParams(code, OAuthFlow.verifier()));
        HttpResponse<String> right = flow.token(flow.exchangeParams(code, verifier));

        assertError(wrong, 400, "invalid_grant");
        assertError(right, 400, "invalid_grant");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
        assertThat(OAuthRows.of(person.id()).liveCodes()).isZero();
    }

    @Test
    void exchange_withoutVerifier_isRefusedAndIssuesNothing() {
        String code = code(OAuthFlow.verifier());
        Map<String, String> params = flow.exchangeParams(code, "unused");
        params.remove("code_verifier");

        assertError(flow.token(params), 400, "invalid_request");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @Test
    void exchange_replayedCode_isRefusedAndRevokesTheFirstTokens() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        OAuthFlow.Tokens first = flow.exchange(code, verifier);

        HttpResponse<String> replay = flow.token(flow.exchangeParams(code, verifier));

        assertError(replay, 400, "invalid_grant");
        assertThat(app.tokenCheck().check(first.accessToken()))
                .isInstanceOfSatisfying(
                        TokenCheck.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(TokenCheck.Reason.REVOKED));
        assertError(flow.token(flow.refreshParams(first.refreshToken())), 400, "invalid_grant");
        OAuthRows rows = OAuthRows.of(person.id());
        assertThat(rows.connections()).isEqualTo(1);
        assertThat(rows.liveConnections()).isZero();
        assertThat(rows.liveTokens()).isZero();
    }

    @Test
    void exchange_codeOfAnotherClient_isRefusedAndIssuesNothing() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        OAuthFlow thief = new OAuthFlow();

        HttpResponse<String> stolen = thief.token(thief.exchangeParams(code, verifier));

        assertError(stolen, 400, "invalid_grant");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @Test
    void exchange_otherRedirectUri_isRefusedAndIssuesNothing() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        Map<String, String> params = flow.exchangeParams(code, verifier);
        // Another loopback port would pass at the authorization endpoint; the exchange must match exactly.
        params.put("redirect_uri", "http://127.0.0.1:10/callback");

        assertError(flow.token(params), 400, "invalid_grant");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/mcp", "/mcp/", "/"})
    void exchange_wrongResource_isRefusedInvalidTarget(String resource) {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        Map<String, String> params = flow.exchangeParams(code, verifier);
        params.put("resource", resource.startsWith("/") ? TestServer.baseUrl() + resource : resource);

        assertError(flow.token(params), 400, "invalid_target");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @Test
    void exchange_expiredCode_isRefusedAndIssuesNothing() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        app.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE authorization_codes SET expires_at = now() - interval '1 second'"
                                + " WHERE code_hash = :hash")
                        .bind("hash", Secrets.hash(code))
                        .execute());

        assertError(flow.token(flow.exchangeParams(code, verifier)), 400, "invalid_grant");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @Test
    void exchange_unknownCode_isRefused() {
        assertError(
                flow.token(flow.exchangeParams("ttc_" + Secrets.random(32), OAuthFlow.verifier())),
                400,
                "invalid_grant");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "multipart/form-data; boundary=x", ""})
    void token_bodyThatIsNotAForm_isRefusedInvalidRequest(String contentType) {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/oauth/token"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        contentType.equals("application/json")
                                ? "{\"grant_type\":\"authorization_code\",\"code\":\"" + code + "\"}"
                                : OAuthFlow.form(flow.exchangeParams(code, verifier))));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }

        assertError(flow.send(request), 400, "invalid_request");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "password",
                "client_credentials",
                "implicit",
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "urn:ietf:params:oauth:grant-type:device_code",
                "AUTHORIZATION_CODE"
            })
    void token_unknownGrantType_isRefusedUnsupportedGrantType(String grantType) {
        String verifier = OAuthFlow.verifier();
        Map<String, String> params = flow.exchangeParams(code(verifier), verifier);
        params.put("grant_type", grantType);

        assertError(flow.token(params), 400, "unsupported_grant_type");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type", "code", "client_id", "redirect_uri", "code_verifier", "resource"})
    void token_repeatedParameter_isRefusedInvalidRequest(String name) {
        String verifier = OAuthFlow.verifier();
        Map<String, String> params = flow.exchangeParams(code(verifier), verifier);
        String body = OAuthFlow.form(params) + "&" + OAuthFlow.form(Map.of(name, params.get(name)));

        HttpResponse<String> response = flow.post("/oauth/token", "application/x-www-form-urlencoded", body);

        assertError(response, 400, "invalid_request");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    @Test
    void token_withClientAuthentication_isRefusedInvalidClient() {
        String verifier = OAuthFlow.verifier();
        String code = code(verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic dG1jOnNlY3JldA==")
                .POST(HttpRequest.BodyPublishers.ofString(OAuthFlow.form(flow.exchangeParams(code, verifier))));

        assertError(flow.send(request), 401, "invalid_client");
        assertThat(OAuthRows.of(person.id()).isNothingIssued()).isTrue();
    }

    private String code(String verifier) {
        return flow.approve(workspace.id(), flow.authorizeUrl("timether:write", OAuthFlow.challenge(verifier)));
    }

    static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(OAuthFlow.json(response).get("error").asString()).isEqualTo(error);
        assertThat(OAuthFlow.json(response).has("access_token")).isFalse();
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }
}
