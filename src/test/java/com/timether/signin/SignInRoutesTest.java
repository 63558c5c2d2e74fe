package com.timether.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.account.User;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Login CSRF: a sign-in form that did not come from this browser's own sign-in page signs nobody in. */
class SignInRoutesTest {

    @Test
    void signIn_withoutCsrf_isForbiddenAndSignsNobodyIn() {
        User person = TestData.user(TestServer.app());
        OAuthFlow browser = new OAuthFlow();
        browser.get("/signin");

        HttpResponse<String> response = browser.post(
                "/signin",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(
                        Map.of("email", person.email(), "password", TestData.PASSWORD, "return_to", "/account")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(isSignedIn(browser)).isFalse();
    }

    @Test
    void signIn_withCsrfOfAnotherBrowser_isForbiddenAndSignsNobodyIn() {
        User attacker = TestData.user(TestServer.app());
        OAuthFlow attackersBrowser = new OAuthFlow();
        String attackersCsrf = OAuthFlow.field(attackersBrowser.get("/signin").body(), "csrf");
        OAuthFlow victimsBrowser = new OAuthFlow();
        victimsBrowser.get("/signin");

        HttpResponse<String> response = victimsBrowser.post(
                "/signin",
                "application/x-www-form-urlencoded",
                OAuthFlow.form(Map.of(
                        "csrf",
                        attackersCsrf,
                        "email",
                        attacker.email(),
                        "password",
                        TestData.PASSWORD,
                        "return_to",
                        "/account")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(isSignedIn(victimsBrowser)).isFalse();
    }

    @Test
    void signIn_withOwnCsrf_signsIn() {
        User person = TestData.user(TestServer.app());
        OAuthFlow browser = new OAuthFlow();

        browser.signIn(person.email(), TestData.PASSWORD);

        assertThat(isSignedIn(browser)).isTrue();
    }

    private static boolean isSignedIn(OAuthFlow browser) {
        return browser.get("/account").statusCode() == 200;
    }
}
