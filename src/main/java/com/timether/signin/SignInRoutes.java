package com.timether.signin;

import com.timether.account.PasswordHasher.HasherBusyException;
import com.timether.account.User;
import com.timether.account.UserService;
import com.timether.platform.web.Browser;
import com.timether.platform.web.WebSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sign-in and sign-out pages of the app origin. */
public final class SignInRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(SignInRoutes.class);
    static final String WRONG_CREDENTIALS = "The email or password is not correct.";

    private final Browser browser;
    private final UserService users;
    private final SignInThrottle throttle;

    public SignInRoutes(Browser browser, UserService users, SignInThrottle throttle) {
        this.browser = browser;
        this.users = users;
        this.throttle = throttle;
    }

    /** Registers the routes. */
    public void register(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/account"));
        routes.get("/signin", this::showForm);
        routes.post("/signin", this::signIn);
        routes.post("/signout", this::signOut);
    }

    private void showForm(Context ctx) {
        String returnTo = Browser.safeReturnPath(ctx.queryParam("return_to"));
        Optional<WebSession> existing = browser.session(ctx);
        if (existing.isPresent() && existing.get().isSignedIn()) {
            ctx.redirect(returnTo);
            return;
        }
        WebSession session = browser.sessionOrAnonymous(ctx);
        form(ctx, HttpStatus.OK, session, returnTo, "", null);
    }

    private void signIn(Context ctx) {
        Optional<WebSession> session = browser.session(ctx);
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("");
        String returnTo = Browser.safeReturnPath(ctx.formParam("return_to"));
        if (!Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("sign-in rejected: csrf token missing or wrong");
            WebSession fresh = browser.sessionOrAnonymous(ctx);
            form(ctx, HttpStatus.FORBIDDEN, fresh, returnTo, email, "Your sign-in form expired. Please try again.");
            return;
        }
        if (email.length() > 254) {
            form(ctx, HttpStatus.BAD_REQUEST, session.get(), returnTo, "", "Email must be at most 254 characters.");
            return;
        }
        // LIMITATION: behind a load balancer ctx.ip() is the balancer's address, so the per-address limit would
        // count all visitors together; production needs a trusted-proxy setting that reads X-Forwarded-For.
        Optional<Instant> blocked = throttle.blockedUntil(email, ctx.ip());
        if (blocked.isPresent()) {
            long minutes =
                    Math.max(1, Duration.between(Instant.now(), blocked.get()).toMinutes() + 1);
            LOG.debug("sign-in rejected: throttled");
            form(
                    ctx,
                    HttpStatus.TOO_MANY_REQUESTS,
                    session.get(),
                    returnTo,
                    email,
                    "Too many failed sign-ins. Try again in " + minutes + " minutes.");
            return;
        }
        Optional<User> user;
        try {
            user = users.authenticate(email, ctx.formParam("password"));
        } catch (HasherBusyException e) {
            ctx.header("Retry-After", "5");
            form(
                    ctx,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    session.get(),
                    returnTo,
                    email,
                    "Sign-in is busy right now. Please try again in a few seconds.");
            return;
        }
        if (user.isEmpty()) {
            throttle.recordFailure(email, ctx.ip());
            form(ctx, HttpStatus.UNAUTHORIZED, session.get(), returnTo, email, WRONG_CREDENTIALS);
            return;
        }
        if (!user.get().isActive()) {
            LOG.debug("sign-in rejected: account disabled");
            form(
                    ctx,
                    HttpStatus.FORBIDDEN,
                    session.get(),
                    returnTo,
                    email,
                    "This account is disabled. Ask your workspace administrator for help.");
            return;
        }
        throttle.recordSuccess(email);
        browser.signIn(ctx, session, user.get());
        ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        Optional<WebSession> session = browser.session(ctx);
        if (!Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("sign-out rejected: csrf token missing or wrong");
            Browser.render(
                    ctx,
                    HttpStatus.FORBIDDEN,
                    "error.jte",
                    Map.of("title", "Request refused", "message", "Your form expired. Go back and try again."));
            return;
        }
        browser.signOut(ctx, session.get());
        ctx.redirect("/signin", HttpStatus.SEE_OTHER);
    }

    private static void form(
            Context ctx, HttpStatus status, WebSession session, String returnTo, String email, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("csrf", session.csrfToken());
        params.put("returnTo", returnTo);
        params.put("email", email.length() > 254 ? "" : email);
        params.put("error", error);
        Browser.render(ctx, status, "signin.jte", params);
    }
}
