package com.timether.oauth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * Lets browser-based MCP clients call the OAuth API endpoints from any origin. Safe because these endpoints
 * use no cookies: every request authenticates by its own parameters.
 */
public final class ApiCors {
    private static final List<String> PATHS = List.of(
            "/.well-known/oauth-authorization-server",
            "/.well-known/oauth-protected-resource/mcp",
            "/oauth/token",
            "/oauth/register",
            "/oauth/revoke");

    private ApiCors() {}

    /** Registers the CORS headers and preflight answers. */
    public static void register(RoutesConfig routes) {
        for (String path : PATHS) {
            routes.before(path, ApiCors::allow);
            routes.options(path, ctx -> ctx.status(204));
        }
    }

    private static void allow(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization, MCP-Protocol-Version");
        ctx.header("Access-Control-Max-Age", "600");
    }
}
