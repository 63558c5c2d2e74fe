package com.timether.cli;

import com.timether.Application;
import com.timether.account.PasswordHasher;
import com.timether.demo.DemoSeed;
import com.timether.platform.config.Settings;
import com.timether.platform.db.Database;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the server until the process is stopped. */
@Command(name = "serve", description = "Start Timether (embedded PostgreSQL unless TIMETHER_DATABASE_URL is set).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        long started = System.nanoTime();
        Settings settings = Operator.settings(spec);
        Database database = Database.open(settings);
        // One hasher for the process: its slots bound all hashing, and it computes its decoy hash only once.
        PasswordHasher hasher = new PasswordHasher();
        boolean isSeeded = false;
        if (database.isEmbedded()) {
            isSeeded = !new DemoSeed(database.jdbi(), hasher).seed().isUnchanged();
        }
        Application app = new Application(settings, database, hasher);
        int port = app.startServer();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Timether stopping");
            app.close();
            database.close();
            stopped.countDown();
        }));
        logStart(settings, database, port, isSeeded, (System.nanoTime() - started) / 1_000_000);
        stopped.await();
        return 0;
    }

    private static void logStart(Settings settings, Database database, int port, boolean isSeeded, long millis) {
        StringBuilder block =
                new StringBuilder("Timether is ready in ").append(millis).append(" ms");
        block.append("\n  listening:     http://")
                .append(settings.host())
                .append(':')
                .append(port);
        block.append("\n  app origin:    ").append(settings.appUrl()).append("/signin");
        block.append("\n  API origin:    ").append(settings.apiUrl());
        block.append("\n  MCP resource:  ")
                .append(settings.mcpResource())
                .append(settings.mcpEnabled() ? "" : " (MCP switched off)");
        block.append("\n  database:      ").append(database.description());
        if (database.isEmbedded()) {
            block.append("\n  demo accounts: ada@example.com, cy@, ben@, eve@ ... password '")
                    .append(DemoSeed.PASSWORD)
                    .append("'")
                    .append(isSeeded ? " (seeded now)" : "");
        }
        LOG.info("{}", block);
    }
}
