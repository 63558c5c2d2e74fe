package com.timether.mcp;

import com.timether.access.AccessPolicy;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolExecutor;
import com.timether.mcp.tool.ToolSchemas;
import com.timether.oauth.check.Principal;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every tool of the server by name, and their SDK specifications. */
public final class ToolRegistry {
    /** The transport context key under which the request's principal travels. */
    static final String PRINCIPAL = "timether.principal";

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public ToolRegistry(List<Tool> all) {
        for (Tool tool : all) {
            if (tools.put(tool.name(), tool) != null) {
                throw new IllegalStateException("Two tools are named " + tool.name());
            }
        }
    }

    /** Every tool, in declaration order. */
    public List<Tool> all() {
        return List.copyOf(tools.values());
    }

    /** The tool with this name. */
    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** Whether the principal in {@code context} may see the tool: the same rule as the call-time check. */
    boolean isVisible(McpTransportContext context, McpSchema.Tool tool) {
        Principal principal = (Principal) context.get(PRINCIPAL);
        return principal != null
                && find(tool.name())
                        .map(t -> AccessPolicy.decide(t.requirement(), principal.accessContext())
                                .isAllowed())
                        .orElse(false);
    }

    /** The SDK specifications, each calling through {@code executor}, their output schemas known to {@code schemas}. */
    List<SyncToolSpecification> specifications(ToolExecutor executor, ToolSchemaValidator schemas) {
        return tools.values().stream()
                .map(tool -> SyncToolSpecification.builder()
                        .tool(McpSchema.Tool.builder()
                                .name(tool.name())
                                .title(tool.title())
                                .description(tool.description())
                                .inputSchema(ToolSchemas.input(tool))
                                .outputSchema(schemas.output(ToolSchemas.output(tool)))
                                .annotations(ToolSchemas.annotations(tool))
                                .build())
                        .callHandler((context, request) ->
                                executor.execute(tool, (Principal) context.get(PRINCIPAL), request.arguments()))
                        .build())
                .toList();
    }
}
