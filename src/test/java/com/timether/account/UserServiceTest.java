package com.timether.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.Application;
import com.timether.platform.config.Settings;
import com.timether.platform.error.DomainException;
import com.timether.platform.error.DomainException.Kind;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserServiceTest {
    private static final Application APP = new Application(Settings.from(Map.of()), TestDatabase.get());

    private static final Jdbi JDBI = TestDatabase.get().jdbi();

    private final UserService users = APP.users();

    @Test
    void create_validInput_storesNormalisedActiveUserWithArgon2Hash() {
        String tag = TestData.unique();

        User user =
                users.create("  Dana." + tag + "@Test.Example ", "  Dana Scully ", "trust-no-one-1", "Europe/Paris");

        assertThat(user.email()).isEqualTo("dana." + tag + "@test.example");
        assertThat(user.displayName()).isEqualTo("Dana Scully");
        assertThat(user.timeZone()).isEqualTo("Europe/Paris");
        assertThat(user.status()).isEqualTo(UserStatus.ACTIVE);
        assertThat(user.isActive()).isTrue();
        assertThat(users.find(user.id())).contains(user);
        assertThat(users.findByEmail("DANA." + tag + "@TEST.EXAMPLE")).contains(user);
        assertThat(passwordHash(user.id())).startsWith("$argon2id$").doesNotContain("trust-no-one-1");
    }

    @Test
    void create_emailTakenInOtherLetterCase_isRefusedNamingTheEmail() {
        User first = TestData.user(APP);
        String shouted = first.email().toUpperCase(Locale.ROOT);

        assertThatThrownBy(() -> users.create(shouted, "Someone Else", TestData.PASSWORD, "UTC"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
                .hasMessageContaining(first.email())
                .hasMessageContaining("already exists");
        assertThat(usersWithEmail(first.email())).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-an-email", "two@@test.example", "no-domain@", "space in@test.example", "a@b"})
    void create_invalidEmail_isRefusedAndWritesNothing(String email) {
        assertThatThrownBy(() -> users.create(email, "Someone", TestData.PASSWORD, "UTC"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("email must be an email address such as name@example.com");
        assertThat(usersWithEmail(email.strip())).isZero();
    }

    @Test
    void create_overlongEmail_isRefused() {
        String email = "x".repeat(60) + "@" + "d".repeat(190) + ".example";

        assertThatThrownBy(() -> users.create(email, "Someone", TestData.PASSWORD, "UTC"))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("at most 254 characters");
        assertThat(usersWithEmail(email)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Line\nbreak", "Tab\there"})
    void create_invalidDisplayName_isRefusedAndWritesNothing(String name) {
        String email = freshEmail();

        assertThatThrownBy(() -> users.create(email, name, TestData.PASSWORD, "UTC"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageStartingWith("display name must");
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @Test
    void create_displayNameOver100Characters_isRefusedWithTheLimit() {
        String email = freshEmail();

        assertThatThrownBy(() -> users.create(email, "n".repeat(101), TestData.PASSWORD, "UTC"))
                .isInstanceOf(DomainException.class)
                .hasMessage("display name must be 1 to 100 characters, got 101");
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mars/Olympus_Mons", "CET", "EST", "GMT+2", "+02:00", "europe/berlin"})
    void create_invalidTimeZone_isRefusedAndWritesNothing(String zone) {
        String email = freshEmail();

        assertThatThrownBy(() -> users.create(email, "Someone", TestData.PASSWORD, zone))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("time zone must be an IANA time zone such as Europe/Berlin or UTC")
                .hasMessageContaining("'" + zone + "'");
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 201, 500})
    void create_passwordLengthOutsideTenTo200_isRefusedAndWritesNothing(int length) {
        String email = freshEmail();

        assertThatThrownBy(() -> users.create(email, "Someone", "p".repeat(length), "UTC"))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
                .hasMessage("password must be 10 to 200 characters");
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @Test
    void create_nullPassword_isRefused() {
        String email = freshEmail();

        assertThatThrownBy(() -> users.create(email, "Someone", null, "UTC"))
                .isInstanceOf(DomainException.class)
                .hasMessage("password must be 10 to 200 characters");
        assertThat(users.findByEmail(email)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 200})
    void create_passwordAtLengthLimit_isAcceptedAndAuthenticates(int length) {
        String password = "q".repeat(length);

        User user = users.create(freshEmail(), "Edge Case", password, "UTC");

        assertThat(users.authenticate(user.email(), password)).contains(user);
    }

    @Test
    void authenticate_rightPasswordAnyEmailCase_returnsTheUser() {
        User user = TestData.user(APP);

        Optional<User> found = users.authenticate(" " + user.email().toUpperCase(Locale.ROOT), TestData.PASSWORD);

        assertThat(found).contains(user);
    }

    @Test
    void authenticate_wrongPassword_returnsEmpty() {
        User user = TestData.user(APP);

        assertThat(users.authenticate(user.email(), TestData.PASSWORD + "!")).isEmpty();
        assertThat(users.authenticate(user.email(), "")).isEmpty();
        assertThat(users.authenticate(user.email(), null)).isEmpty();
    }

    @Test
    void authenticate_unknownEmail_returnsEmpty() {
        assertThat(users.authenticate(freshEmail(), TestData.PASSWORD)).isEmpty();
        assertThat(users.authenticate(null, TestData.PASSWORD)).isEmpty();
    }

    @Test
    void authenticate_overlongPassword_returnsEmptyWithoutHashingIt() {
        User user = TestData.user(APP);

        assertThat(users.authenticate(user.email(), TestData.PASSWORD + "x".repeat(500)))
                .isEmpty();
    }

    @Test
    void authenticate_disabledUser_returnsTheUserMarkedDisabled() {
        User user = TestData.user(APP);
        users.setStatus(user.email(), UserStatus.DISABLED);

        Optional<User> found = users.authenticate(user.email(), TestData.PASSWORD);

        assertThat(found).hasValueSatisfying(u -> {
            assertThat(u.id()).isEqualTo(user.id());
            assertThat(u.isActive()).isFalse();
        });
    }

    @Test
    void setStatus_disabled_endsOnlyThatUsersWebSessions() {
        User user = TestData.user(APP);
        User bystander = TestData.user(APP);
        var first = APP.sessions().signIn(Optional.empty(), user);
        var second = APP.sessions().signIn(Optional.empty(), user);
        var other = APP.sessions().signIn(Optional.empty(), bystander);

        User disabled = users.setStatus(user.email().toUpperCase(Locale.ROOT), UserStatus.DISABLED);

        assertThat(disabled.status()).isEqualTo(UserStatus.DISABLED);
        assertThat(users.find(user.id()))
                .hasValueSatisfying(u -> assertThat(u.isActive()).isFalse());
        assertThat(sessionsOf(user.id())).isZero();
        assertThat(APP.sessions().find(first.cookie())).isEmpty();
        assertThat(APP.sessions().find(second.cookie())).isEmpty();
        assertThat(APP.sessions().find(other.cookie())).isPresent();
    }

    @Test
    void setStatus_enableAfterDisable_makesUserActiveAgain() {
        User user = TestData.user(APP);
        users.setStatus(user.email(), UserStatus.DISABLED);

        User enabled = users.setStatus(user.email(), UserStatus.ACTIVE);

        assertThat(enabled.isActive()).isTrue();
        assertThat(users.find(user.id())).contains(enabled);
    }

    @Test
    void setStatus_unknownEmail_isNotFoundNamingTheEmail() {
        String email = freshEmail();

        assertThatThrownBy(() -> users.setStatus(email, UserStatus.DISABLED))
                .isInstanceOfSatisfying(
                        DomainException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining(email);
    }

    private static String freshEmail() {
        return "fresh-" + TestData.unique() + "@test.example";
    }

    private static long usersWithEmail(String email) {
        return JDBI.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email)
                .mapTo(Long.class)
                .one());
    }

    private static String passwordHash(UUID userId) {
        return JDBI.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", userId)
                .mapTo(String.class)
                .one());
    }

    private static long sessionsOf(UUID userId) {
        return JDBI.withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE user_id = :id")
                .bind("id", userId)
                .mapTo(Long.class)
                .one());
    }
}
