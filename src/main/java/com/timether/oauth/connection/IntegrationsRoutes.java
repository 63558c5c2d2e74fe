package com.timether.oauth.connection;

import com.timether.account.AccountRoutes;
import com.timether.account.User;
import com.timether.platform.web.Browser;
import com.timether.platform.web.WebSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Account → Integrations: the person's connections, each with a Revoke button that takes effect at once. */
public final class IntegrationsRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationsRoutes.class);

    private final Browser browser;
    private final ConnectionStore connections;

    public IntegrationsRoutes(Browser browser, ConnectionStore connections) {
        this.browser = browser;
        this.connections = connections;
    }

    /** Registers the routes. */
    public void register(RoutesConfig routes) {
        routes.get("/account/integrations", this::list);
        routes.post("/account/integrations/revoke", this::revoke);
    }

    private void list(Context ctx) {
        Optional<WebSession> session = AccountRoutes.requireSignedIn(browser, ctx);
        if (session.isEmpty()) {
            return;
        }
        User user = session.get().user().orElseThrow();
        Browser.render(
                ctx,
                HttpStatus.OK,
                "integrations.jte",
                Map.of(
                        "csrf", session.get().csrfToken(),
                        "connections", connections.listForUser(user.id()),
                        "zone", user.timeZone()));
    }

    private void revoke(Context ctx) {
        Optional<WebSession> session = browser.session(ctx).filter(WebSession::isSignedIn);
        if (!Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("revoke rejected: csrf token missing or wrong");
            Browser.render(
                    ctx,
                    HttpStatus.FORBIDDEN,
                    "error.jte",
                    Map.of(
                            "title",
                            "Request refused",
                            "message",
                            "Your form expired. Go back to Integrations and try again."));
            return;
        }
        UUID userId = session.get().user().orElseThrow().id();
        boolean isRevoked;
        try {
            isRevoked = connections.revokeByUser(userId, UUID.fromString(String.valueOf(ctx.formParam("connection"))));
        } catch (IllegalArgumentException e) {
            isRevoked = false;
        }
        if (!isRevoked) {
            Browser.render(
                    ctx,
                    HttpStatus.NOT_FOUND,
                    "error.jte",
                    Map.of("title", "Connection not found", "message", "There is no such connection on your account."));
            return;
        }
        ctx.redirect("/account/integrations", HttpStatus.SEE_OTHER);
    }
}
