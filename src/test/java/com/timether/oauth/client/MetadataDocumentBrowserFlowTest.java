package com.timether.oauth.client;

import static com.timether.testing.BrowserConnection.ADA;
import static com.timether.testing.BrowserConnection.ADA_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.oauth.client.MetadataDocumentFetcher.Options;
import com.timether.platform.config.Settings;
import com.timether.testing.BrowserConnection;
import com.timether.testing.LoopbackClient;
import com.timether.testing.OAuthFlow;
import com.timether.testing.TestBrowser;
import com.timether.testing.TestData;
import com.timether.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole connection in a real browser for a client identified by its Client ID Metadata Document, served by a
 * real HTTPS server on loopback. The shared test server never fetches from loopback, so this class runs its own
 * Timether, over the shared database, whose fetcher trusts the test certificate and allows loopback.
 */
class MetadataDocumentBrowserFlowTest {
    private static final String SCOPE = "timether:read timether:write";
    private static final String CLIENT_NAME = "Document Assistant " + TestData.unique();

    private static TestHttpsServer documents;
    private static LoopbackClient client;
    private static Application app;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        documents = TestHttpsServer.start("127.0.0.1");
        client = LoopbackClient.start();
        serve("/assistant.json", documents.url("/assistant.json"));
        serve("/impostor.json", documents.url("/someone-else.json"));
        int port = freePort();
        base = "http://localhost:" + port;
        app = new Application(
                Settings.from(Map.of(
                        "TIMETHER_PORT", Integer.toString(port),
                        "TIMETHER_DATA_DIR", TestDatabase.directory().toString(),
                        "TIMETHER_MCP_CHECK_OUTPUTS", "true")),
                TestDatabase.get());
        MetadataDocumentFetcher fetcher =
                new MetadataDocumentFetcher(new Options(TestHttpsServer.clientContext(), Duration.ofSeconds(3), true));
        app.useDocumentSource(fetcher::fetch);
        app.startServer();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        client.close();
        documents.close();
    }

    @Test
    void connect_documentClientInBrowser_approvesNorthwindThenRevokesOnIntegrations() throws InterruptedException {
        OAuthFlow flow = OAuthFlow.unregistered(base, documents.url("/assistant.json"), client.redirectUri());
        String verifier = OAuthFlow.verifier();
        Map<String, String> request = flow.authorizeParams(SCOPE, OAuthFlow.challenge(verifier));
        WebDriver browser = TestBrowser.fresh();

        browser.get(base + OAuthFlow.authorizeUrl(request));
        assertThat(browser.getCurrentUrl())
                .as(() -> "sign-in page expected, got: "
                        + browser.findElement(By.tagName("body")).getText())
                .startsWith(base + "/signin?");
        BrowserConnection.signIn(browser, ADA, ADA_PASSWORD);

        assertThat(documents.hits("/assistant.json"))
                .as("the document was fetched")
                .isPositive();
        assertThat(browser.findElement(By.id("client-name")).getText()).isEqualTo(CLIENT_NAME);
        assertThat(browser.findElement(By.id("redirect-host")).getText()).isEqualTo(client.hostAndPort());
        assertThat(browser.findElements(By.id("unverified"))).isEmpty();
        BrowserConnection.assertOnlyNorthwindOffered(browser);

        BrowserConnection.approveNorthwind(browser);

        Map<String, String> callback = client.nextCallback(10);
        assertThat(callback).as("the client's loopback listener was called").isNotNull();
        assertThat(callback).containsEntry("state", request.get("state")).containsEntry("iss", base);
        assertThat(callback.get("code")).startsWith("ttc_");

        OAuthFlow.Tokens tokens = flow.exchange(callback.get("code"), verifier);
        assertThat(tokens.scope()).isEqualTo(SCOPE);
        OAuthFlow.Tokens refreshed = BrowserConnection.refreshRotates(app, flow, tokens.refreshToken());

        BrowserConnection.assertListedOnIntegrations(app, browser, base, flow, CLIENT_NAME, SCOPE);
        BrowserConnection.revokeOnIntegrations(browser, base, CLIENT_NAME);

        BrowserConnection.assertRevoked(app, flow, refreshed);
    }

    @Test
    void authorize_documentClaimingAnotherClientId_showsErrorPageAndIssuesNothing() throws InterruptedException {
        String url = documents.url("/impostor.json");
        OAuthFlow flow = OAuthFlow.unregistered(base, url, client.redirectUri());
        String authorizeUrl = flow.authorizeUrl(SCOPE, OAuthFlow.challenge(OAuthFlow.verifier()));
        WebDriver browser = TestBrowser.fresh();
        browser.get(base + "/signin");
        BrowserConnection.signIn(browser, ADA, ADA_PASSWORD);

        browser.get(base + authorizeUrl);
        HttpResponse<String> direct = flow.get(authorizeUrl);

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("This sign-in link is not valid");
        assertThat(browser.findElement(By.xpath("//h1/following-sibling::p[1]")).getText())
                .isEqualTo("The application could not be identified: client_id document at " + url + ": client_id '"
                        + documents.url("/someone-else.json") + "' does not equal the URL");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + authorizeUrl);
        assertThat(direct.statusCode()).isEqualTo(400);
        assertThat(direct.headers().firstValue("Location")).isEmpty();
        assertThat(documents.hits("/impostor.json"))
                .as("refused for its content, not unreachable")
                .isPositive();
        assertThat(client.nextCallback(1)).as("no redirect reached the client").isNull();
        assertThat(rowsOf(List.of(url, documents.url("/someone-else.json")))).isZero();
    }

    /** Serves at {@code path} a valid document for the loopback client that claims {@code clientId}. */
    private static void serve(String path, String clientId) {
        Map<String, Object> document = Map.of(
                "client_id",
                clientId,
                "client_name",
                CLIENT_NAME,
                "redirect_uris",
                List.of(client.redirectUri()),
                "token_endpoint_auth_method",
                "none",
                "grant_types",
                List.of("authorization_code", "refresh_token"),
                "response_types",
                List.of("code"));
        byte[] body = JsonMapper.builder().build().writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
        documents.route(path, response -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=60");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            TestHttpsServer.write(response, true, body);
        });
    }

    /** Pending requests, codes and connections of these client ids. */
    private static long rowsOf(List<String> clientIds) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM authorization_requests WHERE client_id"
                                + " IN (<ids>)) + (SELECT count(*) FROM authorization_codes WHERE client_id IN (<ids>))"
                                + " + (SELECT count(*) FROM connections WHERE client_id IN (<ids>))")
                        .bindList("ids", clientIds)
                        .mapTo(Long.class)
                        .one());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
