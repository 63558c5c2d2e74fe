package com.timether.mcp;

import com.timether.access.Scope;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolSchemas;
import com.timether.oauth.check.Principal;
import com.timether.oauth.check.TokenCheck;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
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
 * The guard in front of the SDK's stateless transport at {@code /mcp}: method, Host and Origin checks (DNS
 * rebinding), the bearer token check of PRODUCT section 4, per-connection limits, body size and the 403 step-up
 * challenge (RFC 6750 section 3.1) for a tool that needs more scope than the connection holds.
 */
final class McpServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(McpServlet.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_BODY = 256 * 1024;

    private final transient HttpServlet transport;
    private final transient TokenCheck tokens;
    private final transient ToolRegistry tools;
    private final transient ConnectionRateLimit limits;
    private final Set<String> allowedOrigins;
    private final Set<String> allowedHosts;
    private final String metadataUrl;

    McpServlet(
            HttpServlet transport,
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
        if (body == null || needsMoreScope(body, principal.get(), response)) {
            return;
        }
        request.setAttribute(ToolRegistry.PRINCIPAL, principal.get());
        BufferedJsonResponse buffered = new BufferedJsonResponse(response);
        transport.service(new CachedBodyRequest(request, body), buffered);
        buffered.send();
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
                    "Bearer error=\"invalid_token\", error_description=\"" + refused.description()
                            + "\", resource_metadata=\"" + metadataUrl + "\"");
            reply(response, 401, oauthError("invalid_token", refused.description()));
            return Optional.empty();
        }
        return Optional.of(((TokenCheck.Accepted) result).principal());
    }

    private static byte[] readBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            reply(response, 413, jsonRpcError(-32600, "Request too large: at most " + MAX_BODY + " bytes"));
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                reply(response, 413, jsonRpcError(-32600, "Request too large: at most " + MAX_BODY + " bytes"));
                return null;
            }
            return body;
        }
    }

    /**
     * Answers 403 insufficient_scope when the call names a tool whose scope the connection lacks but the person's
     * role could be granted; otherwise the tool call itself refuses, naming the role.
     */
    private boolean needsMoreScope(byte[] body, Principal principal, HttpServletResponse response) throws IOException {
        Optional<Tool> tool = calledTool(body);
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

    private Optional<Tool> calledTool(byte[] body) {
        try {
            JsonNode message = JSON.readTree(body);
            if (message != null
                    && message.isObject()
                    && "tools/call".equals(message.path("method").asString(""))) {
                return tools.find(message.path("params").path("name").asString(""));
            }
        } catch (JacksonException e) {
            // Malformed JSON is the transport's to answer, as a JSON-RPC parse error.
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String oauthError(String code, String description) {
        return JSON.writeValueAsString(java.util.Map.of("error", code, "error_description", description));
    }

    private static String jsonRpcError(int code, String message) {
        return JSON.writeValueAsString(java.util.Map.of(
                "jsonrpc", "2.0", "id", "server-error", "error", java.util.Map.of("code", code, "message", message)));
    }

    private static void reply(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The request with its body already read, so the transport can read it again. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
