package com.timether.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class HousekeepingTest {
    private final Jdbi jdbi = TestDatabase.get().jdbi();

    @Test
    void run_expiredAndLiveRecords_removesOnlyTheExpired() {
        String dead = "dead-" + TestData.unique();
        String live = "live-" + TestData.unique();
        UUID user = jdbi.withHandle(h -> h.createQuery("SELECT id FROM users WHERE email = 'ada@example.com'")
                .mapTo(UUID.class)
                .one());
        jdbi.useHandle(h -> {
            h.execute(
                    "INSERT INTO web_sessions (id_hash, user_id, csrf_token, expires_at)"
                            + " VALUES (?, ?, 'x', now() - interval '1 minute')",
                    dead,
                    user);
            h.execute(
                    "INSERT INTO web_sessions (id_hash, user_id, csrf_token, expires_at)"
                            + " VALUES (?, ?, 'x', now() + interval '1 hour')",
                    live,
                    user);
        });

        int removed = new Housekeeping(jdbi).run();

        assertThat(removed).isPositive();
        assertThat(count(dead)).isZero();
        assertThat(count(live)).isOne();
    }

    private int count(String hash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE id_hash = :h")
                .bind("h", hash)
                .mapTo(Integer.class)
                .one());
    }
}
