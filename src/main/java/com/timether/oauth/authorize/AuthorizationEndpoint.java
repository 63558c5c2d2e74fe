package com.timether.oauth.authorize;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.timether.access.Scope;
import com.timether.account.AccountRoutes;
import com.timether.account.User;
import com.timether.oauth.check.Eligibility;
import com.timether.oauth.client.ClientResolver;
import com.timether.oauth.client.RedirectUris;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.web.Browser;
import com.timether.platform.web.WebSession;
import com.timether.workspace.WorkspaceService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint and consent page on the app origin (PRODUCT section 4): validates the request,
 * signs the person in, lets them pick one workspace, and answers the client with a code or {@code access_denied}.
 */
public final class AuthorizationEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationEndpoint.class);
    static final Duration CODE_LIFETIME = Duration.ofMinutes(2);

    private final Browser browser;
    private final WorkspaceService workspaces;
    private final AuthorizationRequestParser parser;
    private final PendingConsents pending;
    private final Jdbi jdbi;
    private final Issuer issuer;
    private final boolean isMcpOn;

    public AuthorizationEndpoint(
            Browser browser,
            WorkspaceService workspaces,
            ClientResolver clients,
            Jdbi jdbi,
            String issuer,
            String resource,
            boolean isMcpOn) {
        this.browser = browser;
        this.workspaces = workspaces;
        this.parser = new AuthorizationRequestParser(clients, resource);
        this.pending = new PendingConsents(jdbi);
        this.jdbi = jdbi;
        this.issuer = new Issuer(issuer);
        this.isMcpOn = isMcpOn;
    }

    /** Registers the routes. */
    public void register(RoutesConfig routes) {
        routes.get("/oauth/authorize", this::authorize);
        routes.post("/oauth/consent", this::decide);
    }

    private void authorize(Context ctx) {
        AuthorizationRequest request;
        try {
            request = parser.parse(ctx.queryParamMap());
        } catch (AuthorizationRequestParser.UntrustedRedirectException e) {
            LOG.debug("authorization rejected before redirect: {}", e.getMessage());
            Browser.render(
                    ctx,
                    HttpStatus.BAD_REQUEST,
                    "error.jte",
                    Map.of("title", "This sign-in link is not valid", "message", e.getMessage()));
            return;
        } catch (AuthorizationRequestParser.RedirectableException e) {
            LOG.debug("authorization rejected client_id={}: {}", e.client.clientId(), e.getMessage());
            ctx.redirect(errorUri(e.redirectUri, e.error.error(), e.state), HttpStatus.FOUND);
            return;
        }
        Optional<WebSession> session = AccountRoutes.requireSignedIn(browser, ctx);
        if (session.isEmpty()) {
            return;
        }
        User user = session.get().user().orElseThrow();
        UUID id = pending.save(user.id(), request);
        showConsent(ctx, session.get(), id, request, null);
    }

    private void decide(Context ctx) {
        Optional<WebSession> session = browser.session(ctx).filter(WebSession::isSignedIn);
        if (!Browser.hasValidCsrf(ctx, session)) {
            LOG.debug("consent rejected: csrf token missing or wrong");
            Browser.render(
                    ctx,
                    HttpStatus.FORBIDDEN,
                    "error.jte",
                    Map.of(
                            "title",
                            "Request refused",
                            "message",
                            "This consent form expired or did not come from Timether." + " Start again from the app."));
            return;
        }
        User user = session.get().user().orElseThrow();
        Optional<UUID> id = uuid(ctx.formParam("request"));
        Optional<AuthorizationRequest> request = id.flatMap(value -> pending.find(value, user.id()));
        if (request.isEmpty()) {
            Browser.render(
                    ctx,
                    HttpStatus.BAD_REQUEST,
                    "error.jte",
                    Map.of(
                            "title", "This request expired",
                            "message",
                                    "The authorization request is no longer valid. Start again from the application."));
            return;
        }
        if (!"approve".equals(ctx.formParam("decision"))) {
            pending.remove(id.get());
            LOG.debug("consent denied client_id={}", request.get().client().clientId());
            ctx.redirect(
                    errorUri(
                            request.get().redirectUri(),
                            OAuth2Error.ACCESS_DENIED.setDescription("The person denied access"),
                            request.get().state()),
                    HttpStatus.SEE_OTHER);
            return;
        }
        approve(ctx, session.get(), id.get(), request.get());
    }

    private void approve(Context ctx, WebSession session, UUID id, AuthorizationRequest request) {
        User user = session.user().orElseThrow();
        List<WorkspaceChoice> choices = choices(user, request.scope());
        Optional<WorkspaceChoice> chosen = uuid(ctx.formParam("workspace"))
                .flatMap(ws -> choices.stream().filter(c -> c.id().equals(ws)).findFirst());
        if (chosen.isEmpty() || !chosen.get().isEligible()) {
            String problem = chosen.isEmpty()
                    ? "Choose one workspace for this connection."
                    : chosen.get().name() + " cannot be connected: "
                            + chosen.get().ineligibleReason().get();
            showConsent(ctx, session, id, request, problem);
            return;
        }
        if (!pending.remove(id)) {
            Browser.render(
                    ctx,
                    HttpStatus.CONFLICT,
                    "error.jte",
                    Map.of("title", "Already decided", "message", "This request was already approved or denied."));
            return;
        }
        String code = issueCode(user, chosen.get(), request);
        LOG.debug(
                "consent approved client_id={} workspace={}",
                request.client().clientId(),
                chosen.get().id());
        URI target = new AuthorizationSuccessResponse(
                        URI.create(request.redirectUri()),
                        new AuthorizationCode(code),
                        null,
                        request.state().map(State::new).orElse(null),
                        issuer,
                        null)
                .toURI();
        ctx.redirect(target.toString(), HttpStatus.SEE_OTHER);
    }

    private String issueCode(User user, WorkspaceChoice choice, AuthorizationRequest request) {
        String code = "ttc_" + Secrets.random(32);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO authorization_codes (code_hash, client_id, redirect_uri,"
                        + " code_challenge, user_id, workspace_id, client_name, scope, resource, expires_at)"
                        + " VALUES (:hash, :client, :redirect, :challenge, :user, :ws, :name, :scope, :resource,"
                        + " :expires)")
                .bind("hash", Secrets.hash(code))
                .bind("client", request.client().clientId())
                .bind("redirect", request.redirectUri())
                .bind("challenge", request.codeChallenge())
                .bind("user", user.id())
                .bind("ws", choice.id())
                .bind("name", request.client().name())
                .bind("scope", choice.grantedScope().withIncluded())
                .bind("resource", request.resource())
                .bind("expires", Instant.now().plus(CODE_LIFETIME))
                .execute());
        return code;
    }

    private List<WorkspaceChoice> choices(User user, Scope requested) {
        return workspaces.listForUser(user.id()).stream()
                .map(m -> new WorkspaceChoice(
                        m.workspace().id(),
                        m.workspace().name(),
                        m.role().value(),
                        requested.min(m.role().maxGrantableScope()),
                        Eligibility.check(user.isActive(), m.isActive(), m.role(), m.workspace(), isMcpOn)
                                .map(Eligibility.Refusal::description)))
                .toList();
    }

    private void showConsent(Context ctx, WebSession session, UUID id, AuthorizationRequest request, String error) {
        User user = session.user().orElseThrow();
        Map<String, Object> params = new HashMap<>();
        params.put("csrf", session.csrfToken());
        params.put("requestId", id.toString());
        params.put("clientName", request.client().name());
        params.put("isVerified", request.client().isVerified());
        params.put("redirectHost", RedirectUris.host(request.redirectUri()));
        params.put("accessLines", ScopeWords.lines(request.scope()));
        params.put("choices", choices(user, request.scope()));
        params.put("userEmail", user.email());
        params.put("error", error);
        Browser.render(ctx, error == null ? HttpStatus.OK : HttpStatus.BAD_REQUEST, "consent.jte", params);
        // The decision redirects to the client; CSP form-action must allow that one origin (and no other).
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline';" + " frame-ancestors 'none'; form-action 'self' "
                        + origin(request.redirectUri()));
    }

    private URI errorUriOf(String redirectUri, ErrorObject error, Optional<String> state) {
        return new AuthorizationErrorResponse(
                        URI.create(redirectUri), error, state.map(State::new).orElse(null), issuer, null)
                .toURI();
    }

    private String errorUri(String redirectUri, ErrorObject error, Optional<String> state) {
        return errorUriOf(redirectUri, error, state).toString();
    }

    private static String origin(String uri) {
        URI parsed = URI.create(uri);
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }

    private static Optional<UUID> uuid(String value) {
        try {
            return Optional.ofNullable(value).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
