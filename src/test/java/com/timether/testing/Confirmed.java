package com.timether.testing;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Runs a consequential tool through its confirmation flow: the first call for a token, the second with it. */
public final class Confirmed {
    private Confirmed() {}

    /** The confirmation the first call answered; nothing has changed yet. */
    public static JsonNode ask(McpCall mcp, String tool, Map<String, Object> arguments) {
        JsonNode pending = mcp.ok(tool, arguments);
        if (!pending.path("confirmation_required").asBoolean(false)) {
            throw new IllegalStateException(tool + " did not ask for confirmation: " + pending);
        }
        return pending;
    }

    /** The result of the tool once confirmed; it must succeed. */
    public static JsonNode call(McpCall mcp, String tool, Map<String, Object> arguments) {
        return mcp.ok(tool, withToken(arguments, ask(mcp, tool, arguments)));
    }

    /** The refusal of the confirmed call (the first call must succeed). */
    public static String refusal(McpCall mcp, String tool, Map<String, Object> arguments) {
        return mcp.refusal(tool, withToken(arguments, ask(mcp, tool, arguments)));
    }

    /** The arguments plus the token of {@code pending}. */
    public static Map<String, Object> withToken(Map<String, Object> arguments, JsonNode pending) {
        Map<String, Object> confirmed = new HashMap<>(arguments);
        confirmed.put("confirmation_token", pending.get("confirmation_token").asString());
        return confirmed;
    }
}
