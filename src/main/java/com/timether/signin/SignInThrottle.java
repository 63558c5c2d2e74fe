package com.timether.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Counts failed sign-ins per account and per client address in PostgreSQL, and blocks a subject for a while
 * once it fails too often within the window. Unknown emails are counted like known ones, so the block does
 * not reveal which accounts exist.
 */
public final class SignInThrottle {
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration BLOCK = Duration.ofMinutes(15);
    static final int ACCOUNT_LIMIT = 5;
    static final int ADDRESS_LIMIT = 30;

    private final Jdbi jdbi;

    public SignInThrottle(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Until when sign-ins for this email or from this address are blocked, if they are. */
    public Optional<Instant> blockedUntil(String email, String address) {
        return jdbi.withHandle(h -> h.createQuery("SELECT max(blocked_until) FROM sign_in_throttle"
                        + " WHERE subject IN (:account, :address) AND blocked_until > now()")
                .bind("account", accountSubject(email))
                .bind("address", addressSubject(address))
                .mapTo(Instant.class)
                .findOne());
    }

    /** Counts one failure against both the account and the address. */
    public void recordFailure(String email, String address) {
        count(accountSubject(email), ACCOUNT_LIMIT);
        count(addressSubject(address), ADDRESS_LIMIT);
    }

    /** Forgets the account's failures after a successful sign-in. */
    public void recordSuccess(String email) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sign_in_throttle WHERE subject = :s")
                .bind("s", accountSubject(email))
                .execute());
    }

    private void count(String subject, int limit) {
        // One statement: concurrent failures for the same subject add up instead of overwriting each other.
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO sign_in_throttle AS t (subject, failures, window_start)"
                        + " VALUES (:s, 1, now())"
                        + " ON CONFLICT (subject) DO UPDATE SET"
                        + " failures = CASE WHEN t.window_start < now() - :window THEN 1 ELSE t.failures + 1 END,"
                        + " window_start = CASE WHEN t.window_start < now() - :window THEN now()"
                        + " ELSE t.window_start END,"
                        + " blocked_until = CASE WHEN t.window_start >= now() - :window AND t.failures + 1 >= :limit"
                        + " THEN now() + :block ELSE t.blocked_until END")
                .bind("s", subject)
                .bind("window", WINDOW)
                .bind("limit", limit)
                .bind("block", BLOCK)
                .execute());
    }

    private static String accountSubject(String email) {
        return "account:" + (email == null ? "" : email.strip().toLowerCase(java.util.Locale.ROOT));
    }

    private static String addressSubject(String address) {
        return "address:" + address;
    }
}
