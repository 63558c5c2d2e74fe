package com.timether.mcp;

import com.timether.access.Scope;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolExecutor;
import com.timether.oauth.OAuthResponses;
import com.timether.oauth.check.TokenCheck;
import com.timether.platform.config.Settings;
import io.javalin.config.RoutesConfig;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.json.JsonMapper;

/** The MCP endpoint of PRODUCT section 5: the SDK's stateless server behind our guard, and its resource metadata. */
public final class McpEndpoint {
    private final Settings settings;
    private final ToolRegistry registry;
    private final McpServlet servlet;
    private final McpStatelessSyncServer server;

    public McpEndpoint(Settings settings, Jdbi jdbi, TokenCheck tokens, List<Tool> tools) {
        this.settings = settings;
        ToolSchemaValidator schemas = new ToolSchemaValidator(settings.mcpChecksOutputs());
        this.registry = new ToolRegistry(tools);
        // The SDK's own default mapper, named here so that the transport reads and writes with the same one.
        JsonMapper json = JsonMapper.shared();
        StatelessTransport transport = new StatelessTransport(json);
        this.server = McpServer.sync(transport)
                .jsonMapper(new JacksonMcpJsonMapper(json))
                .serverInfo("timether", "0.1.0")
                .instructions("Timether time tracking for one workspace. Call get_workspace_context first."
                        + " Consequential tools answer with a confirmation_token first: show the effect to the"
                        + " person and repeat the call with the token only after they agree.")
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .immediateExecution(true)
                .validateToolInputs(true)
                .jsonSchemaValidator(schemas)
                .addToolFilter(registry::isVisible)
                .tools(registry.specifications(new ToolExecutor(jdbi), schemas))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        this.servlet = new McpServlet(
                transport,
                tokens,
                registry,
                new ConnectionRateLimit(settings.mcpCallsPerMinute(), Duration.ofMinutes(1)),
                settings.apiUrl(),
                settings.appUrl());
    }

    /** The servlet to mount at {@code /mcp}. */
    public HttpServlet servlet() {
        return servlet;
    }

    /** Every tool, for tests and documentation. */
    public List<Tool> tools() {
        return registry.all();
    }

    /** Registers the protected resource metadata (RFC 9728). */
    public void register(RoutesConfig routes) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", settings.mcpResource());
        metadata.put("authorization_servers", List.of(settings.apiUrl()));
        metadata.put("scopes_supported", List.of(Scope.supportedList().split(" ")));
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", "Timether");
        routes.get("/.well-known/oauth-protected-resource/mcp", ctx -> OAuthResponses.json(ctx, 200, metadata));
        routes.get("/.well-known/oauth-protected-resource", ctx -> OAuthResponses.json(ctx, 200, metadata));
    }

    /** Stops the SDK server. */
    public void close() {
        server.closeGracefully();
    }
}
