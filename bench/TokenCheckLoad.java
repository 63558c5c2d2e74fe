import com.timether.oauth.check.TokenCheck;
import com.timether.platform.db.Database;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token checks and refresh grants under concurrency, run by {@code bench/tokens.sh} against a running server:
 *
 * <pre>
 *   java -Dtimether.db.pool=POOL -cp target/timether.jar bench/TokenCheckLoad.java \
 *       BASE DATA_DIR EMAIL PASSWORD WORKSPACE_NAME CALLERS REFRESH_CLIENTS SECONDS WARM_UP_SECONDS
 * </pre>
 *
 * It obtains {@code max(CALLERS, REFRESH_CLIENTS)} connections through the real OAuth flow, all for one registered
 * client. Checks run in this process: it joins the server's embedded PostgreSQL under {@code DATA_DIR} and calls
 * {@link TokenCheck} from {@code CALLERS} virtual threads, each with its own access token, so the figure is the cost
 * of the check itself (pool wait included), without HTTP or the MCP endpoint. Refresh grants go over HTTP to
 * {@code /oauth/token}, each of {@code REFRESH_CLIENTS} callers rotating its own refresh token. Every phase runs for
 * a fixed time after a warm-up and stops by itself. Prints readable lines and {@code RESULT} lines.
 */
public final class TokenCheckLoad {
    private static final int MAX_CALLERS = 256;
    private static final int MAX_SECONDS = 300;
    private static final List<String> TABLES =
            List.of("oauth_tokens", "connections", "users", "workspaces", "memberships");
    private static final Duration SETTLE_POLL = Duration.ofMillis(500);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(15);
    /** PostgreSQL's PGSTAT_IDLE_INTERVAL (10 s) with a margin: an idle backend has published its counters by then. */
    private static final Duration SERVER_QUIET = Duration.ofSeconds(11);
    private static final Pattern STATEMENTS_METRIC =
            Pattern.compile("(?m)^timether_db_statements_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            throw new IllegalArgumentException("usage: BASE DATA_DIR EMAIL PASSWORD WORKSPACE_NAME CALLERS"
                    + " REFRESH_CLIENTS SECONDS WARM_UP_SECONDS; got " + args.length + " arguments");
        }
        URI base = URI.create(args[0]);
        if (!"127.0.0.1".equals(base.getHost())) {
            throw new IllegalArgumentException("BASE must be on 127.0.0.1; got " + base);
        }
        Path dataDir = Path.of(args[1]);
        String email = args[2];
        String password = args[3];
        String workspaceName = args[4];
        int callers = bounded("CALLERS", args[5], 1, MAX_CALLERS);
        int refreshClients = bounded("REFRESH_CLIENTS", args[6], 1, MAX_CALLERS);
        int seconds = bounded("SECONDS", args[7], 1, MAX_SECONDS);
        int warmUp = bounded("WARM_UP_SECONDS", args[8], 0, MAX_SECONDS);

        List<McpSession> sessions;
        try (Database db = Database.embedded(dataDir.resolve("postgres"), Database.Durability.DURABLE)) {
            if (db.isEmbedded()) {
                throw new IllegalStateException("no running server holds " + dataDir + "; start it first");
            }
            String workspaceId = workspaceId(db, workspaceName);
            sessions = connect(base, email, password, workspaceId, Math.max(callers, refreshClients));
            long serverQuietSince = System.nanoTime();
            checks(db, base, sessions.subList(0, callers), seconds, warmUp, serverQuietSince);
        }
        refreshes(base, sessions.subList(0, refreshClients), seconds, warmUp);
    }

    private static String workspaceId(Database db, String name) {
        List<String> ids = db.jdbi().withHandle(h -> h.createQuery("SELECT id::text FROM workspaces WHERE name = :name")
                .bind("name", name)
                .mapTo(String.class)
                .list());
        if (ids.size() != 1) {
            throw new IllegalStateException(ids.size() + " workspaces are named '" + name + "'; need exactly one");
        }
        return ids.getFirst();
    }

    /** Connections for one registered client, as one assistant used many times would hold them. */
    private static List<McpSession> connect(URI base, String email, String password, String workspaceId, int count)
            throws Exception {
        long started = System.nanoTime();
        List<McpSession> sessions = new ArrayList<>();
        String clientId = McpSession.register(base);
        while (sessions.size() < count) {
            sessions.add(McpSession.connect(base, clientId, email, password, workspaceId, "timether:read"));
        }
        System.out.printf(Locale.ROOT, "connected %d times through OAuth (one registered client) in %.1f s%n",
                count, (System.nanoTime() - started) / 1e9);
        return sessions;
    }

    private static void checks(
            Database db, URI base, List<McpSession> sessions, int seconds, int warmUp, long serverQuietSince)
            throws Exception {
        TokenCheck check = new TokenCheck(db.jdbi(), base + "/mcp", true);
        List<Call> calls = new ArrayList<>();
        for (McpSession session : sessions) {
            String token = session.accessToken();
            Call call = () -> {
                TokenCheck.Result result = check.check(token);
                if (!(result instanceof TokenCheck.Accepted)) {
                    throw new IllegalStateException("a token check refused a live token: " + result);
                }
            };
            call.run();
            calls.add(call);
        }
        int pool = ((HikariDataSource) db.dataSource()).getMaximumPoolSize();
        System.out.printf(Locale.ROOT, "token checks: %d callers, pool of %d, warm-up %d s, measured %d s, %s%n",
                calls.size(), pool, warmUp, seconds, CHECK_INTERVAL_NANOS == 0 ? "back to back"
                        : (1_000_000_000L / CHECK_INTERVAL_NANOS) + " checks a second per caller on a schedule");
        if (warmUp > 0) {
            run("token check warm-up", calls, Duration.ofSeconds(warmUp), CHECK_INTERVAL_NANOS);
        }

        Thread.sleep(Duration.ofNanos(Math.max(0, serverQuietSince + SERVER_QUIET.toNanos() - System.nanoTime())));
        Map<String, long[]> scansBefore = publishedScans(db);
        long statementsBefore = db.statementsExecuted();
        Samples samples = run("token check", calls, Duration.ofSeconds(seconds), CHECK_INTERVAL_NANOS);
        long statements = db.statementsExecuted() - statementsBefore;
        Map<String, long[]> scansAfter = publishedScans(db);

        long seqScans = 0;
        long idxScans = 0;
        StringBuilder perTable = new StringBuilder();
        for (String table : TABLES) {
            long seq = scansAfter.get(table)[0] - scansBefore.get(table)[0];
            long idx = scansAfter.get(table)[1] - scansBefore.get(table)[1];
            seqScans += seq;
            idxScans += idx;
            perTable.append(String.format(Locale.ROOT, " %s=%d/%d", table, seq, idx));
            System.out.printf(Locale.ROOT, "RESULT kind=scans table=%s seq=%d idx=%d%n", table, seq, idx);
        }
        double perCheck = (double) statements / samples.count();
        System.out.printf(Locale.ROOT, "%s; %d statements, %.2f per check%n", samples.describe("checks"),
                statements, perCheck);
        System.out.println("scans in the measured window (sequential/index):" + perTable);
        System.out.printf(Locale.ROOT, "RESULT kind=checks callers=%d pool=%d %s statements=%d"
                + " statements_per_check=%.2f seq_scans=%d idx_scans=%d%n",
                calls.size(), pool, samples.fields(), statements, perCheck, seqScans, idxScans);
    }

    /**
     * The scan counters of the tables the check reads, as {@code [seq_scan, idx_scan]}, once every backend has
     * published its share. A backend publishes its counters when a transaction ends but at most once a second; one
     * that goes idle inside that second waits up to 10 s (PGSTAT_IDLE_INTERVAL). {@code pg_stat_force_next_flush()}
     * makes only the calling backend publish at once, so it is run on every connection of this process's pool, held
     * all at the same time; the server's backends have had no request for {@link #SERVER_QUIET} before the first
     * read. Then the counters are read every 500 ms until two reads agree.
     */
    private static Map<String, long[]> publishedScans(Database db) throws SQLException, InterruptedException {
        forcePoolFlush((HikariDataSource) db.dataSource());
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        Map<String, long[]> previous = scans(db);
        while (System.nanoTime() < deadline) {
            Thread.sleep(SETTLE_POLL);
            Map<String, long[]> current = scans(db);
            if (sameCounters(previous, current)) {
                return current;
            }
            previous = current;
        }
        throw new IllegalStateException("the scan counters were still moving after " + SETTLE_LIMIT.toSeconds()
                + " s; something else is using the database");
    }

    private static void forcePoolFlush(HikariDataSource pool) throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            while (held.size() < pool.getMaximumPoolSize()) {
                held.add(pool.getConnection());
            }
            for (Connection connection : held) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT pg_stat_force_next_flush()");
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    private static Map<String, long[]> scans(Database db) {
        Map<String, long[]> scans = new LinkedHashMap<>();
        db.jdbi()
                .withHandle(h -> h.createQuery("SELECT relname, seq_scan, coalesce(idx_scan, 0) AS idx_scan"
                                + " FROM pg_stat_user_tables"
                                + " WHERE schemaname = current_schema() AND relname = ANY(:tables)")
                        .bind("tables", TABLES.toArray(String[]::new))
                        .map((rs, ctx) -> Map.entry(
                                rs.getString("relname"), new long[] {rs.getLong("seq_scan"), rs.getLong("idx_scan")}))
                        .list())
                .forEach(entry -> scans.put(entry.getKey(), entry.getValue()));
        if (!scans.keySet().containsAll(TABLES)) {
            throw new IllegalStateException(
                    "pg_stat_user_tables lacks some of " + TABLES + "; found " + scans.keySet());
        }
        return scans;
    }

    private static boolean sameCounters(Map<String, long[]> a, Map<String, long[]> b) {
        return TABLES.stream().allMatch(table -> Arrays.equals(a.get(table), b.get(table)));
    }

    private static void refreshes(URI base, List<McpSession> sessions, int seconds, int warmUp) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<Call> calls = new ArrayList<>();
        for (McpSession session : sessions) {
            String clientId = session.clientId();
            AtomicReference<String> refreshToken = new AtomicReference<>(session.refreshToken());
            calls.add(() -> refreshToken.set(refresh(http, base, clientId, refreshToken.get())));
        }
        System.out.printf(Locale.ROOT, "refresh grants: %d callers over HTTP, warm-up %d s, measured %d s%n",
                calls.size(), warmUp, seconds);
        if (warmUp > 0) {
            run("refresh grant warm-up", calls, Duration.ofSeconds(warmUp), 0);
        }

        double statementsBefore = serverStatements(http, base);
        Samples samples = run("refresh grant", calls, Duration.ofSeconds(seconds), 0);
        double statements = serverStatements(http, base) - statementsBefore;
        // Serving /metrics sends no statement, and nothing else calls the server meanwhile: the delta is the grants'.
        double perGrant = statements / samples.count();
        System.out.printf(Locale.ROOT, "%s; server sent %.0f statements, %.2f per grant%n",
                samples.describe("grants"), statements, perGrant);
        System.out.printf(Locale.ROOT, "RESULT kind=refresh callers=%d %s statements_per_grant=%.2f%n",
                calls.size(), samples.fields(), perGrant);
    }

    /** One {@code refresh_token} grant; returns the rotated refresh token, failing on anything but a 200. */
    private static String refresh(HttpClient http, URI base, String clientId, String refreshToken) throws Exception {
        String form = "grant_type=refresh_token"
                + "&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/oauth/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            // An error body is RFC 6749 JSON without secrets, so it is safe to show.
            throw new IllegalStateException("refresh grant answered " + response.statusCode() + ": " + response.body());
        }
        return McpSession.JSON.readTree(response.body()).get("refresh_token").asString();
    }

    /** The server's count of SQL statements sent, from {@code /metrics}. */
    private static double serverStatements(HttpClient http, URI base) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = STATEMENTS_METRIC.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("/metrics answered " + response.statusCode()
                    + " without timether_db_statements_total");
        }
        return Double.parseDouble(m.group(1));
    }

    private interface Call {
        void run() throws Exception;
    }

    /**
     * {@code BENCH_THREAD_PER_CALL=1}: each check on a new virtual thread, as the server runs each request. A caller
     * that loops on one thread otherwise gets back from HikariCP the connection it used last without queueing.
     */
    private static final boolean IS_THREAD_PER_CALL = "1".equals(System.getenv("BENCH_THREAD_PER_CALL"));

    /**
     * {@code BENCH_CALLER_RATE=N}: each token check caller makes N checks a second on a schedule instead of back to
     * back, so that the figures show a check's latency at a load below saturation, not the length of a queue.
     */
    private static final long CHECK_INTERVAL_NANOS = checkInterval(System.getenv("BENCH_CALLER_RATE"));

    private static long checkInterval(String rate) {
        if (rate == null || rate.isEmpty()) {
            return 0;
        }
        int perSecond = bounded("BENCH_CALLER_RATE", rate, 1, 10_000);
        return 1_000_000_000L / perSecond;
    }

    private static void runOnFreshThread(Call call) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread.ofVirtual()
                .start(() -> {
                    try {
                        call.run();
                    } catch (Exception e) {
                        failure.set(e);
                    }
                })
                .join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Runs every call in a loop on its own virtual thread for {@code duration}; the first failure stops every
     * thread and is thrown, so no figure is printed for a phase that went wrong.
     */
    private static Samples run(String phase, List<Call> calls, Duration duration, long intervalNanos)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean isStopped = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] deadline = new long[1];
        List<Recorder> recorders = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        // Room for 5,000 calls a second per caller (two callers made 3,900 each), then one full collection before
        // the phase: the arrays start in the old generation, so no young collection copies them while they fill.
        // Growing arrays in the young generation were copied from survivor to survivor at every collection and
        // lengthened the very pauses the latencies are meant to show.
        int capacity = (int) Math.min(1 << 24, Math.max(1024, duration.toSeconds() * 5_000));
        for (Call call : calls) {
            Recorder recorder = new Recorder(capacity);
            recorders.add(recorder);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    long next = System.nanoTime()
                            + (intervalNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(intervalNanos));
                    while (!isStopped.get() && System.nanoTime() < deadline[0]) {
                        if (intervalNanos > 0) {
                            Thread.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                        }
                        // Paced calls count from when they were due, so a call that starts late waits in the figure.
                        long before = intervalNanos > 0 ? next : System.nanoTime();
                        next += intervalNanos;
                        if (IS_THREAD_PER_CALL) {
                            runOnFreshThread(call);
                        } else {
                            call.run();
                        }
                        recorder.add(System.nanoTime() - before);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    isStopped.set(true);
                }
            }));
        }

        System.gc();
        long started = System.nanoTime();
        // The latch publishes the deadline to every caller (countDown happens before await returns).
        deadline[0] = started + duration.toNanos();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IllegalStateException(phase + " failed", failure.get());
        }
        return Samples.of(recorders, elapsed);
    }

    private static int bounded(String name, String value, int min, int max) {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + "; got " + value);
        }
        return parsed;
    }

    /** The latencies one caller measured, in nanoseconds; written only by its own thread, read after it ended. */
    private static final class Recorder {
        private long[] nanos;
        private int count;

        Recorder(int capacity) {
            nanos = new long[capacity];
        }

        void add(long value) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = value;
        }
    }

    /**
     * Every latency of a phase, sorted; how long the phase took from start to the last caller's end; and the fewest
     * and most calls one caller made, which show whether the pool served the callers evenly.
     */
    private record Samples(long[] sorted, long elapsedNanos, int fewestPerCaller, int mostPerCaller) {
        static Samples of(List<Recorder> recorders, long elapsedNanos) {
            long[] all = recorders.stream()
                    .flatMapToLong(r -> Arrays.stream(r.nanos, 0, r.count))
                    .sorted()
                    .toArray();
            if (all.length == 0) {
                throw new IllegalStateException("no call finished in the measured window");
            }
            IntSummaryStatistics perCaller =
                    recorders.stream().mapToInt(r -> r.count).summaryStatistics();
            return new Samples(all, elapsedNanos, perCaller.getMin(), perCaller.getMax());
        }

        int count() {
            return sorted.length;
        }

        double perSecond() {
            return sorted.length / (elapsedNanos / 1e9);
        }

        double millis(double percent) {
            int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
        }

        String describe(String noun) {
            return String.format(Locale.ROOT, "%d %s in %.1f s, %.0f per s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms,"
                            + " p99.9 %.2f ms, max %.2f ms (%d to %d per caller)",
                    count(), noun, elapsedNanos / 1e9, perSecond(), millis(50), millis(90), millis(99), millis(99.9),
                    millis(100),
                    fewestPerCaller, mostPerCaller);
        }

        String fields() {
            return String.format(Locale.ROOT, "seconds=%.1f count=%d rps=%.0f p50=%.2f p99=%.2f max=%.2f"
                            + " fewest_per_caller=%d most_per_caller=%d",
                    elapsedNanos / 1e9, count(), perSecond(), millis(50), millis(99), millis(100),
                    fewestPerCaller, mostPerCaller);
        }
    }
}
