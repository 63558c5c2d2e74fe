package com.timether.platform.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Fixed-window request counters in PostgreSQL, so every instance behind a load balancer shares one limit. */
public final class RateLimiter {
    private final Jdbi jdbi;

    public RateLimiter(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Counts one hit for {@code subject}; answers when the caller may retry if this hit is over {@code limit}
     * within {@code window}, or empty when it is allowed.
     */
    public Optional<Instant> hit(String subject, int limit, Duration window) {
        record Count(int hits, Instant windowStart) {}
        // One statement, so concurrent hits add up instead of overwriting each other.
        Count count = jdbi.withHandle(h -> h.createQuery("INSERT INTO rate_limits AS r (subject, window_start, hits)"
                        + " VALUES (:s, now(), 1) ON CONFLICT (subject) DO UPDATE SET"
                        + " hits = CASE WHEN r.window_start <= now() - :window THEN 1 ELSE r.hits + 1 END,"
                        + " window_start = CASE WHEN r.window_start <= now() - :window THEN now()"
                        + " ELSE r.window_start END"
                        + " RETURNING hits, window_start")
                .bind("s", subject)
                .bind("window", window)
                .map((rs, ctx) -> new Count(
                        rs.getInt("hits"), rs.getTimestamp("window_start").toInstant()))
                .one());
        return count.hits() > limit ? Optional.of(count.windowStart().plus(window)) : Optional.empty();
    }
}
