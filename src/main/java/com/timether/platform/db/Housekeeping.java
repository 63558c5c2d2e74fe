package com.timether.platform.db;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes records that can no longer be used: expired sessions, pending consents, codes, tokens, confirmations,
 * idempotency records and counters. Every instance may run it; the deletes are idempotent.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);
    static final Duration PERIOD = Duration.ofMinutes(10);

    /** Each statement removes one kind of dead record; grace periods keep rows that explain a recent refusal. */
    static final List<String> STATEMENTS = List.of(
            "DELETE FROM web_sessions WHERE expires_at < now()",
            "DELETE FROM authorization_requests WHERE expires_at < now()",
            "DELETE FROM authorization_codes WHERE expires_at < now() - interval '1 day'",
            "DELETE FROM oauth_tokens WHERE expires_at < now() - interval '1 day'",
            "DELETE FROM confirmations WHERE expires_at < now() - interval '1 hour'",
            "DELETE FROM idempotency_records WHERE created_at < now() - interval '24 hours'",
            "DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'",
            "DELETE FROM sign_in_throttle WHERE window_start < now() - interval '1 day'"
                    + " AND (blocked_until IS NULL OR blocked_until < now())");

    private final Jdbi jdbi;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("housekeeping").factory());

    public Housekeeping(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Runs now and then every ten minutes. */
    public Housekeeping start() {
        scheduler.scheduleWithFixedDelay(this::runSafely, 0, PERIOD.toMinutes(), TimeUnit.MINUTES);
        return this;
    }

    /** Deletes dead records once; returns how many rows went. */
    public int run() {
        return jdbi.withHandle(h -> STATEMENTS.stream()
                .mapToInt(sql -> h.createUpdate(sql).execute())
                .sum());
    }

    private void runSafely() {
        try {
            int removed = run();
            LOG.debug("housekeeping removed {} expired rows", removed);
        } catch (RuntimeException e) {
            // The next run tries again; a failed cleanup never affects requests.
            LOG.warn("housekeeping failed; retrying in {} minutes", PERIOD.toMinutes(), e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
