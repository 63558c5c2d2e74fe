import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded load generator for Timether's sign-in, run by {@code bench/foundation.sh} with Java's single-file
 * source launcher. It talks only to 127.0.0.1 and stops after a fixed duration or request count.
 *
 * <pre>
 *   java bench/SignInLoad.java signin http://127.0.0.1:PORT CLIENTS SECONDS [MAX_SIGN_INS]
 *   java bench/SignInLoad.java flood  http://127.0.0.1:PORT CLIENTS SECONDS [POLL_MILLIS]
 *   java bench/SignInLoad.java readyz http://127.0.0.1:PORT SECONDS [POLL_MILLIS]
 * </pre>
 *
 * Each mode prints a readable summary and one {@code RESULT key=value ...} line for the script to parse.
 * Credentials come from {@code BENCH_EMAIL} and {@code BENCH_PASSWORD} (default: the demo account); they must be
 * right, because failed sign-ins are throttled by the server.
 */
public final class SignInLoad {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("(timether_session=[^;]+)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_CLIENTS = 256;
    private static final int MAX_SECONDS = 120;
    private static final int WARM_UP_REQUESTS = 5;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            usage("missing arguments");
        }
        URI base = localBase(args[1]);
        switch (args[0]) {
            case "signin" -> signIn(base, args);
            case "flood" -> flood(base, args);
            case "readyz" -> readyz(base, args);
            default -> usage("unknown mode '" + args[0] + "'; allowed: signin, flood, readyz");
        }
    }

    private static void signIn(URI base, String[] args) throws InterruptedException {
        int clients = bounded("CLIENTS", args, 2, 1, MAX_CLIENTS);
        int seconds = bounded("SECONDS", args, 3, 1, MAX_SECONDS);
        int maxSignIns = args.length > 4 ? bounded("MAX_SIGN_INS", args, 4, 1, 1_000_000) : Integer.MAX_VALUE;

        SignInRun run = new SignInRun(base, clients, maxSignIns);
        run.warmUp();
        run.runFor(Duration.ofSeconds(seconds));
        run.report("signin");
    }

    private static void flood(URI base, String[] args) throws InterruptedException {
        int clients = bounded("CLIENTS", args, 2, 1, MAX_CLIENTS);
        int seconds = bounded("SECONDS", args, 3, 1, MAX_SECONDS);
        int pollMillis = args.length > 4 ? bounded("POLL_MILLIS", args, 4, 10, 10_000) : 50;

        SignInRun run = new SignInRun(base, clients, Integer.MAX_VALUE);
        ReadyzPoller poller = new ReadyzPoller(base, Duration.ofMillis(pollMillis));
        run.warmUp();
        poller.warmUp();
        Thread polling = Thread.ofPlatform().start(() -> poller.runFor(Duration.ofSeconds(seconds)));
        run.runFor(Duration.ofSeconds(seconds));
        polling.join();
        run.report("flood");
        poller.report("flood");
    }

    private static void readyz(URI base, String[] args) throws InterruptedException {
        int seconds = bounded("SECONDS", args, 2, 1, MAX_SECONDS);
        int pollMillis = args.length > 3 ? bounded("POLL_MILLIS", args, 3, 10, 10_000) : 50;

        ReadyzPoller poller = new ReadyzPoller(base, Duration.ofMillis(pollMillis));
        poller.warmUp();
        poller.runFor(Duration.ofSeconds(seconds));
        poller.report("idle");
    }

    /** Clients that each sign in again and again: GET /signin for the cookie and token, then POST /signin. */
    private static final class SignInRun {
        private final URI base;
        private final int clients;
        private final int maxSignIns;
        private final String email = env("BENCH_EMAIL", "ada@example.com");
        private final String password = env("BENCH_PASSWORD", "timether-demo");
        private final HttpClient http = client();
        private final AtomicInteger started = new AtomicInteger();
        private final ConcurrentLinkedQueue<Long> postNanos = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Long> pairNanos = new ConcurrentLinkedQueue<>();
        private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        private long elapsedNanos;

        SignInRun(URI base, int clients, int maxSignIns) {
            this.base = base;
            this.clients = clients;
            this.maxSignIns = maxSignIns;
        }

        /** A few unrecorded sign-ins, so the figures do not include this JVM's own class loading and JIT. */
        void warmUp() throws InterruptedException {
            for (int i = 0; i < WARM_UP_REQUESTS; i++) {
                try {
                    once(false);
                } catch (IOException e) {
                    fail("warm-up io:" + e.getClass().getSimpleName());
                }
            }
        }

        void runFor(Duration duration) throws InterruptedException {
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofVirtual().start(() -> loop(deadline)));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            elapsedNanos = System.nanoTime() - start;
        }

        private void loop(long deadline) {
            while (System.nanoTime() < deadline && started.incrementAndGet() <= maxSignIns) {
                try {
                    once(true);
                } catch (IOException e) {
                    fail("io:" + e.getClass().getSimpleName());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void once(boolean isRecorded) throws IOException, InterruptedException {
            long pairStart = System.nanoTime();
            HttpResponse<String> form = http.send(get(base.resolve("/signin")), HttpResponse.BodyHandlers.ofString());
            Optional<String> cookie = form.headers().allValues("set-cookie").stream()
                    .map(SESSION::matcher)
                    .filter(Matcher::find)
                    .map(m -> m.group(1))
                    .findFirst();
            Matcher csrf = CSRF.matcher(form.body());
            if (form.statusCode() != 200 || cookie.isEmpty() || !csrf.find()) {
                fail("get:" + form.statusCode());
                return;
            }

            String body = "csrf=" + encode(csrf.group(1)) + "&email=" + encode(email) + "&password="
                    + encode(password) + "&return_to=" + encode("/account");
            HttpRequest post = HttpRequest.newBuilder(base.resolve("/signin"))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", cookie.get())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long postStart = System.nanoTime();
            HttpResponse<Void> answer = http.send(post, HttpResponse.BodyHandlers.discarding());
            long end = System.nanoTime();
            if (answer.statusCode() != 303) {
                fail("post:" + answer.statusCode());
                return;
            }
            if (isRecorded) {
                postNanos.add(end - postStart);
                pairNanos.add(end - pairStart);
            }
        }

        private void fail(String kind) {
            failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        void report(String label) {
            long[] post = sorted(postNanos);
            long[] pair = sorted(pairNanos);
            double seconds = elapsedNanos / 1e9;
            double perSecond = post.length / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "%s: %d clients, %d sign-ins in %.1f s = %.1f/s; POST p50 %.1f ms p99 %.1f ms;"
                            + " GET+POST p50 %.1f ms p99 %.1f ms; failures %s%n",
                    label,
                    clients,
                    post.length,
                    seconds,
                    perSecond,
                    millis(post, 50),
                    millis(post, 99),
                    millis(pair, 50),
                    millis(pair, 99),
                    failures.isEmpty() ? "none" : failures);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT kind=signin label=%s clients=%d count=%d seconds=%.1f rps=%.1f post_p50=%.1f"
                            + " post_p99=%.1f post_max=%.1f pair_p50=%.1f pair_p99=%.1f failures=%d%n",
                    label,
                    clients,
                    post.length,
                    seconds,
                    perSecond,
                    millis(post, 50),
                    millis(post, 99),
                    millis(post, 100),
                    millis(pair, 50),
                    millis(pair, 99),
                    failures.values().stream().mapToLong(LongAdder::sum).sum());
        }
    }

    /**
     * Sends GET /readyz on a fixed schedule, each poll on its own thread so one slow answer does not delay the
     * next poll and hide a stall (coordinated omission). Uses its own client, so it never waits for a connection
     * the sign-in clients hold.
     */
    private static final class ReadyzPoller {
        private final URI readyz;
        private final Duration interval;
        private final HttpClient http = client();
        private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        private final LongAdder notReady = new LongAdder();

        ReadyzPoller(URI base, Duration interval) {
            this.readyz = base.resolve("/readyz");
            this.interval = interval;
        }

        /** Unrecorded polls, so the figures do not include this JVM's own class loading and JIT. */
        void warmUp() throws InterruptedException {
            for (int i = 0; i < WARM_UP_REQUESTS * 4; i++) {
                try {
                    http.send(get(readyz), HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // the measured polls count failures; warming up only has to run the code
                }
            }
        }

        void runFor(Duration duration) {
            long start = System.nanoTime();
            long polls = duration.toNanos() / interval.toNanos();
            try (ExecutorService pending = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long i = 0; i < polls; i++) {
                    long due = start + i * interval.toNanos();
                    sleepUntil(due);
                    pending.submit(this::pollOnce);
                }
            }
        }

        private void pollOnce() {
            long start = System.nanoTime();
            try {
                HttpResponse<Void> answer = http.send(get(readyz), HttpResponse.BodyHandlers.discarding());
                nanos.add(System.nanoTime() - start);
                if (answer.statusCode() != 200) {
                    notReady.increment();
                }
            } catch (IOException e) {
                nanos.add(System.nanoTime() - start);
                notReady.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void report(String label) {
            long[] sorted = sorted(nanos);
            System.out.printf(
                    Locale.ROOT,
                    "readyz (%s): %d polls; p50 %.1f ms p99 %.1f ms max %.1f ms; not 200: %d%n",
                    label,
                    sorted.length,
                    millis(sorted, 50),
                    millis(sorted, 99),
                    millis(sorted, 100),
                    notReady.sum());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT kind=readyz label=%s count=%d p50=%.1f p99=%.1f max=%.1f not_ready=%d%n",
                    label,
                    sorted.length,
                    millis(sorted, 50),
                    millis(sorted, 99),
                    millis(sorted, 100),
                    notReady.sum());
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
    }

    /** The benchmark may only load this machine's own server. */
    private static URI localBase(String url) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost()) || uri.getPort() < 1) {
            usage("base URL must be http://127.0.0.1:PORT, got '" + url + "'");
        }
        return uri;
    }

    private static int bounded(String name, String[] args, int index, int min, int max) {
        try {
            int value = Integer.parseInt(args[index]);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below with the allowed range
        }
        usage(name + " must be an integer from " + min + " to " + max);
        return min;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long[] sorted(ConcurrentLinkedQueue<Long> samples) {
        long[] values = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(values);
        return values;
    }

    /** The nearest-rank percentile in milliseconds; 0 when there are no samples. */
    private static double millis(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void usage(String problem) {
        System.err.println("SignInLoad: " + problem);
        System.err.println("usage: java bench/SignInLoad.java signin http://127.0.0.1:PORT CLIENTS SECONDS [MAX]");
        System.err.println("       java bench/SignInLoad.java flood  http://127.0.0.1:PORT CLIENTS SECONDS [POLL_MS]");
        System.err.println("       java bench/SignInLoad.java readyz http://127.0.0.1:PORT SECONDS [POLL_MS]");
        System.exit(2);
    }
}
