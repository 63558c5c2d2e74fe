package com.timether.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One visitor of the shared server: an HTTP/1.1 client that keeps its cookies by hand and never follows
 * redirects, so that tests see every {@code Set-Cookie} and {@code Location} the server sends.
 */
public final class TestClient {
    /** The session cookie's name while the app origin is plain HTTP, as it is for the shared server. */
    public static final String SESSION_COOKIE = "timether_session";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** A request to {@code path} on the shared server, with a timeout; {@link #send} adds the cookies. */
    public static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    /** Sends {@code request} with this visitor's cookies and keeps the cookies the response sets. */
    public HttpResponse<String> send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header(
                    "Cookie",
                    cookies.entrySet().stream()
                            .map(c -> c.getKey() + "=" + c.getValue())
                            .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the server", e);
        }
        response.headers().allValues("Set-Cookie").forEach(this::keep);
        return response;
    }

    /** GET {@code path}. */
    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** POST {@code fields} to {@code path} as {@code application/x-www-form-urlencoded}. */
    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    /** Opens the sign-in page and submits it; returns the answer to the POST. */
    public HttpResponse<String> signIn(String email, String password) {
        String csrf = csrf(get("/signin").body());
        return postForm("/signin", Map.of("csrf", csrf, "email", email, "password", password));
    }

    /** Signs in and fails the test unless the server answered with a redirect to the account home. */
    public TestClient signedIn(String email, String password) {
        HttpResponse<String> response = signIn(email, password);
        if (response.statusCode() != 303) {
            throw new AssertionError("sign-in as " + email + " answered " + response.statusCode() + ", not 303");
        }
        return this;
    }

    /** The current value of a cookie. */
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    /** The session cookie's current value. */
    public Optional<String> sessionCookie() {
        return cookie(SESSION_COOKIE);
    }

    /** Sets a cookie as if the browser had it already, for instance one planted by an attacker. */
    public TestClient withCookie(String name, String value) {
        cookies.put(name, value);
        return this;
    }

    /** The CSRF token of the first form in {@code html}. */
    public static String csrf(String html) {
        Matcher matcher = CSRF_FIELD.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no csrf field in page:\n" + html);
        }
        return matcher.group(1);
    }

    /** The {@code Set-Cookie} headers of {@code response} that set {@code name}. */
    public static List<String> setCookies(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(name + "="))
                .toList();
    }

    /** {@code fields} encoded as a form body. */
    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(f -> encode(f.getKey()) + "=" + encode(f.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void keep(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            return;
        }
        String name = pair.substring(0, equals).strip();
        String value = pair.substring(equals + 1).strip();
        boolean isExpired = setCookie.toLowerCase(Locale.ROOT).contains("max-age=0") || value.isEmpty();
        if (isExpired) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
