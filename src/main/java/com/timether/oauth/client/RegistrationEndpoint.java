package com.timether.oauth.client;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.timether.access.Scope;
import com.timether.oauth.OAuthException;
import com.timether.oauth.OAuthResponses;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.ratelimit.RateLimiter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Dynamic Client Registration (RFC 7591) for anonymous public clients, with size and rate limits. */
public final class RegistrationEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationEndpoint.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_BODY = 16 * 1024;
    static final int MAX_PER_HOUR = 20;
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    /**
     * Control characters, and the bidirectional controls (Unicode Bidi_Control) that would let a name render on the
     * consent page as something other than what was registered ("Trojan Source", CVE-2021-42574).
     */
    private static final Pattern CONTROL =
            Pattern.compile("[\\p{Cc}\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");

    private final Jdbi jdbi;
    private final RateLimiter limiter;

    public RegistrationEndpoint(Jdbi jdbi, RateLimiter limiter) {
        this.jdbi = jdbi;
        this.limiter = limiter;
    }

    /** Registers the route. */
    public void register(RoutesConfig routes) {
        routes.post("/oauth/register", this::handle);
    }

    private void handle(Context ctx) {
        try {
            Optional<Instant> retry = limiter.hit("register:" + ctx.ip(), MAX_PER_HOUR, Duration.ofHours(1));
            if (retry.isPresent()) {
                long seconds =
                        Math.max(1, Duration.between(Instant.now(), retry.get()).toSeconds());
                ctx.header("Retry-After", Long.toString(seconds));
                throw new OAuthException(
                        new ErrorObject("too_many_requests", null, 429),
                        "Too many registrations from this address; retry in " + seconds + " seconds");
            }
            Map<String, Object> registered = registerClient(parse(ctx), ctx.ip());
            OAuthResponses.json(ctx, 201, registered);
        } catch (OAuthException e) {
            LOG.debug("registration rejected: {}", e.getMessage());
            OAuthResponses.error(ctx, e);
        }
    }

    private static JsonNode parse(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY) {
            throw invalid("registration request is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw invalid("registration request must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw invalid("registration request is not valid JSON");
        }
    }

    private Map<String, Object> registerClient(JsonNode request, String address) {
        List<String> redirectUris = redirectUris(request.get("redirect_uris"));
        checkAuthMethod(request.get("token_endpoint_auth_method"));
        List<String> grantTypes = grantTypes(request.get("grant_types"));
        checkResponseTypes(request.get("response_types"));
        String name = optionalText(request, "client_name", 100).orElse("Unnamed client");
        Optional<String> clientUri = optionalText(request, "client_uri", 2000);
        if (clientUri.isPresent() && !clientUri.get().startsWith("https://")) {
            throw invalid("client_uri must be an https URL");
        }
        Optional<String> scope = optionalText(request, "scope", 200);
        try {
            scope.ifPresent(Scope::widest);
        } catch (IllegalArgumentException e) {
            throw invalid("scope: " + e.getMessage());
        }

        String clientId = "tmc_" + Secrets.random(18);
        long issuedAt = Instant.now().getEpochSecond();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO oauth_clients"
                        + " (client_id, client_name, redirect_uris, client_uri, registered_by)"
                        + " VALUES (:id, :name, :uris, :uri, :by)")
                .bind("id", clientId)
                .bind("name", name)
                .bind("uris", redirectUris.toArray(String[]::new))
                .bind("uri", clientUri.orElse(null))
                .bind("by", address)
                .execute());
        LOG.debug("client registered client_id={}", clientId);

        Map<String, Object> response = new LinkedHashMap<>();
        response.put("client_id", clientId);
        response.put("client_id_issued_at", issuedAt);
        response.put("client_name", name);
        response.put("redirect_uris", redirectUris);
        response.put("token_endpoint_auth_method", "none");
        response.put("grant_types", grantTypes);
        response.put("response_types", List.of("code"));
        clientUri.ifPresent(uri -> response.put("client_uri", uri));
        scope.ifPresent(s -> response.put("scope", s));
        return response;
    }

    private static List<String> redirectUris(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > 10) {
            throw new OAuthException(
                    RegistrationError.INVALID_REDIRECT_URI, "redirect_uris must be an array of 1 to 10 URIs");
        }
        List<String> uris = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isString()) {
                throw new OAuthException(RegistrationError.INVALID_REDIRECT_URI, "redirect_uris must hold strings");
            }
            Optional<String> problem = RedirectUris.problem(element.asString());
            if (problem.isPresent()) {
                throw new OAuthException(RegistrationError.INVALID_REDIRECT_URI, "redirect_uris: " + problem.get());
            }
            uris.add(element.asString());
        }
        return uris;
    }

    private static void checkAuthMethod(JsonNode node) {
        if (node != null && !(node.isString() && "none".equals(node.asString()))) {
            throw invalid("token_endpoint_auth_method must be none: only public clients are supported");
        }
    }

    private static List<String> grantTypes(JsonNode node) {
        if (node == null) {
            return List.of("authorization_code", "refresh_token");
        }
        List<String> grants = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                grants.add(element.isString() ? element.asString() : "");
            }
        }
        if (grants.isEmpty() || !GRANT_TYPES.containsAll(grants) || !grants.contains("authorization_code")) {
            throw invalid("grant_types must include authorization_code and may add refresh_token only");
        }
        return List.copyOf(new LinkedHashSet<>(grants));
    }

    private static void checkResponseTypes(JsonNode node) {
        boolean isCodeOnly = node == null
                || node.isArray()
                        && node.size() == 1
                        && "code".equals(node.get(0).asString(""));
        if (!isCodeOnly) {
            throw invalid("response_types must be [code]");
        }
    }

    private static Optional<String> optionalText(JsonNode request, String field, int max) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isString() || node.asString().isBlank() || node.asString().length() > max) {
            throw invalid(field + " must be a string of 1 to " + max + " characters");
        }
        if (CONTROL.matcher(node.asString()).find()) {
            throw invalid(field + " must not contain control or bidirectional formatting characters");
        }
        return Optional.of(node.asString().strip());
    }

    private static OAuthException invalid(String description) {
        return new OAuthException(RegistrationError.INVALID_CLIENT_METADATA, description);
    }
}
