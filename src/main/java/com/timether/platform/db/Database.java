package com.timether.platform.db;

import com.timether.platform.config.Settings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL that holds all state: embedded under the data directory, or the operator's own. */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Optional<EmbeddedPostgres> embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final String description;
    private final LongAdder statements = new LongAdder();

    private Database(Optional<EmbeddedPostgres> embedded, HikariDataSource pool, String description) {
        this.embedded = embedded;
        this.pool = pool;
        this.description = description;
        // In the order asked for; the pool alone lets newcomers overtake waiters (FairConnections).
        this.jdbi = Jdbi.create(new FairConnections(
                        pool, pool.getMaximumPoolSize(), Duration.ofMillis(pool.getConnectionTimeout())))
                .installPlugin(new PostgresPlugin());
        // Queries built from optional filters bind every filter value and use only the ones present.
        jdbi.getConfig(SqlStatements.class).setUnusedBindingAllowed(true);
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.increment();
            }
        });
    }

    /** Opens the configured database and migrates its schema. */
    public static Database open(Settings settings) {
        Database database = settings.database()
                .map(Database::external)
                .orElseGet(() -> embedded(settings.dataDir().resolve("postgres"), Durability.DURABLE));
        database.migrate();
        return database;
    }

    /** How an embedded PostgreSQL writes its commits. */
    public enum Durability {
        /**
         * Each commit reaches the disk before it is acknowledged (fsync and synchronous_commit on). The embedded
         * library starts PostgreSQL with both off, which loses acknowledged commits in a crash and can corrupt the
         * files when the machine loses power.
         */
        DURABLE,
        /** The library's speed settings, for a throwaway test database only. */
        THROWAWAY
    }

    /**
     * Starts (or reuses the files of) an embedded PostgreSQL in {@code directory}; when a running server
     * already holds that directory, connects to it instead, so operator commands work beside {@code serve}.
     */
    public static Database embedded(Path directory, Durability durability) {
        Optional<Integer> runningPort = runningPort(directory);
        if (runningPort.isPresent()) {
            String url = "jdbc:postgresql://localhost:" + runningPort.get() + "/postgres";
            return new Database(
                    Optional.empty(), pool(url, "postgres", ""), "running embedded PostgreSQL at " + directory);
        }
        try {
            Files.createDirectories(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200");
            if (durability == Durability.DURABLE) {
                // The library passes -F (fsync off) first; these later settings override it.
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            String url = postgres.getJdbcUrl("postgres", "postgres");
            return new Database(
                    Optional.of(postgres), pool(url, "postgres", ""), "embedded PostgreSQL at " + directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + directory, e);
        }
    }

    /** The port of a live postmaster in {@code directory}, read from its pid file (line 1 pid, line 4 port). */
    private static Optional<Integer> runningPort(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).strip());
            boolean isAlive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return isAlive ? Optional.of(Integer.parseInt(lines.get(3).strip())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not read {}; starting a new embedded server", pidFile, e);
            return Optional.empty();
        }
    }

    private static Database external(Settings.ExternalDatabase external) {
        return new Database(
                Optional.empty(),
                pool(external.url(), external.user(), external.password()),
                "PostgreSQL at " + external.url().replaceAll("\\?.*", ""));
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(Integer.getInteger("timether.db.pool", defaultPoolSize()));
        config.setPoolName("timether");
        return new HikariDataSource(config);
    }

    /**
     * Two connections a core and one more, HikariCP's own rule of thumb: a statement that waits for a free
     * connection queues in order, while one more backend than the cores can serve only takes turns with the others.
     * With 24 connections, 16 MCP callers kept 16 backends busy on two cores and the p99 of a list call was 13.6 ms;
     * with 4 it was 9.2 ms at a higher rate (bench/mcp-load.sh, docs/benchmarks.md).
     */
    static int defaultPoolSize() {
        return 2 * Runtime.getRuntime().availableProcessors() + 1;
    }

    /** Brings the schema up to date; {@link #open} does this, {@link #embedded(Path)} leaves it to the caller. */
    public void migrate() {
        Flyway.configure().dataSource(pool).load().migrate();
    }

    /** The data access entry point. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The connection pool. */
    public DataSource dataSource() {
        return pool;
    }

    /**
     * How many SQL statements this process has sent through {@link #jdbi()} (a batch counts once); exported as a
     * metric so that a benchmark can show the queries one MCP call costs.
     */
    public long statementsExecuted() {
        return statements.sum();
    }

    /** Where the data lives, without secrets, for the start-up log. */
    public String description() {
        return description;
    }

    /** Whether this is the embedded default. */
    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    /** Whether the database answers a trivial query within a second. */
    public boolean isReachable() {
        // While the server is down the pool waits its whole connection timeout (30 s) for a connection; a probe
        // must answer sooner, so the check runs on its own virtual thread and is given up on after a second.
        CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(
                this::answersQuery, task -> Thread.ofVirtual().start(task));
        try {
            return check.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.debug("database not reachable: no connection within 1 s");
            return false;
        } catch (ExecutionException e) {
            LOG.debug("database not reachable", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean answersQuery() {
        try (var connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            LOG.debug("database not reachable", e);
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
        embedded.ifPresent(postgres -> {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly", e);
            }
        });
    }
}
