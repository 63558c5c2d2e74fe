import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Prepares {@code bench/mcp-load.sh}: real connections through OAuth, enough clients for a full page, and the
 * request and response bodies the load generator and the bare Jetty endpoint use.
 *
 * <pre>
 *   java -cp target/timether.jar bench/McpLoadSetup.java BASE EMAIL PASSWORD WORKSPACE_ID CONNECTIONS OUT_DIR
 * </pre>
 *
 * Writes to OUT_DIR: {@code tokens.txt} (one access token a line, each of its own connection), and for each measured
 * call {@code NAME.request} (the JSON-RPC body) and {@code NAME.response} (what the server answered to it).
 */
public final class McpLoadSetup {
    private static final int PAGE = 50;

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: BASE EMAIL PASSWORD WORKSPACE_ID CONNECTIONS OUT_DIR");
        }
        URI base = McpSession.loopback(args[0]);
        String email = args[1];
        String password = args[2];
        String workspace = args[3];
        int connections = Integer.parseInt(args[4]);
        Path out = Path.of(args[5]);
        String clientId = McpSession.register(base);

        McpSession admin = McpSession.connect(base, clientId, email, password, workspace, "timether:write");
        int created = fillClients(admin);
        System.out.println("clients created for a full page: " + created);

        List<McpSession> sessions = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sessions.add(McpSession.connect(base, clientId, email, password, workspace, "timether:read"));
        }
        Files.write(out.resolve("tokens.txt"), sessions.stream().map(McpSession::accessToken).toList());
        System.out.println("connections: " + sessions.size() + " of client " + clientId);

        // Recorded on a connection like the loaded ones: the answer names the granted scopes.
        save(sessions.getFirst(), out, "context", "get_workspace_context", Map.of());
        save(sessions.getFirst(), out, "clients", "list_clients", Map.of("limit", PAGE));
    }

    /** Creates clients until the workspace has more than one page of them; returns how many it created. */
    private static int fillClients(McpSession admin) throws Exception {
        int existing = admin.call("list_clients", Map.of("limit", 200)).get("clients").size();
        int created = 0;
        for (int i = existing; i <= PAGE; i++) {
            admin.call("create_client", Map.of("name", "Benchmark client " + i, "email", "billing" + i + "@example.com"));
            created++;
        }
        return created;
    }

    /** Records one call's request body and the server's answer to it (a success, and a full page of clients). */
    private static void save(McpSession session, Path out, String name, String tool, Map<String, Object> arguments)
            throws Exception {
        JsonNode content = session.record(tool, arguments, out, name);
        if (tool.equals("list_clients") && content.get("clients").size() != PAGE) {
            throw new IllegalStateException("list_clients returned fewer than " + PAGE + " clients: " + content);
        }
        System.out.println(name + ": request " + Files.size(out.resolve(name + ".request")) + " bytes, response "
                + Files.size(out.resolve(name + ".response")) + " bytes");
    }
}
