package com.timether.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FairConnectionsTest {
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicBoolean isFailing = new AtomicBoolean();

    @Test
    void openConnection_releasedWhileOneWaits_goesToTheWaiterNotToANewcomer() throws Exception {
        FairConnections connections = new FairConnections(pool(), 1, Duration.ofMillis(200));
        Connection first = connections.openConnection();
        CompletableFuture<Connection> waiter = CompletableFuture.supplyAsync(() -> open(connections));
        awaitWaiting(connections, 1);

        connections.closeConnection(first);

        // The caller that released asks again at once: it queues behind the waiter, which keeps the connection, so
        // this call runs out of time instead of taking the turn back.
        assertThatThrownBy(connections::openConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(opened).hasValue(2);
    }

    @Test
    void openConnection_noTurnWithinTheTimeout_isRefusedWithoutTouchingThePool() throws Exception {
        FairConnections connections = new FairConnections(pool(), 1, Duration.ofMillis(50));
        connections.openConnection();

        assertThatThrownBy(connections::openConnection)
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessage("No database connection free within 50 ms; every one is in use");
        assertThat(opened).hasValue(1);
    }

    @Test
    void openConnection_poolFails_givesTheTurnBack() throws Exception {
        FairConnections connections = new FairConnections(pool(), 1, Duration.ofMillis(50));
        isFailing.set(true);

        assertThatThrownBy(connections::openConnection)
                .isInstanceOf(SQLException.class)
                .hasMessage("pool down");
        isFailing.set(false);

        assertThat(connections.openConnection()).isNotNull();
    }

    @Test
    void closeConnection_closesThePoolsConnectionAndFreesTheTurn() throws Exception {
        FairConnections connections = new FairConnections(pool(), 1, Duration.ofMillis(50));

        connections.closeConnection(connections.openConnection());
        connections.closeConnection(connections.openConnection());

        assertThat(opened).hasValue(2);
        assertThat(closed).hasValue(2);
    }

    private static Connection open(FairConnections connections) {
        try {
            return connections.openConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitWaiting(FairConnections connections, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (connections.waiting() < count) {
            assertThat(System.nanoTime()).as("callers waiting for a turn").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** A pool that hands out a fresh fake connection each time, or fails while {@link #isFailing} is set. */
    private DataSource pool() {
        return (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (isFailing.get()) {
                        throw new SQLException("pool down");
                    }
                    opened.incrementAndGet();
                    return connection();
                });
    }

    private Connection connection() {
        return (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.incrementAndGet();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
