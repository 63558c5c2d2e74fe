package com.timether.account;

import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import com.timether.platform.text.StoredName;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Creates, finds and disables accounts, and checks passwords. */
public final class UserService {
    static final int MIN_PASSWORD = 10;
    static final int MAX_PASSWORD = 200;

    private final Jdbi jdbi;
    private final PasswordHasher hasher;

    public UserService(Jdbi jdbi, PasswordHasher hasher) {
        this.jdbi = jdbi;
        this.hasher = hasher;
    }

    /** Creates an active account; the email must not be taken (case-insensitively). */
    public User create(String email, String displayName, String password, String timeZone) {
        String normalEmail = InputRules.email("email", email);
        String name = InputRules.name("display name", displayName, 100);
        String zone = InputRules.timeZone("time zone", timeZone).getId();
        checkPassword(password);
        String hash = hasher.hash(password);
        return jdbi.inTransaction(h -> {
            if (findByEmail(h, normalEmail).isPresent()) {
                throw DomainException.conflict("A user with email " + normalEmail + " already exists");
            }
            return h.createQuery("INSERT INTO users (email, display_name, password_hash, time_zone)"
                            + " VALUES (:email, :name, :hash, :zone) RETURNING *")
                    .bind("email", normalEmail)
                    .bind("name", name)
                    .bind("hash", hash)
                    .bind("zone", zone)
                    .map(UserService::map)
                    .one();
        });
    }

    /** The account with this email, in any letter case. */
    public Optional<User> findByEmail(String email) {
        return jdbi.withHandle(h -> findByEmail(h, email));
    }

    static Optional<User> findByEmail(Handle h, String email) {
        return h.createQuery("SELECT * FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email == null ? "" : email.strip())
                .map(UserService::map)
                .findOne();
    }

    /** The account with this id. */
    public Optional<User> find(UUID id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id")
                .bind("id", id)
                .map(UserService::map)
                .findOne());
    }

    /** Sets an account's status; returns the account as it now is. */
    public User setStatus(String email, UserStatus status) {
        return jdbi.inTransaction(h -> {
            User user = findByEmail(h, email)
                    .orElseThrow(() -> DomainException.notFound("No user with email '" + shorten(email) + "'"));
            h.createUpdate("UPDATE users SET status = :status, updated_at = now() WHERE id = :id")
                    .bind("status", status.value())
                    .bind("id", user.id())
                    .execute();
            if (status == UserStatus.DISABLED) {
                h.createUpdate("DELETE FROM web_sessions WHERE user_id = :id")
                        .bind("id", user.id())
                        .execute();
            }
            return new User(user.id(), user.email(), user.displayName(), status, user.timeZone());
        });
    }

    /**
     * The account whose email and password match, whatever its status; empty otherwise. An unknown email
     * costs the same hashing work as a known one.
     */
    public Optional<User> authenticate(String email, String password) {
        String candidate = password == null ? "" : password;
        Optional<Credentials> found = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, password_hash FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email == null ? "" : email.strip())
                .map((rs, ctx) -> new Credentials(rs.getObject("id", UUID.class), rs.getString("password_hash")))
                .findOne());
        if (found.isEmpty() || candidate.length() > MAX_PASSWORD) {
            hasher.matchDecoy(candidate.length() > MAX_PASSWORD ? "" : candidate);
            return Optional.empty();
        }
        if (!hasher.matches(candidate, found.get().hash())) {
            return Optional.empty();
        }
        return find(found.get().id());
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw DomainException.invalid("password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
    }

    private static String shorten(String value) {
        return InputRules.shorten(value);
    }

    /** Maps a row of {@code users}. */
    public static User map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("display_name"),
                StoredName.require(UserStatus.class, rs.getString("status")),
                rs.getString("time_zone"));
    }

    private record Credentials(UUID id, String hash) {}
}
