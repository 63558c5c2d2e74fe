package com.timether.mcp;

import com.timether.access.Scope;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolSchemas;
import com.timether.oauth.check.Principal;
import com.timether.oauth.check.TokenCheck;
import com.timether.platform.text.InputRules;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The endpoint at {@code /mcp}, in front of the SDK's stateless server ({@link StatelessTransport}): method, Host
 * and Origin checks (DNS rebinding), the bearer token check of PRODUCT section 4, per-connection limits, body size
 * and the 403 step-up challenge (RFC 6750 section 3.1) for a tool that needs more scope than the connection holds.
 */
final class McpServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(McpServlet.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_BODY = 256 * 1024;

    private final transient StatelessTransport transport;
    private final transient TokenCheck tokens;
    private final transient ToolRegistry tools;
    private final transient ConnectionRateLimit limits;
    private final Set<String> allowedOrigins;
    private final Set<String> allowedHosts;
    private final String metadataUrl;

    McpServlet(
            StatelessTransport transport,
            TokenCheck tokens,
            ToolRegistry tools,
            ConnectionRateLimit limits,
            String apiUrl,
            String appUrl) {
        this.transport = transport;
        this.tokens = tokens;
        this.tools = tools;
        this.limits = limits;
        this.allowedOrigins = Set.copyOf(List.of(apiUrl, appUrl));
        this.allowedHosts = Set.copyOf(
                List.of(URI.create(apiUrl).getRawAuthority(), URI.create(appUrl).getRawAuthority()));
        this.metadataUrl = apiUrl + "/.well-known/oauth-protected-resource/mcp";
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (!isTrustedOrigin(request)) {
            LOG.debug(
                    "mcp request rejected: origin={} host={}", request.getHeader("Origin"), request.getHeader("Host"));
            reply(response, 403, jsonRpcError(-32600, "Forbidden: this Origin or Host is not allowed"));
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            reply(response, 405, jsonRpcError(-32600, "Method not allowed: this server is stateless; use POST"));
            return;
        }
        if (request.getParameter("access_token") != null) {
            reply(response, 400, oauthError("invalid_request", "Send the access token in the Authorization header"));
            return;
        }
        Optional<Principal> principal = authenticate(request, response);
        if (principal.isEmpty()) {
            return;
        }
        OptionalLong retry = limits.hit(principal.get().connectionId());
        if (retry.isPresent()) {
            response.setHeader("Retry-After", Long.toString(retry.getAsLong()));
            reply(
                    response,
                    429,
                    jsonRpcError(
                            -32000,
                            "Rate limit reached for this connection; retry in " + retry.getAsLong() + " seconds"));
            return;
        }
        byte[] body = readBody(request, response);
        if (body == null) {
            return;
        }
        Optional<JsonNode> message = parse(body);
        if (isRefusedMessage(request, message, response) || needsMoreScope(message.get(), principal.get(), response)) {
            return;
        }
        transport.serve(message.get(), principal.get(), response);
    }

    private boolean isTrustedOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        String host = request.getHeader("Host");
        return (origin == null || allowedOrigins.contains(origin)) && (host == null || allowedHosts.contains(host));
    }

    private Optional<Principal> authenticate(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer resource_metadata=\"" + metadataUrl + "\", scope=\"" + Scope.WRITE.withIncluded() + "\"");
            reply(response, 401, oauthError("invalid_request", "An access token is required"));
            return Optional.empty();
        }
        TokenCheck.Result result = tokens.check(header.substring(7).strip());
        if (result instanceof TokenCheck.Refused refused) {
            LOG.debug("mcp token refused reason={}", refused.reason());
            response.setHeader(
                    "WWW-Authenticate",
                    "Bearer error=\"invalid_token\", error_description=\"" + quotable(refused.description())
                            + "\", resource_metadata=\"" + metadataUrl + "\"");
            reply(response, 401, oauthError("invalid_token", refused.description()));
            return Optional.empty();
        }
        return Optional.of(((TokenCheck.Accepted) result).principal());
    }

    private static byte[] readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            refuseTooLarge(response);
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            // A declared length (checked above) is read into an array of that size, without growing buffers; Jetty
            // ends the stream there. A chunked body is read up to one byte past the limit.
            long declared = request.getContentLengthLong();
            byte[] body = declared >= 0 ? in.readNBytes((int) declared) : in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                refuseTooLarge(response);
                return null;
            }
            return body;
        }
    }

    private static void refuseTooLarge(HttpServletResponse response) throws IOException {
        reply(response, 413, jsonRpcError(-32600, "Request too large: at most " + MAX_BODY + " bytes"));
    }

    /** Answers a message the endpoint does not take with a JSON-RPC error that says what to change. */
    private static boolean isRefusedMessage(
            HttpServletRequest request, Optional<JsonNode> message, HttpServletResponse response) throws IOException {
        return hasRefusedHeaders(request, response) || isRefusedBody(message, response);
    }

    /** The Content-Type and Accept a Streamable HTTP POST must carry. */
    private static boolean hasRefusedHeaders(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = request.getContentType();
        if (type == null || !"application/json".equalsIgnoreCase(type.split(";", 2)[0].strip())) {
            reply(
                    response,
                    415,
                    jsonRpcError(
                            -32600, "Content-Type must be application/json, got '" + InputRules.shorten(type) + "'"));
            return true;
        }
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains("application/json") || !accept.contains("text/event-stream")) {
            reply(
                    response,
                    400,
                    jsonRpcError(
                            -32600,
                            "Accept must list application/json and text/event-stream, got '"
                                    + InputRules.shorten(accept) + "'"));
            return true;
        }
        return false;
    }

    /** One JSON-RPC request object, and for tools/call a named tool with an object of arguments. */
    private static boolean isRefusedBody(Optional<JsonNode> message, HttpServletResponse response) throws IOException {
        if (message.isEmpty()) {
            reply(response, 400, jsonRpcError(-32700, "Parse error: the body is not JSON"));
            return true;
        }
        if (!message.get().isObject() || !message.get().path("method").isString()) {
            reply(
                    response,
                    400,
                    jsonRpcError(
                            -32600,
                            "Invalid request: the body must be one JSON-RPC object with a string method (no batches)"));
            return true;
        }
        JsonNode params = message.get().path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            reply(
                    response,
                    400,
                    jsonRpcError(-32600, "Invalid request: params must be a JSON object, got " + params.getNodeType()));
            return true;
        }
        JsonNode arguments = params.path("arguments");
        boolean isToolCall = "tools/call".equals(message.get().path("method").asString(""));
        if (isToolCall && (!params.path("name").isString() || !arguments.isMissingNode() && !arguments.isObject())) {
            reply(
                    response,
                    400,
                    jsonRpcError(
                            -32602,
                            "Invalid params: tools/call needs params.name as a string and params.arguments, when"
                                    + " given, as an object"));
            return true;
        }
        return false;
    }

    private static Optional<JsonNode> parse(byte[] body) {
        try {
            JsonNode message = JSON.readTree(body);
            return message == null || message.isMissingNode() ? Optional.empty() : Optional.of(message);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * Answers 403 insufficient_scope when the call names a tool whose scope the connection lacks but the person's
     * role could be granted; otherwise the tool call itself refuses, naming the role.
     */
    private boolean needsMoreScope(JsonNode message, Principal principal, HttpServletResponse response)
            throws IOException {
        Optional<Tool> tool = calledTool(message);
        if (tool.isEmpty() || principal.scope().includes(ToolSchemas.scope(tool.get()))) {
            return false;
        }
        Scope needed = ToolSchemas.scope(tool.get());
        if (!principal.role().maxGrantableScope().includes(needed)) {
            // A step-up could never succeed: consent grants at most what the role allows (PRODUCT section 3).
            return false;
        }
        String description = tool.get().name() + " needs the " + needed.value() + " scope";
        response.setHeader(
                "WWW-Authenticate",
                "Bearer error=\"insufficient_scope\", scope=\""
                        + needed.withIncluded() + "\", resource_metadata=\"" + metadataUrl + "\", error_description=\""
                        + description + "\"");
        reply(response, 403, oauthError("insufficient_scope", description));
        return true;
    }

    private Optional<Tool> calledTool(JsonNode message) {
        if ("tools/call".equals(message.path("method").asString(""))) {
            return tools.find(message.path("params").path("name").asString(""));
        }
        return Optional.empty();
    }

    /**
     * The description as an RFC 6750 section 3 error_description: printable ASCII without '"' or '\', so that a
     * workspace name in it cannot end the quoted string early. The JSON body keeps the exact text.
     */
    private static String quotable(String description) {
        StringBuilder quotable = new StringBuilder(description.length());
        for (char c : description.toCharArray()) {
            boolean isAllowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            quotable.append(isAllowed ? c : c == '"' ? '\'' : '?');
        }
        return quotable.toString();
    }

    private static String oauthError(String code, String description) {
        return JSON.writeValueAsString(java.util.Map.of("error", code, "error_description", description));
    }

    /** A JSON-RPC error whose request id is unknown: JSON-RPC 2.0 section 5 asks for a null id then. */
    static String jsonRpcError(int code, String message) {
        return jsonRpcError(null, code, message);
    }

    /** A JSON-RPC error answering the request {@code id}. */
    static String jsonRpcError(Object id, int code, String message) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("jsonrpc", "2.0");
        error.put("id", id);
        error.put("error", java.util.Map.of("code", code, "message", message));
        return JSON.writeValueAsString(error);
    }

    static void reply(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
}
