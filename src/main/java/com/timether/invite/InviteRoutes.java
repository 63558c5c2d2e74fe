package com.timether.invite;

import com.timether.account.PasswordHasher.HasherBusyException;
import com.timether.account.User;
import com.timether.invite.InviteAcceptance.Offer;
import com.timether.platform.error.DomainException;
import com.timether.platform.web.Browser;
import com.timether.platform.web.WebSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page an invite email links to, on the app origin: the invited person accepts with their account, or creates
 * one. The token is the only credential, so the page never echoes it into links other than its own forms.
 */
public final class InviteRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(InviteRoutes.class);

    private final Browser browser;
    private final InviteAcceptance acceptance;

    public InviteRoutes(Browser browser, InviteAcceptance acceptance) {
        this.browser = browser;
        this.acceptance = acceptance;
    }

    /** Registers the routes. */
    public void register(RoutesConfig routes) {
        routes.get("/invites/{token}", this::show);
        routes.post("/invites/{token}/accept", this::accept);
        routes.post("/invites/{token}/join", this::join);
    }

    private void show(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<Offer> offer = acceptance.find(token);
        if (offer.isEmpty()) {
            notValid(ctx);
            return;
        }
        WebSession session = browser.sessionOrAnonymous(ctx);
        page(ctx, HttpStatus.OK, session, token, offer.get(), "");
    }

    private void accept(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<WebSession> session = browser.session(ctx).filter(WebSession::isSignedIn);
        Optional<Offer> offer = acceptance.find(token);
        if (offer.isEmpty()) {
            notValid(ctx);
            return;
        }
        if (session.isEmpty() || !Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("invite acceptance rejected: not signed in, or csrf token missing or wrong");
            refuse(ctx, HttpStatus.FORBIDDEN, token, offer.get(), "Your form expired. Please try again.");
            return;
        }
        User user = session.get().user().orElseThrow();
        try {
            acceptance.accept(token, user);
        } catch (DomainException e) {
            LOG.debug("invite acceptance refused kind={}: {}", e.kind(), e.getMessage());
            refuse(ctx, status(e), token, offer.get(), e.getMessage());
            return;
        }
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private void join(Context ctx) {
        String token = ctx.pathParam("token");
        Optional<WebSession> session = browser.session(ctx);
        Optional<Offer> offer = acceptance.find(token);
        if (offer.isEmpty()) {
            notValid(ctx);
            return;
        }
        if (!Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("invite join rejected: csrf token missing or wrong");
            refuse(ctx, HttpStatus.FORBIDDEN, token, offer.get(), "Your form expired. Please try again.");
            return;
        }
        User user;
        try {
            user = acceptance.join(token, ctx.formParam("name"), ctx.formParam("password"));
        } catch (DomainException e) {
            LOG.debug("invite join refused kind={}: {}", e.kind(), e.getMessage());
            page(ctx, status(e), session.get(), token, offer.get(), e.getMessage());
            return;
        } catch (HasherBusyException e) {
            ctx.header("Retry-After", "5");
            page(ctx, HttpStatus.SERVICE_UNAVAILABLE, session.get(), token, offer.get(), e.getMessage());
            return;
        }
        browser.signIn(ctx, session, user);
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
    }

    private void refuse(Context ctx, HttpStatus status, String token, Offer offer, String error) {
        page(ctx, status, browser.sessionOrAnonymous(ctx), token, offer, error);
    }

    private static void page(
            Context ctx, HttpStatus status, WebSession session, String token, Offer offer, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("offer", offer);
        params.put("action", "/invites/" + token);
        params.put("csrf", session.csrfToken());
        params.put("signedInAs", session.user().map(User::email).orElse(null));
        params.put("error", error);
        Browser.render(ctx, offer.isAcceptable() ? status : HttpStatus.GONE, "invite.jte", params);
    }

    private static void notValid(Context ctx) {
        Browser.render(
                ctx,
                HttpStatus.NOT_FOUND,
                "error.jte",
                Map.of(
                        "title",
                        "Invite not found",
                        "message",
                        "This invite link is not valid. It may have been replaced by a newer email; use the latest"
                                + " one."));
    }

    private static HttpStatus status(DomainException e) {
        return HttpStatus.forStatus(e.kind().httpStatus());
    }
}
