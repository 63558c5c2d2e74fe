package com.timether.signin;

import static com.timether.testing.TestClient.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignInHttpTest {
    private static final Pattern ALERT = Pattern.compile("role=\"alert\">([^<]*)<");
    private static final Pattern EMAIL_VALUE = Pattern.compile("<input id=\"email\"[^>]* value=\"([^\"]*)\">");

    private final Application app = TestServer.app();
    private final Jdbi jdbi = TestDatabase.get().jdbi();

    @AfterEach
    void forgetLoopbackFailures() {
        // Every failed sign-in here counts against 127.0.0.1, the address of all tests in this JVM.
        SignInThrottleTest.forgetAddress(SignInThrottleTest.LOOPBACK);
    }

    @Test
    void signInPage_get_showsLabelledFormAndHardenedCookie() {
        HttpResponse<String> page = new TestClient().get("/signin");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("<label for=\"email\">Email</label>")
                .contains("<label for=\"password\">Password</label>")
                .contains("<button type=\"submit\">Sign in</button>");
        assertThat(TestClient.csrf(page.body())).hasSizeGreaterThanOrEqualTo(40);
        assertThat(TestClient.setCookies(page, SESSION_COOKIE))
                .singleElement()
                .satisfies(cookie -> assertThat(cookie)
                        .contains("; HttpOnly", "; SameSite=Lax", "; Path=/")
                        .doesNotContain("Secure"));
    }

    @Test
    void signIn_correctPassword_renewsSessionAndRetiresAnonymousCookie() {
        User user = TestData.user(app);
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());
        String anonymousCookie = client.sessionCookie().orElseThrow();

        HttpResponse<String> response =
                client.postForm("/signin", Map.of("csrf", csrf, "email", user.email(), "password", TestData.PASSWORD));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/account");
        String signedInCookie = client.sessionCookie().orElseThrow();
        assertThat(signedInCookie).isNotEqualTo(anonymousCookie);
        assertThat(TestClient.setCookies(response, SESSION_COOKIE))
                .singleElement()
                .satisfies(cookie -> assertThat(cookie).contains("; HttpOnly", "; SameSite=Lax"));
        assertThat(client.get("/account").statusCode()).isEqualTo(200);
        HttpResponse<String> withOldCookie =
                new TestClient().withCookie(SESSION_COOKIE, anonymousCookie).get("/account");
        assertThat(withOldCookie.statusCode()).isEqualTo(303);
        assertThat(sessionRows(anonymousCookie)).isZero();
    }

    @Test
    void signIn_cookiePlantedByAttacker_isNotTheSessionAfterSignIn() {
        User victim = TestData.user(app);
        TestClient attacker = new TestClient();
        attacker.get("/signin");
        String planted = attacker.sessionCookie().orElseThrow();
        TestClient victimBrowser = new TestClient().withCookie(SESSION_COOKIE, planted);

        victimBrowser.signedIn(victim.email(), TestData.PASSWORD);

        assertThat(victimBrowser.sessionCookie()).isPresent().get().isNotEqualTo(planted);
        HttpResponse<String> attackerView = attacker.get("/account");
        assertThat(attackerView.statusCode()).isEqualTo(303);
        assertThat(attackerView.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).startsWith("/signin"));
    }

    @Test
    void signInPage_madeUpCookie_isReplacedByServerChosenOne() {
        TestClient client = new TestClient().withCookie(SESSION_COOKIE, "attacker-chosen-value");

        HttpResponse<String> page = client.get("/signin");

        assertThat(TestClient.setCookies(page, SESSION_COOKIE)).hasSize(1);
        assertThat(client.sessionCookie()).isPresent().get().isNotEqualTo("attacker-chosen-value");
        assertThat(sessionRows("attacker-chosen-value")).isZero();
    }

    @Test
    void signIn_sessionStore_keepsOnlySha256OfCookie() {
        User user = TestData.user(app);
        TestClient client = new TestClient().signedIn(user.email(), TestData.PASSWORD);
        String cookie = client.sessionCookie().orElseThrow();

        Map<String, Object> row =
                jdbi.withHandle(h -> h.createQuery("SELECT id_hash, csrf_token FROM web_sessions WHERE user_id = :user")
                        .bind("user", user.id())
                        .mapToMap()
                        .one());

        assertThat(row.get("id_hash")).isEqualTo(sha256(cookie));
        assertThat(row.values()).doesNotContain(cookie);
        int rawMatches = jdbi.withHandle(
                h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE id_hash = :cookie OR csrf_token = :cookie")
                        .bind("cookie", cookie)
                        .mapTo(Integer.class)
                        .one());
        assertThat(rawMatches).isZero();
    }

    @Test
    void signIn_withoutCsrfToken_refusedAndNothingChanges() {
        User user = TestData.user(app);
        TestClient client = new TestClient();
        client.get("/signin");

        HttpResponse<String> response =
                client.postForm("/signin", Map.of("email", user.email(), "password", TestData.PASSWORD));

        assertRefusedWithoutSignIn(response, client, user);
    }

    @Test
    void signIn_wrongCsrfToken_refusedAndNothingChanges() {
        User user = TestData.user(app);
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());

        HttpResponse<String> response = client.postForm(
                "/signin", Map.of("csrf", csrf + "x", "email", user.email(), "password", TestData.PASSWORD));

        assertRefusedWithoutSignIn(response, client, user);
    }

    @Test
    void signIn_csrfTokenOfAttackersOwnSession_refusedAndNothingChanges() {
        User user = TestData.user(app);
        String attackersToken = TestClient.csrf(new TestClient().get("/signin").body());
        TestClient victim = new TestClient();
        victim.get("/signin");

        HttpResponse<String> response = victim.postForm(
                "/signin", Map.of("csrf", attackersToken, "email", user.email(), "password", TestData.PASSWORD));

        assertRefusedWithoutSignIn(response, victim, user);
    }

    @Test
    void signIn_withoutAnySessionCookie_refused() {
        User user = TestData.user(app);
        String csrf = TestClient.csrf(new TestClient().get("/signin").body());
        TestClient cookieless = new TestClient();

        HttpResponse<String> response = cookieless.postForm(
                "/signin", Map.of("csrf", csrf, "email", user.email(), "password", TestData.PASSWORD));

        assertRefusedWithoutSignIn(response, cookieless, user);
    }

    @Test
    void signOut_validCsrf_endsSessionAndClearsCookie() {
        User user = TestData.user(app);
        TestClient client = new TestClient().signedIn(user.email(), TestData.PASSWORD);
        String cookie = client.sessionCookie().orElseThrow();
        String csrf = TestClient.csrf(client.get("/account").body());

        HttpResponse<String> response = client.postForm("/signout", Map.of("csrf", csrf));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/signin");
        assertThat(TestClient.setCookies(response, SESSION_COOKIE))
                .singleElement()
                .satisfies(header -> assertThat(header).contains("Max-Age=0"));
        assertThat(new TestClient()
                        .withCookie(SESSION_COOKIE, cookie)
                        .get("/account")
                        .statusCode())
                .isEqualTo(303);
        assertThat(sessionRows(cookie)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "wrong-token"})
    void signOut_missingOrWrongCsrf_refusedAndSessionStillWorks(String token) {
        User user = TestData.user(app);
        TestClient client = new TestClient().signedIn(user.email(), TestData.PASSWORD);
        String cookie = client.sessionCookie().orElseThrow();

        HttpResponse<String> response = client.postForm("/signout", token.isEmpty() ? Map.of() : Map.of("csrf", token));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(TestClient.setCookies(response, SESSION_COOKIE)).isEmpty();
        assertThat(client.get("/account").statusCode()).isEqualTo(200);
        assertThat(sessionRows(cookie)).isEqualTo(1);
    }

    @Test
    void signIn_wrongPasswordOrUnknownEmail_answersIdentically() {
        User user = TestData.user(app);
        String unknown = "nobody-" + TestData.unique() + "@test.example";
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());

        HttpResponse<String> wrongPassword =
                client.postForm("/signin", Map.of("csrf", csrf, "email", user.email(), "password", "not-the-password"));
        HttpResponse<String> unknownEmail =
                client.postForm("/signin", Map.of("csrf", csrf, "email", unknown, "password", "not-the-password"));

        assertThat(wrongPassword.statusCode()).isEqualTo(401).isEqualTo(unknownEmail.statusCode());
        assertThat(alert(wrongPassword)).isEqualTo(SignInRoutes.WRONG_CREDENTIALS);
        assertThat(wrongPassword.body().replace(user.email(), "EMAIL"))
                .isEqualTo(unknownEmail.body().replace(unknown, "EMAIL"));
        assertThat(TestClient.setCookies(wrongPassword, SESSION_COOKIE)).isEmpty();
    }

    @Test
    void signIn_disabledAccountWithCorrectPassword_refusedWithoutSession() {
        User user = TestData.user(app);
        app.users().setStatus(user.email(), UserStatus.DISABLED);
        TestClient client = new TestClient();

        HttpResponse<String> response = client.signIn(user.email(), TestData.PASSWORD);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(alert(response)).contains("disabled");
        assertThat(signedInRows(user)).isZero();
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void account_userDisabledWhileSignedIn_sessionStopsWorking() {
        User user = TestData.user(app);
        TestClient client = new TestClient().signedIn(user.email(), TestData.PASSWORD);

        app.users().setStatus(user.email(), UserStatus.DISABLED);

        assertThat(client.get("/account").statusCode()).isEqualTo(303);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//evil.example",
                "https://evil.example",
                "/\\evil.example",
                "javascript:alert(1)",
                "/\t/evil.example",
                "\\\\evil.example",
                "http:evil.example"
            })
    void signIn_returnToOffSite_landsOnAccount(String returnTo) {
        User user = TestData.user(app);
        TestClient client = new TestClient();
        String page = client.get("/signin?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8))
                .body();

        HttpResponse<String> response = client.postForm(
                "/signin",
                Map.of(
                        "csrf",
                        TestClient.csrf(page),
                        "return_to",
                        returnTo,
                        "email",
                        user.email(),
                        "password",
                        TestData.PASSWORD));

        assertThat(page).contains("name=\"return_to\" value=\"/account\"");
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/account");
    }

    @Test
    void signIn_localReturnPath_isHonoured() {
        User user = TestData.user(app);
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());

        HttpResponse<String> response = client.postForm(
                "/signin",
                Map.of(
                        "csrf",
                        csrf,
                        "return_to",
                        "/account?tab=profile",
                        "email",
                        user.email(),
                        "password",
                        TestData.PASSWORD));

        assertThat(response.headers().firstValue("Location")).hasValue("/account?tab=profile");
    }

    @Test
    void signInPage_alreadySignedInWithOffSiteReturnTo_redirectsToAccount() {
        User user = TestData.user(app);
        TestClient client = new TestClient().signedIn(user.email(), TestData.PASSWORD);

        HttpResponse<String> response = client.get("/signin?return_to=%2F%2Fevil.example");

        assertThat(response.statusCode()).isBetween(300, 399);
        assertThat(response.headers().firstValue("Location")).hasValue("/account");
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --", "' OR '1'='1", "x@test.example' OR 1=1 --", "%' OR email LIKE '%"})
    void signIn_sqlMetaCharactersInEmail_refusedWithGenericMessage(String email) {
        TestClient client = new TestClient();

        HttpResponse<String> response = client.signIn(email, "' OR '1'='1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(alert(response)).isEqualTo(SignInRoutes.WRONG_CREDENTIALS);
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
        assertThat(adaRows()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "\"><script>alert(1)</script>", "x' onfocus='alert(1)"})
    void signIn_htmlInEmail_isEchoedOnlyInsideItsAttribute(String email) {
        HttpResponse<String> response = new TestClient().signIn(email, "whatever-password");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("<script>").doesNotContain("onfocus='");
        Matcher value = EMAIL_VALUE.matcher(response.body());
        assertThat(value.find()).isTrue();
        assertThat(unescape(value.group(1))).isEqualTo(email);
    }

    private void assertRefusedWithoutSignIn(HttpResponse<String> response, TestClient client, User user) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(signedInRows(user)).isZero();
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
        assertThat(SignInThrottleTest.failuresOf("account:" + user.email())).isZero();
    }

    private int adaRows() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE email = 'ada@example.com'")
                .mapTo(Integer.class)
                .one());
    }

    private int sessionRows(String cookie) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE id_hash = :hash")
                .bind("hash", sha256(cookie))
                .mapTo(Integer.class)
                .one());
    }

    private int signedInRows(User user) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE user_id = :user")
                .bind("user", user.id())
                .mapTo(Integer.class)
                .one());
    }

    private static String alert(HttpResponse<String> response) {
        Matcher matcher = ALERT.matcher(response.body());
        assertThat(matcher.find()).as("page has an alert: %s", response.body()).isTrue();
        return matcher.group(1);
    }

    /** The text an HTML attribute value stands for, for the entities a template escaper emits. */
    private static String unescape(String attribute) {
        return attribute
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#34;", "\"")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&amp;", "&");
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
