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
import java.util.List;
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
    private final String redirectUri;
    private final String clientId;

    /** Registers a fresh client named "Test Assistant" with {@link #REDIRECT_URI} at the shared test server. */
    public OAuthFlow() {
        this("Test Assistant", REDIRECT_URI);
    }

    /** Registers a fresh client with one redirect URI at the shared test server. */
    public OAuthFlow(String clientName, String redirectUri) {
        this(TestServer.baseUrl(), redirectUri, register(clientName, redirectUri));
    }

    private OAuthFlow(String base, String redirectUri, String clientId) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.redirectUri = redirectUri;
        this.clientId = clientId;
    }

    /**
     * A flow at the server at {@code base} for a client that needs no registration there, such as one whose
     * {@code client_id} is the URL of its metadata document.
     */
    public static OAuthFlow unregistered(String base, String clientId, String redirectUri) {
        return new OAuthFlow(base, redirectUri, clientId);
    }

    private static String register(String clientName, String redirectUri) {
        // Every test registers its own clients from 127.0.0.1, far more than the 20 per hour the server allows
        // one address; only RegistrationEndpointTest is about that limit, and it counts from zero itself.
        clearRegistrationLimit();
        HttpResponse<String> response = unregistered(TestServer.baseUrl(), "", redirectUri)
                .post(
                        "/oauth/register",
                        "application/json",
                        JSON.writeValueAsString(
                                Map.of("redirect_uris", List.of(redirectUri), "client_name", clientName)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("registration answered " + response.statusCode() + ": " + response.body());
        }
        return json(response).get("client_id").asString();
    }

    /** Forgets the registration counters of every address, so the next registration is the first of its hour. */
    public static void clearRegistrationLimit() {
        TestServer.app()
                .database()
                .jdbi()
                .useHandle(h -> h.execute("DELETE FROM rate_limits WHERE subject LIKE 'register:%'"));
    }

    /** The tokens of one completed flow. */
    public record Tokens(String accessToken, String refreshToken, String scope, String clientId) {}

    /** The client id this flow registered. */
    public String clientId() {
        return clientId;
    }

    /** The one redirect URI this flow registered. */
    public String redirectUri() {
        return redirectUri;
    }

    /** A fresh random PKCE verifier (RFC 7636 section 4.1). */
    public static String verifier() {
        return "v" + UUID.randomUUID() + UUID.randomUUID();
    }

    /** The whole flow for one workspace, asking for {@code scope}. */
    public Tokens connect(String email, String password, UUID workspaceId, String scope) {
        signIn(email, password);
        String verifier = verifier();
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
        return authorizeUrl(authorizeParams(scope, challenge));
    }

    /** The parameters of a valid authorization request, in a map a test may change before sending. */
    public Map<String, String> authorizeParams(String scope, String challenge) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("code_challenge", challenge);
        params.put("code_challenge_method", "S256");
        params.put("scope", scope);
        params.put("state", "st-" + UUID.randomUUID());
        params.put("resource", base + "/mcp");
        return params;
    }

    /** The authorization URL with exactly these parameters. */
    public static String authorizeUrl(Map<String, String> params) {
        return "/oauth/authorize?" + form(params);
    }

    /** Opens the consent page and approves it for the workspace; returns the code. */
    public String approve(UUID workspaceId, String authorizeUrl) {
        HttpResponse<String> consent = get(authorizeUrl);
        if (consent.statusCode() != 200) {
            throw new IllegalStateException("consent page answered " + consent.statusCode() + ": " + consent.body());
        }
        HttpResponse<String> decided = decide(consent.body(), workspaceId.toString(), "approve");
        String location = decided.headers()
                .firstValue("Location")
                .orElseThrow(() ->
                        new IllegalStateException("consent answered " + decided.statusCode() + ": " + decided.body()));
        return query(location).get("code");
    }

    /** Posts the consent form of {@code consentPage} with its own csrf and request fields. */
    public HttpResponse<String> decide(String consentPage, String workspaceId, String decision) {
        return post(
                "/oauth/consent",
                "application/x-www-form-urlencoded",
                form(Map.of(
                        "csrf",
                        field(consentPage, "csrf"),
                        "request",
                        field(consentPage, "request"),
                        "workspace",
                        workspaceId,
                        "decision",
                        decision)));
    }

    /** Exchanges a code at the token endpoint. */
    public Tokens exchange(String code, String verifier) {
        HttpResponse<String> response = token(exchangeParams(code, verifier));
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

    /** The parameters of a valid code exchange, in a map a test may change before sending. */
    public Map<String, String> exchangeParams(String code, String verifier) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("redirect_uri", redirectUri);
        params.put("client_id", clientId);
        params.put("code_verifier", verifier);
        params.put("resource", base + "/mcp");
        return params;
    }

    /** The parameters of a refresh by this client, in a map a test may change before sending. */
    public Map<String, String> refreshParams(String refreshToken) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("refresh_token", refreshToken);
        params.put("client_id", clientId);
        return params;
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

    /** Sends any request with this browser's cookies, for headers and bodies the other methods do not make. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
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
