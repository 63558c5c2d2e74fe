package com.timether.conformance;

import com.timether.testing.OAuthFlow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The person at the browser, for tools that print an authorization URL and wait for the redirect: signs in on our
 * sign-in page (fields Email and Password, button "Sign in"), picks the workspace whose radio label is the given
 * name on the consent page and presses Approve, all over plain HTTP with cookies and the pages' hidden fields, as
 * {@link OAuthFlow} does. Each instance is one browser.
 */
public final class ConformanceLogin {
    public static final String DEMO_EMAIL = "ada@example.com";
    public static final String DEMO_PASSWORD = "timether-demo";
    public static final String DEMO_WORKSPACE = "Northwind Studio";

    private final String base;
    private final String email;
    private final String password;
    private final String workspaceName;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    public ConformanceLogin(String base, String email, String password, String workspaceName) {
        this.base = base;
        this.email = email;
        this.password = password;
        this.workspaceName = workspaceName;
    }

    /** The demo owner approving for the demo workspace. */
    public static ConformanceLogin demo(String base) {
        return new ConformanceLogin(base, DEMO_EMAIL, DEMO_PASSWORD, DEMO_WORKSPACE);
    }

    /**
     * Opens {@code authorizeUrl}, signs in when sent to the sign-in page, approves the consent for the workspace and
     * returns where Timether redirects the browser (the client's redirect URI with {@code code}, {@code state} and
     * {@code iss}), without following it.
     */
    public String approve(String authorizeUrl) {
        HttpResponse<String> page = get(authorizeUrl);
        if (page.statusCode() == 303 || page.statusCode() == 302) {
            String signIn = location(page);
            if (!URI.create(signIn).getPath().equals("/signin")) {
                throw new IllegalStateException("authorize redirected to " + signIn + " instead of the sign-in page");
            }
            HttpResponse<String> form = get(signIn);
            HttpResponse<String> signedIn = post(
                    "/signin",
                    OAuthFlow.form(Map.of(
                            "csrf",
                            OAuthFlow.field(form.body(), "csrf"),
                            "return_to",
                            unescape(OAuthFlow.field(form.body(), "return_to")),
                            "email",
                            email,
                            "password",
                            password)));
            if (signedIn.statusCode() != 303 && signedIn.statusCode() != 302) {
                throw new IllegalStateException("sign-in answered " + signedIn.statusCode() + ": " + signedIn.body());
            }
            page = get(location(signedIn));
        }
        if (page.statusCode() != 200) {
            throw new IllegalStateException("the consent page answered " + page.statusCode() + ": " + page.body() + " "
                    + page.headers().map());
        }
        HttpResponse<String> decided = post(
                "/oauth/consent",
                OAuthFlow.form(Map.of(
                        "csrf", OAuthFlow.field(page.body(), "csrf"),
                        "request", OAuthFlow.field(page.body(), "request"),
                        "workspace", workspaceId(page.body()),
                        "decision", "approve")));
        if (decided.statusCode() != 303 && decided.statusCode() != 302) {
            throw new IllegalStateException("consent answered " + decided.statusCode() + ": " + decided.body());
        }
        return location(decided);
    }

    /** Hands the redirect to the client's loopback callback, as the browser would follow it. */
    public void deliver(String redirect) throws InterruptedException {
        // The suite prints the URL before its callback server has surely bound: retry a refused connection.
        HttpResponse<String> response = null;
        for (int attempt = 1; response == null; attempt++) {
            try {
                response = send(HttpRequest.newBuilder(URI.create(redirect)).GET());
            } catch (UncheckedIOException e) {
                if (attempt == 20) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the callback at " + redirect + " answered " + response.statusCode());
        }
    }

    /**
     * A whole connection as an MCP client makes it: registers a public client, approves, exchanges the code with
     * PKCE and the resource {@code base + "/mcp"}; returns the access token.
     */
    public String accessToken(String scope) {
        String redirectUri = OAuthFlow.REDIRECT_URI;
        HttpResponse<String> registered = send(HttpRequest.newBuilder(URI.create(base + "/oauth/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"redirect_uris\":[\"" + redirectUri + "\"],\"client_name\":\"Conformance harness\"}")));
        String clientId = OAuthFlow.json(registered).get("client_id").asString();
        String verifier = "v" + UUID.randomUUID() + UUID.randomUUID();
        String resource = base + "/mcp";
        String redirect = approve(base + "/oauth/authorize?"
                + OAuthFlow.form(Map.of(
                        "response_type",
                        "code",
                        "client_id",
                        clientId,
                        "redirect_uri",
                        redirectUri,
                        "code_challenge",
                        OAuthFlow.challenge(verifier),
                        "code_challenge_method",
                        "S256",
                        "scope",
                        scope,
                        "state",
                        "st-" + UUID.randomUUID(),
                        "resource",
                        resource)));
        HttpResponse<String> token = post(
                "/oauth/token",
                OAuthFlow.form(Map.of(
                        "grant_type", "authorization_code",
                        "code", OAuthFlow.query(redirect).get("code"),
                        "redirect_uri", redirectUri,
                        "client_id", clientId,
                        "code_verifier", verifier,
                        "resource", resource)));
        JsonNode body = OAuthFlow.json(token);
        if (token.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + token.statusCode() + ": " + body);
        }
        return body.get("access_token").asString();
    }

    /** The value of the radio whose label is the workspace name. */
    private String workspaceId(String consentPage) {
        Matcher m = Pattern.compile("<label for=\"ws-([0-9a-f-]{36})\">" + Pattern.quote(workspaceName) + "</label>")
                .matcher(consentPage);
        if (!m.find()) {
            throw new IllegalStateException("no workspace '" + workspaceName + "' on the consent page: " + consentPage);
        }
        return m.group(1);
    }

    /** An attribute value as the browser reads it (the page escapes it as HTML). */
    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .GET());
    }

    private HttpResponse<String> post(String path, String form) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static String location(HttpResponse<String> response) {
        return response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("no Location in a " + response.statusCode() + " answer"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
