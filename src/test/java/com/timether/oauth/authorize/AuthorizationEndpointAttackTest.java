package com.timether.oauth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.testing.OAuthFlow;
import com.timether.testing.OAuthRows;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malicious or broken authorization requests, sent with a signed-in person's browser: a request whose redirect URI
 * is not trusted is answered on a page and never redirected; any other refusal goes back to the client with its
 * RFC 6749 error code, and nothing is waiting for consent.
 */
class AuthorizationEndpointAttackTest {
    private final Application app = TestServer.app();
    private User person;
    private OAuthFlow flow;
    private String challenge;

    @BeforeEach
    void signIn() {
        person = TestData.user(app);
        TestData.workspace(app, person, Plan.TEAM);
        flow = new OAuthFlow();
        flow.signIn(person.email(), TestData.PASSWORD);
        challenge = OAuthFlow.challenge(OAuthFlow.verifier());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://evil.example/cb",
                "http://127.0.0.1:9/callback/../x",
                "http://127.0.0.1:9/callback/extra",
                "http://127.0.0.1:9/callback?next=https://evil.example/",
                "http://127.0.0.1:9/callback#fragment",
                "http://127.0.0.1.evil.example/",
                "http://127.0.0.1.evil.example:9/callback",
                "http://127.0.0.1@evil.example/",
                "http://127.0.0.1:9@evil.example/callback",
                "https://127.0.0.1:9/callback",
                "http://localhost:9/callback",
                "javascript:alert(1)",
                ""
            })
    void authorize_foreignOrLookAlikeRedirectUri_showsErrorPageAndNeverRedirects(String redirectUri) {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("redirect_uri", redirectUri);

        HttpResponse<String> response = flow.get(OAuthFlow.authorizeUrl(params));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("This sign-in link is not valid");
        assertThat(OAuthRows.of(person.id()).pendingRequests()).isZero();
    }

    @Test
    void authorize_redirectUriRepeated_showsErrorPageAndNeverRedirects() {
        String url = OAuthFlow.authorizeUrl(flow.authorizeParams("timether:read", challenge))
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb";

        HttpResponse<String> response = flow.get(url);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(OAuthRows.of(person.id()).pendingRequests()).isZero();
    }

    @Test
    void authorize_unknownClientWithEvilRedirect_showsErrorPageAndNeverRedirects() {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("client_id", "tmc_not-registered");
        params.put("redirect_uri", "https://evil.example/cb");

        HttpResponse<String> response = flow.get(OAuthFlow.authorizeUrl(params));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void authorize_registeredLoopbackUriOnAnotherPort_showsConsent() {
        // The control for the look-alike cases: RFC 8252 section 7.3 lets a loopback client pick any port.
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("redirect_uri", "http://127.0.0.1:50123/callback");

        HttpResponse<String> response = flow.get(OAuthFlow.authorizeUrl(params));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("127.0.0.1:50123");
    }

    @Test
    void authorize_withoutCodeChallenge_redirectsInvalidRequest() {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.remove("code_challenge");
        params.remove("code_challenge_method");

        assertRedirectedError(params, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "S512", "s256", ""})
    void authorize_challengeMethodOtherThanS256_redirectsInvalidRequest(String method) {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("code_challenge_method", method);

        assertRedirectedError(params, "invalid_request");
    }

    @Test
    void authorize_challengeMethodOmitted_redirectsInvalidRequest() {
        // RFC 7636 section 4.3: an absent method means plain, which would let a stolen code be redeemed.
        Map<String, String> params = flow.authorizeParams("timether:read", "a".repeat(43));
        params.remove("code_challenge_method");

        assertRedirectedError(params, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/mcp", "/mcp/", "/mcp/other", "", "/"})
    void authorize_wrongResource_redirectsInvalidTarget(String resource) {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("resource", resource.startsWith("/") ? TestServer.baseUrl() + resource : resource);

        assertRedirectedError(params, "invalid_target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timether:root", "timether:read timether:root", "TIMETHER:READ"})
    void authorize_unknownScope_redirectsInvalidScope(String scope) {
        assertRedirectedError(flow.authorizeParams(scope, challenge), "invalid_scope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "code token", "id_token", ""})
    void authorize_responseTypeOtherThanCode_redirectsUnsupportedResponseType(String responseType) {
        Map<String, String> params = flow.authorizeParams("timether:read", challenge);
        params.put("response_type", responseType);

        assertRedirectedError(params, "unsupported_response_type");
    }

    /** The request is answered at the client's redirect URI with {@code error}, its state and our issuer. */
    private void assertRedirectedError(Map<String, String> params, String error) {
        HttpResponse<String> response = flow.get(OAuthFlow.authorizeUrl(params));

        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(OAuthFlow.REDIRECT_URI + "?");
        Map<String, String> query = OAuthFlow.query(location);
        assertThat(query).containsEntry("error", error);
        assertThat(query).containsEntry("state", params.get("state"));
        // RFC 9207: errors carry iss too, so a client talking to several servers cannot be mixed up.
        assertThat(query).containsEntry("iss", TestServer.baseUrl());
        assertThat(query).doesNotContainKey("code");
        OAuthRows rows = OAuthRows.of(person.id());
        assertThat(rows.pendingRequests()).isZero();
        assertThat(rows.codes()).isZero();
    }
}
