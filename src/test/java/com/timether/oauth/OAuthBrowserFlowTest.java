package com.timether.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.timether.Application;
import com.timether.oauth.check.TokenCheck;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestBrowser;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The whole connection as a person makes it in a real browser: a client registers, the person signs in and picks
 * the one eligible workspace, the client receives its code on a real loopback listener, and the person later revokes
 * the connection on Integrations.
 */
class OAuthBrowserFlowTest {
    private static final String ADA = "ada@example.com";
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Application app = TestServer.app();
    private final BlockingQueue<Map<String, String>> callbacks = new LinkedBlockingQueue<>();
    private HttpServer client;

    @BeforeEach
    void startClientListener() throws IOException {
        client = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        client.createContext("/callback", this::receive);
        client.start();
    }

    @AfterEach
    void stopClientListener() {
        client.stop(0);
    }

    @Test
    void connect_adaInBrowser_approvesNorthwindThenRevokesOnIntegrations() throws InterruptedException {
        String base = TestServer.baseUrl();
        String clientName = "Browser Assistant " + TestData.unique();
        String redirectUri = "http://127.0.0.1:" + client.getAddress().getPort() + "/callback";
        OAuthFlow registered = new OAuthFlow(clientName, redirectUri);
        String verifier = OAuthFlow.verifier();
        Map<String, String> request =
                registered.authorizeParams("timether:read timether:write", OAuthFlow.challenge(verifier));
        WebDriver browser = TestBrowser.fresh();

        browser.get(base + OAuthFlow.authorizeUrl(request));
        signIn(browser, ADA, "timether-demo");

        assertThat(browser.findElement(By.id("client-name")).getText()).isEqualTo(clientName);
        assertThat(browser.findElement(By.id("redirect-host")).getText())
                .isEqualTo("127.0.0.1:" + client.getAddress().getPort());
        assertThat(browser.findElement(By.id("unverified")).isDisplayed()).isTrue();
        assertThat(radio(browser, "Northwind Studio").isEnabled()).isTrue();
        assertThat(radio(browser, "Ada Solo").isEnabled()).isFalse();
        assertThat(reason(browser, "Ada Solo"))
                .isEqualTo("The solo_pro plan of Ada Solo does not include API access (team or business plan needed).");
        assertThat(radio(browser, "Old Mill").isEnabled()).isFalse();
        assertThat(reason(browser, "Old Mill")).isEqualTo("Old Mill is suspended.");

        radio(browser, "Northwind Studio").click();
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Approve']")));

        Map<String, String> callback = callbacks.poll(10, TimeUnit.SECONDS);
        assertThat(callback).as("the client's loopback listener was called").isNotNull();
        assertThat(callback).containsEntry("state", request.get("state")).containsEntry("iss", base);
        assertThat(callback.get("code")).startsWith("ttc_");
        assertThat(browser.getCurrentUrl()).startsWith(redirectUri + "?");

        OAuthFlow.Tokens tokens = registered.exchange(callback.get("code"), verifier);
        assertThat(tokens.scope()).isEqualTo("timether:read timether:write");

        HttpResponse<String> refresh = registered.token(registered.refreshParams(tokens.refreshToken()));
        assertThat(refresh.statusCode()).isEqualTo(200);
        String access = OAuthFlow.json(refresh).get("access_token").asString();
        String rotated = OAuthFlow.json(refresh).get("refresh_token").asString();
        assertThat(rotated).isNotEqualTo(tokens.refreshToken());
        assertThat(isRotated(tokens.refreshToken())).isTrue();
        assertThat(app.tokenCheck().check(access))
                .isInstanceOfSatisfying(
                        TokenCheck.Accepted.class,
                        accepted -> assertThat(accepted.principal().workspace().name())
                                .isEqualTo("Northwind Studio"));

        browser.get(base + "/account/integrations");
        List<String> cells = row(browser, clientName).findElements(By.tagName("td")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(cells.subList(0, 5))
                .containsExactly(
                        clientName,
                        "Northwind Studio",
                        "timether:read timether:write",
                        shown(stamp(registered, "created_at")),
                        shown(stamp(registered, "last_used_at")));

        TestBrowser.clickAndWaitForNextPage(
                browser, row(browser, clientName).findElement(By.xpath(".//button[text()='Revoke']")));

        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/account/integrations");
        assertThat(browser.findElements(rowOf(clientName))).isEmpty();
        assertThat(app.tokenCheck().check(access))
                .isEqualTo(new TokenCheck.Refused(
                        TokenCheck.Reason.REVOKED, "The connection was revoked; connect again."));
        HttpResponse<String> refused = registered.token(registered.refreshParams(rotated));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(refused).get("error").asString()).isEqualTo("invalid_grant");
    }

    private void receive(HttpExchange exchange) throws IOException {
        callbacks.add(OAuthFlow.query(exchange.getRequestURI().toString()));
        byte[] page = "<!doctype html><title>Connected</title><p>You can close this window.</p>"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(page);
        }
    }

    private static void signIn(WebDriver browser, String email, String password) {
        browser.findElement(By.xpath("//label[text()='Email']/following-sibling::input[1]"))
                .sendKeys(email);
        browser.findElement(By.xpath("//label[text()='Password']/following-sibling::input[1]"))
                .sendKeys(password);
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Sign in']")));
    }

    /** The radio button labelled with the workspace's name. */
    private static WebElement radio(WebDriver browser, String workspace) {
        String id = browser.findElement(By.xpath("//label[text()='" + workspace + "']"))
                .getDomAttribute("for");
        return browser.findElement(By.id(id));
    }

    /** The visible reason shown beside a disabled workspace. */
    private static String reason(WebDriver browser, String workspace) {
        WebElement reason = browser.findElement(
                By.xpath("//label[text()='" + workspace + "']/following-sibling::span[contains(@class, 'reason')]"));
        assertThat(reason.isDisplayed())
                .as("reason beside %s is visible", workspace)
                .isTrue();
        return reason.getText();
    }

    private static By rowOf(String clientName) {
        return By.xpath("//table[@id='connections']//tr[td[1][text()='" + clientName + "']]");
    }

    private static WebElement row(WebDriver browser, String clientName) {
        return browser.findElement(rowOf(clientName));
    }

    private boolean isRotated(String refreshToken) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT rotated_at IS NOT NULL FROM oauth_tokens WHERE token_hash = :h")
                        .bind("h", Secrets.hash(refreshToken))
                        .mapTo(Boolean.class)
                        .one());
    }

    private Instant stamp(OAuthFlow registered, String column) {
        Timestamp value = app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT " + column + " FROM connections WHERE client_id = :c")
                        .bind("c", registered.clientId())
                        .mapTo(Timestamp.class)
                        .one());
        assertThat(value).as("connections.%s", column).isNotNull();
        return value.toInstant();
    }

    /** An instant as the Integrations page shows it to Ada, in her time zone. */
    private String shown(Instant instant) {
        ZoneId zone = ZoneId.of(app.users().findByEmail(ADA).orElseThrow().timeZone());
        return MINUTES.withZone(zone).format(instant);
    }
}
