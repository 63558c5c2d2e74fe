import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP connection of a benchmark, obtained as an assistant obtains it: dynamic registration, sign-in, consent
 * for one workspace, code exchange with PKCE. Used by the single-file benchmark programs in this folder (run with
 * {@code target/timether.jar} on the class path for Jackson); it talks only to the base URL it is given.
 */
final class McpSession {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final AtomicLong IDS = new AtomicLong();

    private final URI base;
    private final HttpClient http;
    private final String clientId;
    private final String accessToken;
    private final String refreshToken;

    private McpSession(URI base, HttpClient http, String clientId, String accessToken, String refreshToken) {
        this.base = base;
        this.http = http;
        this.clientId = clientId;
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
    }

    /** The registered client the connection belongs to. */
    String clientId() {
        return clientId;
    }

    /** The access token of the connection, as the code exchange issued it. */
    String accessToken() {
        return accessToken;
    }

    /** The refresh token the code exchange issued (refreshing rotates it; the caller keeps the new one). */
    String refreshToken() {
        return refreshToken;
    }

    /** Connects {@code email} to the workspace {@code workspaceId} with {@code scope}, as a newly registered client. */
    static McpSession connect(URI base, String email, String password, String workspaceId, String scope)
            throws IOException, InterruptedException {
        return connect(base, register(base), email, password, workspaceId, scope);
    }

    /**
     * Registers a client and returns its id. One address may register 20 clients an hour, so a benchmark that needs
     * more connections makes them all for one client, as one assistant used by many people would.
     */
    static String register(URI base) throws IOException, InterruptedException {
        HttpResponse<String> registered = send(HttpClient.newHttpClient(), post(base, "/oauth/register",
                "application/json",
                JSON.writeValueAsString(Map.of("redirect_uris", List.of(REDIRECT_URI), "client_name", "Benchmark"))));
        require(registered, 201, "registration");
        return JSON.readTree(registered.body()).get("client_id").asString();
    }

    /** Connects {@code email} to the workspace {@code workspaceId} with {@code scope} for the client {@code clientId}. */
    static McpSession connect(URI base, String clientId, String email, String password, String workspaceId,
            String scope) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String signInPage = send(http, get(base, "/signin")).body();
        require(send(http, post(base, "/signin", "application/x-www-form-urlencoded", form(Map.of(
                "csrf", field(signInPage, "csrf"), "email", email, "password", password, "return_to", "/account")))),
                303, "sign-in");

        String verifier = "v" + UUID.randomUUID() + UUID.randomUUID();
        Map<String, String> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", clientId);
        authorize.put("redirect_uri", REDIRECT_URI);
        authorize.put("code_challenge", challenge(verifier));
        authorize.put("code_challenge_method", "S256");
        authorize.put("scope", scope);
        authorize.put("state", "bench");
        authorize.put("resource", base + "/mcp");
        HttpResponse<String> consent = send(http, get(base, "/oauth/authorize?" + form(authorize)));
        require(consent, 200, "consent page");
        HttpResponse<String> decided = send(http, post(base, "/oauth/consent", "application/x-www-form-urlencoded",
                form(Map.of("csrf", field(consent.body(), "csrf"), "request", field(consent.body(), "request"),
                        "workspace", workspaceId, "decision", "approve"))));
        String location = decided.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("consent answered " + decided.statusCode()));
        String code = query(location).get("code");

        HttpResponse<String> token = send(http, post(base, "/oauth/token", "application/x-www-form-urlencoded",
                form(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT_URI,
                        "client_id", clientId, "code_verifier", verifier, "resource", base + "/mcp"))));
        require(token, 200, "token exchange");
        JsonNode tokens = JSON.readTree(token.body());
        return new McpSession(base, http, clientId, tokens.get("access_token").asString(),
                tokens.get("refresh_token").asString());
    }

    /** The base URL a benchmark was given, refused unless it is on 127.0.0.1: benchmarks load only this machine. */
    static URI loopback(String url) {
        URI base = URI.create(url);
        if (!"127.0.0.1".equals(base.getHost())) {
            throw new IllegalArgumentException("BASE must be on 127.0.0.1; got " + base);
        }
        return base;
    }

    /** The JSON-RPC request body of a {@code tools/call}, with a fresh id. */
    static String toolCallBody(String tool, Map<String, Object> arguments) {
        return JSON.writeValueAsString(Map.of(
                "jsonrpc", "2.0",
                "id", IDS.incrementAndGet(),
                "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments)));
    }

    /** Posts a raw JSON-RPC body to {@code /mcp} with this connection's token. */
    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Calls a tool; returns its structured content, failing on a protocol error or a refusal. */
    JsonNode call(String tool, Map<String, Object> arguments) throws IOException, InterruptedException {
        return structuredContent(tool, post(toolCallBody(tool, arguments)));
    }

    /**
     * Calls a tool like {@link #call} and writes the request body and the server's answer to {@code NAME.request}
     * and {@code NAME.response} under {@code out}, for a load generator to replay and compare against.
     */
    JsonNode record(String tool, Map<String, Object> arguments, Path out, String name)
            throws IOException, InterruptedException {
        String request = toolCallBody(tool, arguments);
        HttpResponse<String> response = post(request);
        JsonNode content = structuredContent(tool, response);
        Files.writeString(out.resolve(name + ".request"), request);
        Files.writeString(out.resolve(name + ".response"), response.body());
        return content;
    }

    private static JsonNode structuredContent(String tool, HttpResponse<String> response) {
        JsonNode result = JSON.readTree(response.body()).get("result");
        if (response.statusCode() != 200 || result == null || result.path("isError").asBoolean(false)) {
            throw new IllegalStateException(tool + " answered " + response.statusCode() + ": " + response.body());
        }
        return result.get("structuredContent");
    }

    private static HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).GET().build();
    }

    private static HttpRequest post(URI base, String path, String type, String body) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void require(HttpResponse<String> response, int status, String step) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(step + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no field " + name + " in the page");
        }
        return m.group(1);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> result = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            result.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return result;
    }

    private static String form(Map<String, String> params) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
