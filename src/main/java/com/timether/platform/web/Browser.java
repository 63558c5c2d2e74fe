package com.timether.platform.web;

import com.timether.platform.crypto.Secrets;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;

/**
 * What every page needs: the session cookie, CSRF checks, safe redirects and rendering with security headers.
 */
public final class Browser {
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private final SessionStore sessions;
    private final boolean isSecure;
    private final String cookieName;

    public Browser(SessionStore sessions, boolean isSecure) {
        this.sessions = sessions;
        this.isSecure = isSecure;
        // The __Host- prefix pins the cookie to this exact origin, but browsers honour it only over HTTPS.
        this.cookieName = isSecure ? "__Host-timether_session" : "timether_session";
    }

    /** The request's live session, if any. */
    public Optional<WebSession> session(Context ctx) {
        return sessions.find(ctx.cookie(cookieName));
    }

    /** The request's live session, or a new anonymous one whose cookie is set on the response. */
    public WebSession sessionOrAnonymous(Context ctx) {
        return session(ctx).orElseGet(() -> {
            WebSession fresh = sessions.startAnonymous();
            setCookie(ctx, fresh, (int) SessionStore.ANONYMOUS_LIFETIME.toSeconds());
            return fresh;
        });
    }

    /** Replaces the request's session with a signed-in one. */
    public WebSession signIn(Context ctx, Optional<WebSession> previous, com.timether.account.User user) {
        WebSession fresh = sessions.signIn(previous, user);
        setCookie(ctx, fresh, (int) SessionStore.SIGNED_IN_LIFETIME.toSeconds());
        return fresh;
    }

    /** Ends the session and clears its cookie. */
    public void signOut(Context ctx, WebSession session) {
        sessions.end(session);
        ctx.header("Set-Cookie", cookieHeader("", 0));
    }

    /**
     * Whether the form's {@code csrf} field matches the session's token. Only a form body counts: Javalin would
     * otherwise read {@code name=value} pairs out of a JSON or plain-text body too.
     */
    public static boolean hasValidCsrf(Context ctx, Optional<WebSession> session) {
        boolean isForm = ctx.isFormUrlencoded() || ctx.isMultipartFormData();
        return session.isPresent()
                && isForm
                && Secrets.isEqual(ctx.formParam("csrf"), session.get().csrfToken());
    }

    /** A local path to go to after sign-in; anything else (other hosts, schemes, {@code //x}) becomes /account. */
    public static String safeReturnPath(String candidate) {
        boolean isLocal = candidate != null
                && candidate.startsWith("/")
                && !candidate.startsWith("//")
                && !candidate.startsWith("/\\")
                && candidate.length() <= 2000
                && candidate.chars().noneMatch(c -> c < 0x20 || c == '\\');
        return isLocal ? candidate : "/account";
    }

    /** Renders a page with headers that forbid framing, sniffing and caching. */
    public static void render(Context ctx, HttpStatus status, String template, Map<String, Object> params) {
        StringOutput output = new StringOutput();
        TEMPLATES.render(template, params, output);
        securityHeaders(ctx);
        ctx.status(status).contentType("text/html; charset=utf-8").result(output.toString());
    }

    /** Headers for every page: no framing (clickjacking), no sniffing, no caching of forms and tokens. */
    public static void securityHeaders(Context ctx) {
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private void setCookie(Context ctx, WebSession session, int maxAgeSeconds) {
        ctx.header("Set-Cookie", cookieHeader(session.cookie(), maxAgeSeconds));
    }

    /** The {@code Set-Cookie} value for the session cookie; Max-Age 0 deletes it. */
    String cookieHeader(String value, int maxAgeSeconds) {
        return cookieName + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Lax"
                + (isSecure ? "; Secure" : "");
    }
}
