package com.timether.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-connection call limits over a fixed window.
 *
 * <p>LIMITATION: the counters live in each instance's memory, so behind N instances a connection may make up
 * to N times the limit. Counting in PostgreSQL would add a write to every MCP call, which the latency budget
 * (two queries per call, the token check included) does not allow. No record of a user's data lives here.
 */
final class ConnectionRateLimit {
    private final int limit;
    private final long windowNanos;
    private final Map<UUID, Window> windows = new ConcurrentHashMap<>();

    ConnectionRateLimit(int limit, Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    private record Window(long startNanos, int count) {}

    /** Counts a call; answers seconds until retry when over the limit, or empty when allowed. */
    OptionalLong hit(UUID connection) {
        long now = System.nanoTime();
        Window window = windows.compute(
                connection,
                (id, current) -> current == null || now - current.startNanos() >= windowNanos
                        ? new Window(now, 1)
                        : new Window(current.startNanos(), current.count() + 1));
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> now - e.getValue().startNanos() >= windowNanos);
        }
        if (window.count() <= limit) {
            return OptionalLong.empty();
        }
        long remaining = windowNanos - (now - window.startNanos());
        return OptionalLong.of(Math.max(1, Duration.ofNanos(remaining).toSeconds() + 1));
    }
}
