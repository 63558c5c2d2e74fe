import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Times list pages and summary reports through the real {@code /mcp} endpoint on one generated workspace, run by
 * {@code bench/reports.sh}:
 *
 * <pre>
 *   java -cp target/timether.jar bench/ReportLoad.java BASE EMAIL PASSWORD WORKSPACE_ID DAYS REPEATS OUT_DIR
 * </pre>
 *
 * Calls are made one after another from one client, so each figure is the cost of one call, not of a queue. Each
 * measure first makes as many unmeasured calls as it measures (at least 5), so that both JVMs have compiled the path
 * it takes: with 5 warm-up calls the first measure mostly timed the interpreter. Each measure uses a connection of its
 * own. Prints a readable line and a {@code RESULT} line per measure. For each page it also writes, into
 * {@code OUT_DIR}, the request body, the server's answer and the connection's token ({@code first.request},
 * {@code first.response}, {@code first.tokens}, and {@code deep.*}), so that {@code reports.sh} can time the same
 * calls with wrk, a client that does not parse the answers.
 */
public final class ReportLoad {
    private static final int WARM_UP = 5;
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: BASE EMAIL PASSWORD WORKSPACE_ID DAYS REPEATS OUT_DIR");
        }
        URI base = McpSession.loopback(args[0]);
        String email = args[1];
        String password = args[2];
        String workspace = args[3];
        int days = Integer.parseInt(args[4]);
        int repeats = Integer.parseInt(args[5]);
        Path out = Path.of(args[6]);
        if (repeats < 1 || repeats > 500) {
            throw new IllegalArgumentException("REPEATS must be between 1 and 500; got " + repeats);
        }
        LocalDate today = LocalDate.now(ZONE);

        McpSession first = McpSession.connect(base, email, password, workspace, "timether:read");
        time("first_page", repeats, () -> first.call("list_time_entries", Map.of("limit", 50)));
        save(first, out, "first", Map.of("limit", 50));

        McpSession deep = McpSession.connect(base, email, password, workspace, "timether:read");
        String cursor = oldestCursor(deep, today.minusDays(days + 1L));
        JsonNode deepPage = deep.call("list_time_entries", Map.of("limit", 50, "cursor", cursor));
        System.out.println("deep page starts at " + deepPage.get("entries").get(0).get("start").asString());
        time("deep_page", repeats, () -> deep.call("list_time_entries", Map.of("limit", 50, "cursor", cursor)));
        save(deep, out, "deep", Map.of("limit", 50, "cursor", cursor));

        McpSession reports = McpSession.connect(base, email, password, workspace, "timether:read");
        int reportRepeats = Math.max(1, repeats / 10);
        time("summary_month", reportRepeats, () -> reports.call("summary_report", Map.of(
                "from", today.minusDays(30).toString(), "to", today.toString(), "group_by", "project")));
        time("summary_year", reportRepeats, () -> reports.call("summary_report", Map.of(
                "from", today.minusDays(364).toString(), "to", today.toString(), "group_by", "project")));
    }

    /**
     * A cursor after the 50th entry of the oldest two days: the next page lies at the very end of the list, as deep
     * as a client walking every page would get.
     */
    private static String oldestCursor(McpSession session, LocalDate oldest) throws Exception {
        for (int width = 2; width < 4000; width *= 2) {
            JsonNode page = session.call("list_time_entries", Map.of(
                    "limit", 50, "from", oldest.toString(), "to", oldest.plusDays(width).toString()));
            JsonNode next = page.get("next_cursor");
            if (next != null && !next.isNull()) {
                return next.asString();
            }
        }
        throw new IllegalStateException("the workspace has fewer than 51 entries");
    }

    /** Records one page call's request and the server's answer to it, and the connection's token, for wrk. */
    private static void save(McpSession session, Path out, String name, Map<String, Object> arguments)
            throws Exception {
        session.record("list_time_entries", arguments, out, name);
        Files.writeString(out.resolve(name + ".tokens"), session.accessToken() + "\n");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void time(String name, int repeats, Call call) throws Exception {
        for (int i = 0; i < Math.max(WARM_UP, repeats); i++) {
            call.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            call.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        double p50 = percentile(millis, 50);
        double p99 = percentile(millis, 99);
        System.out.printf(
                Locale.ROOT, "%s: %d calls, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                name, repeats, p50, p99, millis.getLast());
        System.out.printf(Locale.ROOT, "RESULT kind=%s count=%d p50=%.1f p99=%.1f max=%.1f%n",
                name, repeats, p50, p99, millis.getLast());
    }

    private static double percentile(List<Double> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
