package com.timether.platform.http;

import static com.timether.testing.TestClient.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.account.User;
import com.timether.testing.RawHttp;
import com.timether.testing.TestClient;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import com.timether.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebServerTest {

    @Test
    void healthz_always_answersOk() {
        HttpResponse<String> response = new TestClient().get("/healthz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void readyz_databaseReachable_answersReady() {
        HttpResponse<String> response = new TestClient().get("/readyz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ready");
    }

    @Test
    void metrics_afterRequests_exposeRequestTimersInPrometheusText() {
        TestClient client = new TestClient();
        client.get("/healthz");

        HttpResponse<String> response = client.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("# TYPE http_server_requests_seconds")
                .containsPattern("http_server_requests_seconds_count\\{method=\"GET\",route=\"/healthz\","
                        + "status=\"200\"} [1-9]")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void metrics_afterDatabaseWork_countStatementsSent() {
        User user = TestData.user(TestServer.app());
        TestClient signedIn = new TestClient().signedIn(user.email(), TestData.PASSWORD);
        double before = statementsCounted(signedIn);

        signedIn.get("/account");

        assertThat(statementsCounted(signedIn)).isGreaterThan(before);
    }

    private static double statementsCounted(TestClient client) {
        Matcher matcher = Pattern.compile("(?m)^timether_db_statements_total (\\S+)$")
                .matcher(client.get("/metrics").body());
        assertThat(matcher.find())
                .as("timether_db_statements_total in /metrics")
                .isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    @Test
    void pages_signInAccountAndErrors_carrySecurityHeaders() {
        User user = TestData.user(TestServer.app());
        TestClient signedIn = new TestClient().signedIn(user.email(), TestData.PASSWORD);

        assertSecurityHeaders(new TestClient().get("/signin"));
        assertSecurityHeaders(signedIn.get("/account"));
        assertSecurityHeaders(new TestClient().get("/no-such-page"));
        assertSecurityHeaders(signedIn.postForm("/signout", Map.of("csrf", "wrong")));
    }

    @Test
    void unknownPath_get_answersHtmlNotFoundPage() {
        HttpResponse<String> response = new TestClient().get("/no-such-page");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("There is no page at this address.");
        assertNoStackTrace(response.body());
    }

    @Test
    void form_declaredOver64KiB_refusedWith413AndNothingChanges() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String body = paddedSignIn(client, user, WebServer.MAX_FORM_BYTES);

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertRefusedAsTooLarge(response, client, user);
    }

    @Test
    void form_chunkedOver64KiB_refusedWith413AndNothingChanges() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String body = paddedSignIn(client, user, WebServer.MAX_FORM_BYTES);

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(chunked(body)));

        assertRefusedAsTooLarge(response, client, user);
    }

    @Test
    void multipartForm_over64KiB_refusedWith413AndNothingChanges() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("csrf", csrf);
        fields.put("email", user.email());
        fields.put("password", TestData.PASSWORD);
        fields.put("padding", "a".repeat(WebServer.MAX_FORM_BYTES));
        String boundary = "timether-test-boundary";

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart(boundary, fields))));

        assertRefusedAsTooLarge(response, client, user);
    }

    @Test
    void multipartForm_chunkedWithoutLength_refusedAndNothingChanges() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("csrf", csrf);
        fields.put("email", user.email());
        fields.put("password", TestData.PASSWORD);
        fields.put("padding", "a".repeat(3 * WebServer.MAX_BODY_BYTES));
        String boundary = "timether-test-boundary";

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked(multipart(boundary, fields))));

        assertThat(response.statusCode()).isEqualTo(411);
        assertNoStackTrace(response.body());
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
        assertThat(signedInRows(user)).isZero();
    }

    @Test
    void form_justUnder64KiB_isStillAccepted() {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String body = paddedSignIn(client, user, WebServer.MAX_FORM_BYTES - 1000);

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(chunked(body)));

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(client.get("/account").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void body_over256KiB_refusedWith413(boolean isChunked) {
        String body = "{\"padding\":\"" + "a".repeat(WebServer.MAX_BODY_BYTES) + "\"}";

        HttpResponse<String> response = new TestClient()
                .send(TestClient.request("/signin")
                        .header("Content-Type", "application/json")
                        .POST(isChunked ? chunked(body) : HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertNoStackTrace(response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/x-www-form-urlencoded"})
    void body_overTheLimit_isReadToItsEnd_soTheAnswerArrivesAndTheConnectionCarriesOn(String contentType) {
        String body = "a".repeat(WebServer.MAX_BODY_BYTES + 1);

        String response = RawHttp.exchange(signInHead(contentType, "", body.length()) + body
                + "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 413 ");
        assertThat(response.substring(response.indexOf("HTTP/1.1 413 ") + 1))
                .contains("HTTP/1.1 200 ")
                .endsWith("ok");
        assertNoStackTrace(response);
    }

    @Test
    void body_overTheLimit_clientAwaitingContinue_isRefusedWithoutAskingForTheBody() {
        String response = RawHttp.exchange(
                signInHead("application/json", "Expect: 100-continue\r\n", WebServer.MAX_BODY_BYTES + 1));

        assertThat(response).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        assertNoStackTrace(response);
    }

    @Test
    void body_declaredPastWhatIsDiscarded_refusedAndTheConnectionClosed() {
        String response = RawHttp.exchange(signInHead("application/json", "", RefusedBody.MAX_DISCARDED_BYTES + 1));

        assertThat(response).startsWith("HTTP/1.1 413 ").containsIgnoringCase("\r\nConnection: close\r\n");
        assertNoStackTrace(response);
    }

    @Test
    void form_invalidPercentEncoding_answersWithoutStackTrace() {
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "csrf=" + csrf + "&email=%zz%&password=%C3%28%E2%82&return_to=%")));

        assertThat(response.statusCode()).isBetween(400, 499);
        assertNoStackTrace(response.body());
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/xml", "multipart/form-data"})
    void signIn_wrongContentType_refusedWithoutStackTrace(String contentType) {
        User user = TestData.user(TestServer.app());
        TestClient client = new TestClient();
        String csrf = TestClient.csrf(client.get("/signin").body());
        String body = TestClient.form(Map.of("csrf", csrf, "email", user.email(), "password", TestData.PASSWORD));

        HttpResponse<String> response = client.send(TestClient.request("/signin")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(response.statusCode()).isBetween(400, 499);
        assertNoStackTrace(response.body());
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
    }

    @Test
    void request_hugeHeader_refusedWithoutStackTrace() {
        HttpResponse<String> response =
                new TestClient().send(TestClient.request("/signin").header("X-Padding", "a".repeat(64 * 1024)));

        assertThat(response.statusCode()).isIn(400, 413, 431);
        assertNoStackTrace(response.body());
    }

    @Test
    void request_hugeCookie_refusedWithoutStackTrace() {
        HttpResponse<String> response = new TestClient()
                .withCookie(SESSION_COOKIE, "a".repeat(32 * 1024))
                .get("/account");

        assertThat(response.statusCode()).isIn(400, 413, 431);
        assertNoStackTrace(response.body());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /%zz HTTP/1.1",
                "GET /account/%E0%A4%A HTTP/1.1",
                "GET /../../etc/passwd HTTP/1.1",
                "GET /signin?return_to=%zz HTTP/1.1",
                "BREW /signin HTTP/1.1",
                "GET /signin HTTP/9.9"
            })
    void request_malformedRequestLine_answersWithoutStackTrace(String requestLine) throws IOException {
        String response = RawHttp.exchange(requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 ");
        assertNoStackTrace(response);
    }

    @Test
    void request_unknownCookieGarbage_treatedAsSignedOut() {
        HttpResponse<String> response =
                new TestClient().withCookie(SESSION_COOKIE, "%zz\"<script>").get("/account");

        assertThat(response.statusCode()).isEqualTo(303);
        assertNoStackTrace(response.body());
    }

    private static void assertRefusedAsTooLarge(HttpResponse<String> response, TestClient client, User user) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertNoStackTrace(response.body());
        assertThat(client.get("/account").statusCode()).isEqualTo(303);
        assertThat(signedInRows(user)).isZero();
    }

    private static int signedInRows(User user) {
        return TestDatabase.get()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM web_sessions WHERE user_id = :user")
                        .bind("user", user.id())
                        .mapTo(Integer.class)
                        .one());
    }

    private static void assertSecurityHeaders(HttpResponse<String> response) {
        Consumer<String> frameAncestorsNone = csp -> assertThat(csp).contains("frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(frameAncestorsNone);
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("Exception", "at com.", "at org.", "at java.", "at io.", ".java:");
    }

    /** A valid sign-in form for {@code user}, padded with an extra field to just over {@code size} bytes. */
    private static String paddedSignIn(TestClient client, User user, int size) {
        String csrf = TestClient.csrf(client.get("/signin").body());
        String form = TestClient.form(Map.of("csrf", csrf, "email", user.email(), "password", TestData.PASSWORD));
        return form + "&padding=" + "a".repeat(Math.max(1, size - form.length()));
    }

    /** The request line and headers of a POST to /signin declaring a body of {@code length} bytes. */
    private static String signInHead(String contentType, String moreHeaders, long length) {
        return "POST /signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\n" + moreHeaders
                + "Content-Length: " + length + "\r\n\r\n";
    }

    /** A body of unknown length, so the client sends it chunked without a Content-Length. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> (InputStream) new ByteArrayInputStream(bytes));
    }

    private static String multipart(String boundary, Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        return body.append("--").append(boundary).append("--\r\n").toString();
    }
}
