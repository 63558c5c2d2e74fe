package com.timether.mcp.tool;

import com.timether.access.Scope;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.Map;

/** Derives a tool's wire description (schemas and annotations) from its declaration. */
public final class ToolSchemas {
    private ToolSchemas() {}

    /** The input schema, with the arguments the tool's kind adds. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> input(Tool tool) {
        Map<String, Object> schema = tool.input().toMap();
        Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
        if (tool.kind() == ToolKind.CREATE) {
            properties.put(
                    ToolExecutor.IDEMPOTENCY_KEY,
                    Schema.string(
                            "Optional. Repeating the call with the same key and arguments returns the first result"
                                    + " without creating again.",
                            200));
        }
        if (tool.kind() == ToolKind.CONSEQUENTIAL) {
            properties.put(
                    ToolExecutor.CONFIRMATION_TOKEN,
                    Schema.string(
                            "Omit on the first call: you get a token and a description of the effect. Call again with"
                                    + " the same arguments and this token, after the person agreed, to act.",
                            200));
        }
        return schema;
    }

    /** The output schema; a consequential tool's output is either its result or a confirmation request. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> output(Tool tool) {
        if (tool.kind() != ToolKind.CONSEQUENTIAL) {
            return tool.output();
        }
        Map<String, Object> properties =
                new LinkedHashMap<>((Map<String, Object>) tool.output().get("properties"));
        properties.put(
                "confirmation_required", Schema.bool("True when nothing happened yet and a confirmation is needed"));
        properties.put("confirmation_token", Schema.string("One-time token for the confirming call", 200));
        properties.put("expires_at", Schema.string("When the confirmation token expires (ISO 8601)", 40));
        properties.put("effect", Schema.string("What the confirmed call will do, in plain words", 2000));
        properties.put("next_step", Schema.string("What to do next", 500));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        return schema;
    }

    /** Honest annotations from the tool's kind. */
    public static McpSchema.ToolAnnotations annotations(Tool tool) {
        boolean isRead = tool.kind() == ToolKind.READ;
        boolean isIdempotent = isRead || tool.kind() == ToolKind.UPDATE;
        return new McpSchema.ToolAnnotations(tool.title(), isRead, tool.isDestructive(), isIdempotent, false, null);
    }

    /** The scope the tool needs, for the 403 challenge. */
    public static Scope scope(Tool tool) {
        return tool.requirement().scope();
    }
}
