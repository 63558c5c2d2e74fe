package com.timether.account;

import com.timether.platform.web.Browser;
import com.timether.platform.web.WebSession;
import com.timether.workspace.WorkspaceService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** The account home: the signed-in person's workspaces with plan and role. */
public final class AccountRoutes {
    private final Browser browser;
    private final WorkspaceService workspaces;

    public AccountRoutes(Browser browser, WorkspaceService workspaces) {
        this.browser = browser;
        this.workspaces = workspaces;
    }

    /** Registers the routes. */
    public void register(RoutesConfig routes) {
        routes.get("/account", this::home);
    }

    private void home(Context ctx) {
        Optional<WebSession> session = requireSignedIn(browser, ctx);
        if (session.isEmpty()) {
            return;
        }
        User user = session.get().user().orElseThrow();
        Browser.render(
                ctx,
                HttpStatus.OK,
                "account.jte",
                Map.of(
                        "user", user,
                        "csrf", session.get().csrfToken(),
                        "memberships", workspaces.listForUser(user.id())));
    }

    /** The signed-in session, or empty after redirecting to sign-in with a way back. */
    public static Optional<WebSession> requireSignedIn(Browser browser, Context ctx) {
        Optional<WebSession> session = browser.session(ctx).filter(WebSession::isSignedIn);
        if (session.isEmpty()) {
            String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.redirect("/signin?return_to=" + URLEncoder.encode(back, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        }
        return session;
    }
}
