package com.timether.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the real OAuth flow over HTTP as a client and a person would: register, sign in, consent, exchange.
 * Each instance is one browser (its own cookies) and one registered client.
 */
public final class OAuthFlow {
    public static final String REDIRECT_URI = "http://127.0.0.1:9/callback";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String base;
    private final HttpClient http;
    private final String clientId;

    /** Registers a fresh client at the shared test server. */
    public OAuthFlow() {
        this.base = TestServer.baseUrl();
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JsonNode registered = json(post(
                "/oauth/register",
                "application/json",
                "{\"redirect_uris\":[\"" + REDIRECT_URI + "\"],\"client_name\":\"Test Assistant\"}"));
        this.clientId = registered.get("client_id").asString();
    }

    /** The tokens of one completed flow. */
    public record Tokens(String accessToken, String refreshToken, String scope, String clientId) {}

    /** The client id this flow registered. */
    public String clientId() {
        return clientId;
    }

    /** The whole flow for one workspace, asking for {@code scope}. */
    public Tokens connect(String email, String password, UUID workspaceId, String scope) {
        signIn(email, password);
        String verifier = "v" + UUID.randomUUID() + UUID.randomUUID();
        String code = approve(workspaceId, authorizeUrl(scope, challenge(verifier)));
        return exchange(code, verifier);
    }

    /** Signs this browser in. */
    public void signIn(String email, String password) {
        String page = get("/signin").body();
        post(
                "/signin",
                "application/x-www-form-urlencoded",
                form(Map.of(
                        "csrf", field(page, "csrf"), "email", email, "password", password, "return_to", "/account")));
    }

    /** The authorization URL for this client with an S256 challenge. */
    public String authorizeUrl(String scope, String challenge) {
        return "/oauth/authorize?"
                + form(Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        clientId,
                        "redirect_uri",
                        REDIRECT_URI,
                        "code_challenge",
                        challenge,
                        "code_challenge_method",
                        "S256",
                        "scope",
                        scope,
                        "state",
                        "st-" + UUID.randomUUID(),
                        "resource",
                        base + "/mcp"));
    }

    /** Opens the consent page and approves it for the workspace; returns the code. */
    public String approve(UUID workspaceId, String authorizeUrl) {
        HttpResponse<String> consent = get(authorizeUrl);
        if (consent.statusCode() != 200) {
            throw new IllegalStateException("consent page answered " + consent.statusCode() + ": " + consent.body());
        }
        HttpResponse<String> decided = post(
                "/oauth/consent",
                "application/x-www-form-urlencoded",
                form(Map.of(
                        "csrf", field(consent.body(), "csrf"),
                        "request", field(consent.body(), "request"),
                        "workspace", workspaceId.toString(),
                        "decision", "approve")));
        String location = decided.headers()
                .firstValue("Location")
                .orElseThrow(() ->
                        new IllegalStateException("consent answered " + decided.statusCode() + ": " + decided.body()));
        return query(location).get("code");
    }

    /** Exchanges a code at the token endpoint. */
    public Tokens exchange(String code, String verifier) {
        HttpResponse<String> response = token(Map.of(
                "grant_type", "authorization_code",
                "code", code,
                "redirect_uri", REDIRECT_URI,
                "client_id", clientId,
                "code_verifier", verifier,
                "resource", base + "/mcp"));
        JsonNode body = json(response);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + body);
        }
        return new Tokens(
                body.get("access_token").asString(),
                body.get("refresh_token").asString(),
                body.get("scope").asString(),
                clientId);
    }

    /** A raw token request. */
    public HttpResponse<String> token(Map<String, String> params) {
        return post("/oauth/token", "application/x-www-form-urlencoded", form(params));
    }

    /** A GET with this browser's cookies. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .GET());
    }

    /** A POST with this browser's cookies. */
    public HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The S256 challenge of a verifier. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a hidden input in a page. */
    public static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no field " + name + " in page: " + html);
        }
        return m.group(1);
    }

    /** The query parameters of a URL. */
    public static Map<String, String> query(String url) {
        String query = URI.create(url).getRawQuery();
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            String[] kv = pair.split("=", 2);
            result.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return result;
    }

    /** A form body. */
    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The JSON body of a response. */
    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
