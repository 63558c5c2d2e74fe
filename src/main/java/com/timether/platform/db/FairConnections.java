package com.timether.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * Hands out the pool's connections in the order they were asked for. HikariCP lets a newcomer take a connection
 * just returned before the callers already waiting for one, so under load a waiter can lose several times in a row:
 * with 64 MCP callers on a pool of 5 the p99 of a list call was 31.5 ms without this queue and 24.7 ms with it
 * (bench/mcp-load.sh, docs/benchmarks.md).
 */
final class FairConnections implements ConnectionFactory {
    private final DataSource pool;
    private final Semaphore turns;
    private final Duration timeout;

    /**
     * @param pool the pool the connections come from
     * @param size how many connections the pool holds: at most this many callers hold one at once
     * @param timeout how long a caller waits for its turn before it is refused
     */
    FairConnections(DataSource pool, int size, Duration timeout) {
        this.pool = pool;
        this.turns = new Semaphore(size, true);
        this.timeout = timeout;
    }

    @Override
    public Connection openConnection() throws SQLException {
        try {
            if (!turns.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException(
                        "No database connection free within " + timeout.toMillis() + " ms; every one is in use");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a database connection", e);
        }
        try {
            return pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            turns.release();
            throw e;
        }
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        try {
            connection.close();
        } finally {
            turns.release();
        }
    }

    /** How many callers wait for their turn; an estimate, for tests and diagnostics. */
    int waiting() {
        return turns.getQueueLength();
    }
}
