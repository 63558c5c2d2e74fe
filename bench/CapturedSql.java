import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what PostgreSQL logged with {@code log_statement = 'all'} during one MCP call into a pgbench script that
 * sends exactly those statements with exactly those values, so that pgbench measures the database's own ceiling
 * for the call. Used by {@code bench/mcp-load.sh}:
 *
 * <pre>
 *   java bench/CapturedSql.java LOG_FILE FROM_BYTE TO_BYTE APPLICATION OUT_SCRIPT
 * </pre>
 *
 * Reads the log between the two byte offsets, keeps the statements of the named application (the server's JDBC
 * driver, not the psql that switched logging on and off), inlines each statement's parameters, writes the script
 * and prints how many statements the call sent, one a line.
 */
public final class CapturedSql {
    private static final Pattern EXECUTE = Pattern.compile("LOG:  (?:execute [^:]+|statement): (.*)$");
    private static final Pattern PARAMETERS = Pattern.compile("DETAIL:  Parameters: (.*)$");
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+) = ('(?:[^']|'')*'|NULL)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: LOG_FILE FROM_BYTE TO_BYTE APPLICATION OUT_SCRIPT");
        }
        byte[] log = Files.readAllBytes(Path.of(args[0]));
        int from = Integer.parseInt(args[1]);
        int to = Math.min(log.length, Integer.parseInt(args[2]));
        String application = args[3];
        String window = new String(log, from, to - from, StandardCharsets.UTF_8);

        List<String> statements = new ArrayList<>();
        String pending = null;
        for (String line : window.split("\n")) {
            boolean isOurs = line.contains("] " + application + ": ");
            Matcher execute = EXECUTE.matcher(line);
            Matcher parameters = PARAMETERS.matcher(line);
            if (isOurs && execute.find()) {
                if (pending != null) {
                    statements.add(pending);
                }
                pending = execute.group(1);
            } else if (isOurs && pending != null && parameters.find()) {
                statements.add(inline(pending, parameters.group(1)));
                pending = null;
            }
        }
        if (pending != null) {
            statements.add(pending);
        }
        // An empty statement is the pool's liveness check of a connection that sat idle (HikariCP skips it for
        // connections used within the last 500 ms, so under load it does not happen); it is not the call's SQL.
        long pings = statements.stream().filter(String::isBlank).count();
        statements.removeIf(String::isBlank);
        if (pings > 0) {
            System.err.println("left out " + pings + " empty statement(s): the pool's liveness check");
        }
        if (statements.isEmpty()) {
            throw new IllegalStateException("no statement of '" + application + "' between bytes " + from + " and "
                    + to + " of " + args[0]);
        }
        // pgbench reads ":name" as a variable; the statements use "::" casts only, which pgbench leaves alone.
        Files.write(Path.of(args[4]), statements.stream().map(s -> s + ";").toList());
        statements.forEach(System.out::println);
    }

    /** The statement with each {@code $n} replaced by the literal the log shows for it. */
    private static String inline(String sql, String parameterList) {
        Map<Integer, String> values = new TreeMap<>();
        Matcher parameter = PARAMETER.matcher(parameterList);
        while (parameter.find()) {
            values.put(Integer.parseInt(parameter.group(1)), parameter.group(2));
        }
        return PLACEHOLDER.matcher(sql).replaceAll(m -> {
            String value = values.get(Integer.parseInt(m.group(1)));
            if (value == null) {
                throw new IllegalStateException("no value for $" + m.group(1) + " in: " + parameterList);
            }
            return Matcher.quoteReplacement(value);
        });
    }
}
