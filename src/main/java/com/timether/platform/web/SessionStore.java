package com.timether.platform.web;

import com.timether.account.User;
import com.timether.account.UserService;
import com.timether.platform.crypto.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Browser sessions, stored in PostgreSQL under the hash of their cookie so that any instance can serve them. */
public final class SessionStore {
    static final Duration SIGNED_IN_LIFETIME = Duration.ofHours(12);
    static final Duration ANONYMOUS_LIFETIME = Duration.ofHours(1);

    private final Jdbi jdbi;

    public SessionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The live session behind a cookie; a session of a disabled user is not live. */
    public Optional<WebSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT s.csrf_token, u.* FROM web_sessions s"
                        + " LEFT JOIN users u ON u.id = s.user_id"
                        + " WHERE s.id_hash = :hash AND s.expires_at > now()"
                        + " AND (s.user_id IS NULL OR u.status = 'active')")
                .bind("hash", Secrets.hash(cookie))
                .map((rs, ctx) -> new WebSession(
                        cookie,
                        rs.getObject("id", UUID.class) == null
                                ? Optional.<User>empty()
                                : Optional.of(UserService.map(rs, ctx)),
                        rs.getString("csrf_token")))
                .findOne());
    }

    /** Starts an anonymous session, used to protect the sign-in form. */
    public WebSession startAnonymous() {
        return insert(null, ANONYMOUS_LIFETIME, Optional.empty());
    }

    /** Ends {@code previous} and starts a new session for {@code user}: the id is renewed at sign-in. */
    public WebSession signIn(Optional<WebSession> previous, User user) {
        previous.ifPresent(this::end);
        return insert(user.id(), SIGNED_IN_LIFETIME, Optional.of(user));
    }

    /** Ends a session. */
    public void end(WebSession session) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE id_hash = :hash")
                .bind("hash", Secrets.hash(session.cookie()))
                .execute());
    }

    /** Deletes expired sessions; returns how many. */
    public int purgeExpired() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM web_sessions WHERE expires_at <= now()")
                .execute());
    }

    private WebSession insert(UUID userId, Duration lifetime, Optional<User> user) {
        String cookie = Secrets.random(32);
        String csrf = Secrets.random(32);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO web_sessions (id_hash, user_id, csrf_token, expires_at)"
                        + " VALUES (:hash, :user, :csrf, :expires)")
                .bind("hash", Secrets.hash(cookie))
                .bind("user", userId)
                .bind("csrf", csrf)
                .bind("expires", Instant.now().plus(lifetime))
                .execute());
        return new WebSession(cookie, user, csrf);
    }
}
