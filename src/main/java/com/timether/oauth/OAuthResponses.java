package com.timether.oauth;

import io.javalin.http.Context;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes OAuth JSON responses: never cached (RFC 6749 section 5.1), errors as RFC 6749 section 5.2 objects. */
public final class OAuthResponses {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OAuthResponses() {}

    /** A JSON body with {@code status}. */
    public static void json(Context ctx, int status, Map<String, ?> body) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    }

    /** The error's JSON object with its HTTP status (400 unless the error says otherwise). */
    public static void error(Context ctx, OAuthException e) {
        int status = e.error().getHTTPStatusCode() > 0 ? e.error().getHTTPStatusCode() : 400;
        json(ctx, status, e.error().toJSONObject());
    }
}
