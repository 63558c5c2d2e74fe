package com.timether.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.oauth.check.TokenCheck;
import com.timether.platform.crypto.Secrets;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The steps and checks of a connection the demo user Ada makes in a real browser, shared by the browser tests of
 * each kind of client; each method asserts what a person would see at that step.
 */
public final class BrowserConnection {
    public static final String ADA = "ada@example.com";
    public static final String ADA_PASSWORD = "timether-demo";
    public static final String NORTHWIND = "Northwind Studio";
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private BrowserConnection() {}

    /** Fills the sign-in form the browser shows and waits for the next page. */
    public static void signIn(WebDriver browser, String email, String password) {
        browser.findElement(By.xpath("//label[text()='Email']/following-sibling::input[1]"))
                .sendKeys(email);
        browser.findElement(By.xpath("//label[text()='Password']/following-sibling::input[1]"))
                .sendKeys(password);
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Sign in']")));
    }

    /** Ada's consent page offers Northwind Studio only, and says why her other two workspaces are not offered. */
    public static void assertOnlyNorthwindOffered(WebDriver browser) {
        assertThat(radio(browser, NORTHWIND).isEnabled()).isTrue();
        assertThat(radio(browser, "Ada Solo").isEnabled()).isFalse();
        assertThat(reason(browser, "Ada Solo"))
                .isEqualTo("The solo_pro plan of Ada Solo does not include API access (team or business plan needed).");
        assertThat(radio(browser, "Old Mill").isEnabled()).isFalse();
        assertThat(reason(browser, "Old Mill")).isEqualTo("Old Mill is suspended.");
    }

    /** Chooses Northwind Studio on the consent page and approves. */
    public static void approveNorthwind(WebDriver browser) {
        radio(browser, NORTHWIND).click();
        TestBrowser.clickAndWaitForNextPage(browser, browser.findElement(By.xpath("//button[text()='Approve']")));
    }

    /** Refreshes once, checks the old refresh token is rotated and the new access token works; returns the pair. */
    public static OAuthFlow.Tokens refreshRotates(Application app, OAuthFlow flow, String refreshToken) {
        HttpResponse<String> refresh = flow.token(flow.refreshParams(refreshToken));
        assertThat(refresh.statusCode())
                .as("refresh answered %s", refresh.body())
                .isEqualTo(200);
        String access = OAuthFlow.json(refresh).get("access_token").asString();
        String rotated = OAuthFlow.json(refresh).get("refresh_token").asString();
        assertThat(rotated).isNotEqualTo(refreshToken);
        assertThat(isRotated(app, refreshToken)).isTrue();
        assertThat(app.tokenCheck().check(access))
                .isInstanceOfSatisfying(
                        TokenCheck.Accepted.class,
                        accepted -> assertThat(accepted.principal().workspace().name())
                                .isEqualTo(NORTHWIND));
        return new OAuthFlow.Tokens(
                access, rotated, OAuthFlow.json(refresh).get("scope").asString(), flow.clientId());
    }

    /** Integrations at {@code base} lists the client's Northwind connection with its scope and timestamps. */
    public static void assertListedOnIntegrations(
            Application app, WebDriver browser, String base, OAuthFlow flow, String clientName, String scope) {
        browser.get(base + "/account/integrations");
        List<String> cells = browser.findElement(rowOf(clientName)).findElements(By.tagName("td")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(cells.subList(0, 5))
                .containsExactly(
                        clientName,
                        NORTHWIND,
                        scope,
                        shown(app, stamp(app, flow, "created_at")),
                        shown(app, stamp(app, flow, "last_used_at")));
    }

    /** Revokes on the Integrations page already open at {@code base}; the row disappears. */
    public static void revokeOnIntegrations(WebDriver browser, String base, String clientName) {
        TestBrowser.clickAndWaitForNextPage(
                browser, browser.findElement(rowOf(clientName)).findElement(By.xpath(".//button[text()='Revoke']")));

        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/account/integrations");
        assertThat(browser.findElements(rowOf(clientName))).isEmpty();
    }

    /** Neither the access token nor the refresh token of a revoked connection works any more. */
    public static void assertRevoked(Application app, OAuthFlow flow, OAuthFlow.Tokens tokens) {
        assertThat(app.tokenCheck().check(tokens.accessToken()))
                .isEqualTo(new TokenCheck.Refused(
                        TokenCheck.Reason.REVOKED, "The connection was revoked; connect again."));
        HttpResponse<String> refused = flow.token(flow.refreshParams(tokens.refreshToken()));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(refused).get("error").asString()).isEqualTo("invalid_grant");
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

    private static boolean isRotated(Application app, String refreshToken) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT rotated_at IS NOT NULL FROM oauth_tokens WHERE token_hash = :h")
                        .bind("h", Secrets.hash(refreshToken))
                        .mapTo(Boolean.class)
                        .one());
    }

    private static Instant stamp(Application app, OAuthFlow flow, String column) {
        Timestamp value = app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT " + column + " FROM connections WHERE client_id = :c")
                        .bind("c", flow.clientId())
                        .mapTo(Timestamp.class)
                        .one());
        assertThat(value).as("connections.%s", column).isNotNull();
        return value.toInstant();
    }

    /** An instant as the Integrations page shows it to Ada, in her time zone. */
    private static String shown(Application app, Instant instant) {
        ZoneId zone = ZoneId.of(app.users().findByEmail(ADA).orElseThrow().timeZone());
        return MINUTES.withZone(zone).format(instant);
    }
}
