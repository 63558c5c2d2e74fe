package com.timether.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.account.User;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    /** The client address the shared server sees for every test: it binds 127.0.0.1 only. */
    static final String LOOPBACK = "127.0.0.1";

    private final Jdbi jdbi = TestDatabase.get().jdbi();
    private final SignInThrottle throttle = new SignInThrottle(jdbi);

    @AfterEach
    void forgetLoopbackFailures() {
        forgetAddress(LOOPBACK);
    }

    @Test
    void blockedUntil_fourFailuresForAccount_notBlocked() {
        String email = email();
        String address = address();

        repeatFailure(email, address, SignInThrottle.ACCOUNT_LIMIT - 1);

        assertThat(throttle.blockedUntil(email, address)).isEmpty();
    }

    @Test
    void blockedUntil_fiveFailuresForAccount_blockedForFifteenMinutesFromAnyAddress() {
        String email = email();

        repeatFailure(email, address(), SignInThrottle.ACCOUNT_LIMIT);

        assertThat(throttle.blockedUntil(email.toUpperCase(Locale.ROOT), address()))
                .hasValueSatisfying(until -> assertThat(until)
                        .isBetween(
                                Instant.now().plus(SignInThrottle.BLOCK).minusSeconds(60),
                                Instant.now().plus(SignInThrottle.BLOCK).plusSeconds(60)));
        assertThat(throttle.blockedUntil(email(), address())).isEmpty();
    }

    @Test
    void blockedUntil_twentyNineFailuresFromAddress_notBlocked() {
        String address = address();

        for (int i = 0; i < SignInThrottle.ADDRESS_LIMIT - 1; i++) {
            throttle.recordFailure(email(), address);
        }

        assertThat(throttle.blockedUntil(email(), address)).isEmpty();
    }

    @Test
    void blockedUntil_thirtyFailuresFromAddressOverManyAccounts_blocksEveryAccountFromThere() {
        String address = address();

        for (int i = 0; i < SignInThrottle.ADDRESS_LIMIT; i++) {
            throttle.recordFailure(email(), address);
        }

        assertThat(throttle.blockedUntil(email(), address)).isPresent();
        assertThat(throttle.blockedUntil(email(), address())).isEmpty();
    }

    @Test
    void blockedUntil_failuresOlderThanWindow_startCountingAgain() {
        String email = email();
        String address = address();
        repeatFailure(email, address, SignInThrottle.ACCOUNT_LIMIT - 1);
        jdbi.useHandle(h -> h.createUpdate("UPDATE sign_in_throttle SET window_start = now() - interval '16 minutes'"
                        + " WHERE subject = :s")
                .bind("s", "account:" + email)
                .execute());

        repeatFailure(email, address, 2);

        assertThat(throttle.blockedUntil(email, address)).isEmpty();
        assertThat(failuresOf("account:" + email)).isEqualTo(2);
    }

    @Test
    void recordSuccess_afterFourFailures_forgetsTheAccountsFailures() {
        String email = email();
        String address = address();
        repeatFailure(email, address, SignInThrottle.ACCOUNT_LIMIT - 1);

        throttle.recordSuccess(email);
        repeatFailure(email, address, 1);

        assertThat(throttle.blockedUntil(email, address)).isEmpty();
        assertThat(failuresOf("account:" + email)).isEqualTo(1);
    }

    @Test
    void signIn_fiveWrongPasswords_refusesEvenTheCorrectOneAndOtherAccountsStillWork() {
        Application app = TestServer.app();
        User user = TestData.user(app);
        TestClient client = new TestClient();
        for (int i = 0; i < SignInThrottle.ACCOUNT_LIMIT; i++) {
            assertThat(client.signIn(user.email(), "wrong-password-" + i).statusCode())
                    .isEqualTo(401);
        }

        HttpResponse<String> correct = client.signIn(user.email(), TestData.PASSWORD);
        HttpResponse<String> otherCase = client.signIn(user.email().toUpperCase(Locale.ROOT), "x");

        assertThat(correct.statusCode()).isEqualTo(429);
        assertThat(correct.body()).contains("Too many failed sign-ins");
        assertThat(otherCase.statusCode()).isEqualTo(429);
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
        User other = TestData.user(app);
        assertThat(new TestClient().signIn(other.email(), TestData.PASSWORD).statusCode())
                .isEqualTo(303);
    }

    @Test
    void signIn_fiveFailuresForUnknownEmail_blockedLikeAnExistingAccount() {
        String unknown = email();
        TestClient client = new TestClient();
        for (int i = 0; i < SignInThrottle.ACCOUNT_LIMIT; i++) {
            client.signIn(unknown, "wrong-password");
        }

        HttpResponse<String> response = client.signIn(unknown, "wrong-password");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).contains("Too many failed sign-ins");
    }

    @Test
    void signIn_addressReachesLimit_refusesCorrectPasswordOfAnotherAccount() {
        Application app = TestServer.app();
        User victim = TestData.user(app);
        User bystander = TestData.user(app);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sign_in_throttle (subject, failures, window_start)"
                        + " VALUES (:s, :f, now()) ON CONFLICT (subject)"
                        + " DO UPDATE SET failures = :f, window_start = now(), blocked_until = NULL")
                .bind("s", "address:" + LOOPBACK)
                .bind("f", SignInThrottle.ADDRESS_LIMIT - 1)
                .execute());

        HttpResponse<String> lastFailure = new TestClient().signIn(victim.email(), "wrong-password");
        HttpResponse<String> blocked = new TestClient().signIn(bystander.email(), TestData.PASSWORD);

        assertThat(lastFailure.statusCode()).isEqualTo(401);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(TestClient.setCookies(blocked, TestClient.SESSION_COOKIE)).isEmpty();
    }

    @Test
    void signIn_whileAccountBlocked_attemptsAreNotCounted() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        for (int i = 0; i < SignInThrottle.ACCOUNT_LIMIT; i++) {
            client.signIn(user.email(), "wrong-password");
        }
        int failures = failuresOf("account:" + user.email());

        HttpResponse<String> refused = client.signIn(user.email(), "wrong-password");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(failuresOf("account:" + user.email())).isEqualTo(failures);
    }

    /** Failures counted for a throttle subject such as {@code account:<email>}; 0 when there is no row. */
    static int failuresOf(String subject) {
        return TestDatabase.get()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT failures FROM sign_in_throttle WHERE subject = :s")
                        .bind("s", subject)
                        .mapTo(Integer.class)
                        .findOne()
                        .orElse(0));
    }

    /** Forgets the failures counted against a client address. */
    static void forgetAddress(String address) {
        TestDatabase.get()
                .jdbi()
                .useHandle(h -> h.createUpdate("DELETE FROM sign_in_throttle WHERE subject = :s")
                        .bind("s", "address:" + address)
                        .execute());
    }

    private void repeatFailure(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(email, address);
        }
    }

    private static String email() {
        return "throttle-" + TestData.unique() + "@test.example";
    }

    /** A documentation address (RFC 3849) unique to the test, so tests never share a counter. */
    private static String address() {
        String unique = TestData.unique();
        return "2001:db8::" + unique.substring(0, 4) + ":" + unique.substring(4);
    }
}
