package com.timether.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.account.PasswordHasher;
import com.timether.account.User;
import com.timether.account.UserService;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one place that starts its own embedded PostgreSQL: what is under test is stopping and starting it, which
 * the shared test database must never do.
 */
class DatabaseRestartTest {
    private static final String PASSWORD = "restart-password-1";

    @Test
    void embedded_stoppedAndStartedOnSameDirectory_keepsData(@TempDir Path directory) {
        Path files = directory.resolve("postgres");
        User created;
        try (Database first = Database.embedded(files, Database.Durability.DURABLE)) {
            first.migrate();
            created = users(first).create("restart@test.example", "Restart Test", PASSWORD, "UTC");
        }

        try (Database second = Database.embedded(files, Database.Durability.DURABLE)) {
            second.migrate();

            assertThat(second.isEmbedded()).isTrue();
            assertThat(setting(second, "fsync")).isEqualTo("on");
            assertThat(setting(second, "synchronous_commit")).isEqualTo("on");
            assertThat(users(second).findByEmail("restart@test.example")).contains(created);
            assertThat(users(second).authenticate("restart@test.example", PASSWORD))
                    .hasValueSatisfying(user -> assertThat(user.id()).isEqualTo(created.id()));
        }
    }

    @Test
    void isReachable_serverStoppedUnderOpenPool_answersFalseWithinSeconds(@TempDir Path directory)
            throws InterruptedException {
        Path files = directory.resolve("postgres");
        Database owner = Database.embedded(files, Database.Durability.DURABLE);
        // A second Database on the same directory connects to the running server instead of starting one.
        try (Database observer = Database.embedded(files, Database.Durability.DURABLE)) {
            assertThat(observer.isReachable()).isTrue();
            owner.close();
            // Past HikariCP's 500 ms window in which it hands out a recently used connection unchecked.
            Thread.sleep(1000);

            long started = System.nanoTime();
            boolean isReachable = observer.isReachable();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(isReachable).isFalse();
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        } finally {
            owner.close();
        }
    }

    private static UserService users(Database database) {
        return new UserService(database.jdbi(), new PasswordHasher());
    }

    private static String setting(Database database, String name) {
        return database.jdbi()
                .withHandle(h -> h.createQuery("SELECT current_setting(:name)")
                        .bind("name", name)
                        .mapTo(String.class)
                        .one());
    }
}
