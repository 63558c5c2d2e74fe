import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a process spends its CPU, by group of threads, per call: the CPU time and the thread switches the kernel
 * counted for each thread between two snapshots, divided by the calls made in between. Threads are grouped by name
 * without trailing numbers (the virtual threads' carriers are "ForkJoinPool-1-worker-N"). Used by
 * {@code bench/mcp-load.sh} when {@code BENCH_THREAD_CPU=1}:
 *
 * <pre>
 *   java bench/ThreadCpu.java snapshot PID FILE
 *   java bench/ThreadCpu.java report BEFORE_FILE AFTER_FILE CALLS
 * </pre>
 *
 * A snapshot line is: thread id, user ticks, system ticks, voluntary and involuntary switches, name. Linux only.
 */
public final class ThreadCpu {
    /** Clock ticks a second, as {@code getconf CLK_TCK} prints on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    public static void main(String[] args) throws IOException {
        switch (args.length > 0 ? args[0] : "") {
            case "snapshot" -> Files.write(Path.of(args[2]), snapshot(args[1]));
            case "report" -> report(read(args[1]), read(args[2]), Long.parseLong(args[3]));
            default -> {
                System.err.println("usage: ThreadCpu snapshot PID FILE | report BEFORE AFTER CALLS");
                System.exit(2);
            }
        }
    }

    private static List<String> snapshot(String pid) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the name, which is in parentheses and may hold spaces: utime is the 12th, stime
                    // the 13th.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String status = Files.readString(task.resolve("status"));
                    String name = Files.readString(task.resolve("comm")).strip();
                    lines.add(String.join(
                            "\t",
                            task.getFileName().toString(),
                            fields[11],
                            fields[12],
                            statusField(status, "voluntary_ctxt_switches"),
                            statusField(status, "nonvoluntary_ctxt_switches"),
                            name));
                } catch (IOException e) {
                    // The thread ended while being read: it has nothing more to count.
                }
            }
        }
        return lines;
    }

    private static String statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("no " + field + " in /proc status");
    }

    private static Map<String, String[]> read(String file) throws IOException {
        Map<String, String[]> threads = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(file))) {
            String[] fields = line.split("\t");
            threads.put(fields[0], fields);
        }
        return threads;
    }

    private static void report(Map<String, String[]> before, Map<String, String[]> after, long calls) {
        Map<String, long[]> groups = new TreeMap<>();
        after.forEach((id, now) -> {
            String[] then = before.getOrDefault(id, new String[] {id, "0", "0", "0", "0", now[5]});
            long[] sums = groups.computeIfAbsent(now[5].replaceAll("[-#]?\\d+$", ""), k -> new long[5]);
            for (int i = 1; i <= 4; i++) {
                sums[i - 1] += Long.parseLong(now[i]) - Long.parseLong(then[i]);
            }
            sums[4]++;
        });
        double microsPerTick = 1e6 / TICKS_PER_SECOND;
        long[] total = new long[4];
        System.out.printf("  %-24s %7s %12s %12s %15s %15s%n", "threads", "count", "user us", "sys us", "vol switches",
                "invol switches");
        groups.entrySet().stream()
                .filter(e -> e.getValue()[0] + e.getValue()[1] + e.getValue()[2] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .forEach(e -> {
                    long[] s = e.getValue();
                    for (int i = 0; i < 4; i++) {
                        total[i] += s[i];
                    }
                    System.out.printf("  %-24s %7d %12.1f %12.1f %15.2f %15.2f%n", e.getKey(), s[4],
                            s[0] * microsPerTick / calls, s[1] * microsPerTick / calls, (double) s[2] / calls,
                            (double) s[3] / calls);
                });
        System.out.printf("  %-24s %7s %12.1f %12.1f %15.2f %15.2f   (per call, %d calls)%n", "all", "",
                total[0] * microsPerTick / calls, total[1] * microsPerTick / calls, (double) total[2] / calls,
                (double) total[3] / calls, calls);
    }
}
