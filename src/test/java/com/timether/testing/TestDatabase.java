package com.timether.testing;

import com.timether.account.PasswordHasher;
import com.timether.demo.DemoSeed;
import com.timether.platform.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one embedded PostgreSQL every test in this JVM shares, migrated and seeded with the demo data once.
 * Tests isolate themselves by creating their own users and workspaces, never by using another database.
 */
public final class TestDatabase {
    private static Database database;
    private static Path directory;

    private TestDatabase() {}

    /** The shared database, started on first use. */
    public static synchronized Database get() {
        if (database == null) {
            try {
                directory = Files.createTempDirectory("timether-test-db");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // A throwaway database: the commits of the tests need not survive a crash of the machine.
            database = Database.embedded(directory.resolve("postgres"), Database.Durability.THROWAWAY);
            database.migrate();
            new DemoSeed(database.jdbi(), new PasswordHasher()).seed();
            Runtime.getRuntime().addShutdownHook(new Thread(database::close));
        }
        return database;
    }

    /** The data directory of the shared database. */
    public static synchronized Path directory() {
        get();
        return directory;
    }
}
