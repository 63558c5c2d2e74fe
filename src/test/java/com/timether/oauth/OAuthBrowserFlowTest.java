package com.timether.oauth;

import static com.timether.testing.BrowserConnection.ADA;
import static com.timether.testing.BrowserConnection.ADA_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.testing.BrowserConnection;
import com.timether.testing.LoopbackClient;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestBrowser;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The whole connection as a person makes it in a real browser: a client registers, the person signs in and picks
 * the one eligible workspace, the client receives its code on a real loopback listener, and the person later revokes
 * the connection on Integrations.
 */
class OAuthBrowserFlowTest {
    private final Application app = TestServer.app();
    private LoopbackClient client;

    @BeforeEach
    void startClientListener() {
        client = LoopbackClient.start();
    }

    @AfterEach
    void stopClientListener() {
        client.close();
    }

    @Test
    void connect_adaInBrowser_approvesNorthwindThenRevokesOnIntegrations() throws InterruptedException {
        String base = TestServer.baseUrl();
        String clientName = "Browser Assistant " + TestData.unique();
        OAuthFlow registered = new OAuthFlow(clientName, client.redirectUri());
        String verifier = OAuthFlow.verifier();
        Map<String, String> request =
                registered.authorizeParams("timether:read timether:write", OAuthFlow.challenge(verifier));
        WebDriver browser = TestBrowser.fresh();

        browser.get(base + OAuthFlow.authorizeUrl(request));
        BrowserConnection.signIn(browser, ADA, ADA_PASSWORD);

        assertThat(browser.findElement(By.id("client-name")).getText()).isEqualTo(clientName);
        assertThat(browser.findElement(By.id("redirect-host")).getText()).isEqualTo(client.hostAndPort());
        assertThat(browser.findElement(By.id("unverified")).isDisplayed()).isTrue();
        BrowserConnection.assertOnlyNorthwindOffered(browser);

        BrowserConnection.approveNorthwind(browser);

        Map<String, String> callback = client.nextCallback(10);
        assertThat(callback).as("the client's loopback listener was called").isNotNull();
        assertThat(callback).containsEntry("state", request.get("state")).containsEntry("iss", base);
        assertThat(callback.get("code")).startsWith("ttc_");
        assertThat(browser.getCurrentUrl()).startsWith(client.redirectUri() + "?");

        OAuthFlow.Tokens tokens = registered.exchange(callback.get("code"), verifier);
        assertThat(tokens.scope()).isEqualTo("timether:read timether:write");
        OAuthFlow.Tokens refreshed = BrowserConnection.refreshRotates(app, registered, tokens.refreshToken());

        BrowserConnection.assertListedOnIntegrations(
                app, browser, base, registered, clientName, "timether:read timether:write");
        BrowserConnection.revokeOnIntegrations(browser, base, clientName);

        BrowserConnection.assertRevoked(app, registered, refreshed);
    }
}
