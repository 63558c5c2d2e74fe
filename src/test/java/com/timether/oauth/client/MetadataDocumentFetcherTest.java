package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.oauth.client.MetadataDocumentFetcher.Options;
import com.timether.oauth.client.MetadataDocumentFetcher.Resolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataDocumentFetcherTest {
    private static TestHttpsServer server;
    private static Options loopbackOptions;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestHttpsServer.start("127.0.0.1");
        loopbackOptions = new Options(TestHttpsServer.clientContext(), Duration.ofSeconds(2), true);
        serveDocument(
                "/client.json",
                null,
                "{\"client_id\":\"%s\",\"client_name\":\"Test Client\","
                        + "\"client_uri\":\"https://client.example/\",\"redirect_uris\":[\"https://client.example/cb\","
                        + "\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"none\","
                        + "\"grant_types\":[\"authorization_code\"]}");
        serveDocument(
                "/unnamed.json", null, "{\"client_id\":\"%s\",\"redirect_uris\":[\"https://client.example/cb\"]}");
        serveDocument(
                "/mismatch.json", null, "{\"client_id\":\"%s/other\",\"redirect_uris\":[\"https://c.example/cb\"]}");
        serveDocument("/no-redirects.json", null, "{\"client_id\":\"%s\"}");
        serveDocument(
                "/http-redirect.json", null, "{\"client_id\":\"%s\",\"redirect_uris\":[\"http://client.example/cb\"]}");
        serveDocument(
                "/secret.json",
                null,
                "{\"client_id\":\"%s\",\"redirect_uris\":[\"https://c.example/cb\"],"
                        + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        serveDocument("/malformed.json", null, "{\"client_id\":\"%s\",");
        serveDocument("/array.json", null, "[\"%s\"]");
        serveDocument(
                "/max-age.json",
                "public, max-age=60",
                "{\"client_id\":\"%s\",\"redirect_uris\":[\"https://c.example/cb\"]}");
        serveDocument(
                "/no-store.json", "no-store", "{\"client_id\":\"%s\",\"redirect_uris\":[\"https://c.example/cb\"]}");
        server.route("/redirect.json", response -> {
            response.setStatus(302);
            response.getHeaders().put(HttpHeader.LOCATION, server.url("/client.json"));
            TestHttpsServer.write(response, true, new byte[0]);
        });
        server.route("/html.json", response -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
            TestHttpsServer.write(response, true, document("/html.json", "{\"client_id\":\"%s\"}"));
        });
        server.route("/large.json", response -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 6000);
            TestHttpsServer.write(response, true, padded(6000));
        });
        server.route("/large-chunked.json", response -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            TestHttpsServer.write(response, false, padded(3000));
            TestHttpsServer.write(response, true, padded(3000));
        });
        server.route("/chunked.json", response -> {
            byte[] body =
                    document("/chunked.json", "{\"client_id\":\"%s\",\"redirect_uris\":[\"https://c.example/cb\"]}");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            TestHttpsServer.write(response, false, Arrays.copyOfRange(body, 0, 10));
            TestHttpsServer.write(response, true, Arrays.copyOfRange(body, 10, body.length));
        });
        server.route("/trickle.json", response -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100);
            for (int i = 0; i < 12; i++) {
                TestHttpsServer.write(response, false, new byte[] {' '});
                Thread.sleep(500);
            }
        });
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void fetch_validDocument_returnsItsClient() throws Exception {
        String url = server.url("/client.json");

        ClientMetadataDocument document = fetcher().fetch(url);

        assertThat(document.clientId()).isEqualTo(url);
        assertThat(document.clientName()).isEqualTo("Test Client");
        assertThat(document.redirectUris()).containsExactly("https://client.example/cb", "http://127.0.0.1/cb");
        assertThat(document.clientUri()).contains("https://client.example/");
    }

    @Test
    void fetch_documentWithoutName_namesTheHost() throws Exception {
        ClientMetadataDocument document = fetcher().fetch(server.url("/unnamed.json"));

        assertThat(document.clientName()).isEqualTo("127.0.0.1");
    }

    @Test
    void fetch_chunkedDocument_isAccepted() throws Exception {
        ClientMetadataDocument document = fetcher().fetch(server.url("/chunked.json"));

        assertThat(document.redirectUris()).containsExactly("https://c.example/cb");
    }

    @Test
    void fetch_localhostUrlWithLoopbackAllowed_isFetched() throws Exception {
        String url = "https://localhost:" + server.port() + "/localhost.json";
        byte[] body = ("{\"client_id\":\"" + url + "\",\"redirect_uris\":[\"https://c.example/cb\"]}").getBytes();
        server.route("/localhost.json", response -> writeJson(response, null, body));

        ClientMetadataDocument document = fetcher().fetch(url);

        assertThat(document.clientId()).isEqualTo(url);
        assertThat(document.clientName()).isEqualTo("localhost");
    }

    @Test
    void fetch_mismatchedClientId_isRefused() {
        String url = server.url("/mismatch.json");

        assertThatThrownBy(() -> fetcher().fetch(url))
                .isInstanceOf(ClientIdentityException.class)
                .hasMessage("client_id document at " + url + ": client_id '" + url + "/other' does not equal the URL");
    }

    @Test
    void fetch_missingRedirectUris_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/no-redirects.json")))
                .hasMessageContaining("redirect_uris is missing or empty");
    }

    @Test
    void fetch_httpRedirectUriOnPublicHost_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/http-redirect.json")))
                .hasMessageContaining("redirect_uris[0]: 'http://client.example/cb' must use https");
    }

    @Test
    void fetch_clientSecretBasic_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/secret.json")))
                .hasMessageContaining("token_endpoint_auth_method 'client_secret_basic' needs a shared secret");
    }

    @Test
    void fetch_redirect_isRefusedAndNotFollowed() {
        int before = server.hits("/client.json");

        assertThatThrownBy(() -> fetcher().fetch(server.url("/redirect.json")))
                .hasMessage("client_id document at " + server.url("/redirect.json")
                        + " answered 302; redirects are not followed");
        assertThat(server.hits("/client.json")).isEqualTo(before);
    }

    @Test
    void fetch_notFound_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/missing.json")))
                .hasMessageEndingWith("answered 404; only 200 is accepted");
    }

    @Test
    void fetch_htmlContentType_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/html.json")))
                .hasMessageContaining("has Content-Type 'text/html'; application/json");
    }

    @Test
    void fetch_contentLengthOver5Kb_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/large.json")))
                .hasMessageEndingWith("is larger than 5120 bytes");
    }

    @Test
    void fetch_chunkedBodyOver5Kb_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/large-chunked.json")))
                .hasMessageEndingWith("is larger than 5120 bytes");
    }

    @Test
    void fetch_tricklingServer_isCutAtTheDeadline() throws Exception {
        MetadataDocumentFetcher fetcher =
                new MetadataDocumentFetcher(new Options(TestHttpsServer.clientContext(), Duration.ofSeconds(1), true));
        long start = System.nanoTime();

        assertThatThrownBy(() -> fetcher.fetch(server.url("/trickle.json")))
                .hasMessageEndingWith("did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1800));
    }

    @Test
    void fetch_serverThatNeverAnswersTheHandshake_isCutAtTheDeadline() throws Exception {
        MetadataDocumentFetcher fetcher =
                new MetadataDocumentFetcher(new Options(TestHttpsServer.clientContext(), Duration.ofMillis(800), true));
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> acceptForever(silent, accepted));
            long start = System.nanoTime();

            assertThatThrownBy(() -> fetcher.fetch("https://127.0.0.1:" + silent.getLocalPort() + "/client.json"))
                    .hasMessageEndingWith("did not answer within 800 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1600));
            assertThat(accepted).isNotEmpty();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void fetch_malformedJson_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/malformed.json")))
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void fetch_jsonArray_isRefused() {
        assertThatThrownBy(() -> fetcher().fetch(server.url("/array.json")))
                .hasMessageEndingWith("is not a JSON object");
    }

    @Test
    void fetch_maxAge60Twice_hitsTheServerOnce() throws Exception {
        MetadataDocumentFetcher fetcher = fetcher();
        int before = server.hits("/max-age.json");

        fetcher.fetch(server.url("/max-age.json"));
        fetcher.fetch(server.url("/max-age.json"));

        assertThat(server.hits("/max-age.json")).isEqualTo(before + 1);
    }

    @Test
    void fetch_noStoreTwice_hitsTheServerTwice() throws Exception {
        MetadataDocumentFetcher fetcher = fetcher();
        int before = server.hits("/no-store.json");

        fetcher.fetch(server.url("/no-store.json"));
        fetcher.fetch(server.url("/no-store.json"));

        assertThat(server.hits("/no-store.json")).isEqualTo(before + 2);
    }

    @Test
    void fetch_invalidDocumentTwice_isNotCached() {
        MetadataDocumentFetcher fetcher = fetcher();
        int before = server.hits("/secret.json");

        assertThatThrownBy(() -> fetcher.fetch(server.url("/secret.json"))).isInstanceOf(ClientIdentityException.class);
        assertThatThrownBy(() -> fetcher.fetch(server.url("/secret.json"))).isInstanceOf(ClientIdentityException.class);

        assertThat(server.hits("/secret.json")).isEqualTo(before + 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1:%d/client.json", "https://localhost:%d/client.json"})
    void fetch_loopbackWithoutTheFlag_isRefusedBeforeConnecting(String template) throws Exception {
        MetadataDocumentFetcher fetcher =
                new MetadataDocumentFetcher(new Options(TestHttpsServer.clientContext(), Duration.ofSeconds(2), false));
        int before = server.totalHits();

        assertThatThrownBy(() -> fetcher.fetch(template.formatted(server.port())))
                .hasMessageContaining("resolves to loopback address");
        assertThat(server.totalHits()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://[::1]/x",
                "https://10.1.2.3/x",
                "https://169.254.169.254/latest",
                "https://[::ffff:127.0.0.1]/x",
                "https://0.0.0.0/x",
                "https://[fd00::1]/x",
                "https://100.64.0.1/x",
                "https://[64:ff9b::a01:203]/x"
            })
    void fetch_specialUseAddress_isRefusedBeforeConnecting(String url) throws Exception {
        Resolver literalsOnly = countingResolver(new AtomicInteger());
        MetadataDocumentFetcher fetcher = new MetadataDocumentFetcher(
                new Options(TestHttpsServer.clientContext(), Duration.ofSeconds(2), false),
                literalsOnly,
                Clock.systemUTC());
        int before = server.totalHits();

        assertThatThrownBy(() -> fetcher.fetch(url))
                .hasMessageContaining(" address ")
                .hasMessageEndingWith("which is never fetched");
        assertThat(server.totalHits()).isEqualTo(before);
    }

    @Test
    void fetch_hostWithOnePrivateAmongItsAddresses_isRefused() throws Exception {
        Resolver mixed = host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
            InetAddress.getByAddress(host, new byte[] {10, 0, 0, 5})
        };
        MetadataDocumentFetcher fetcher = new MetadataDocumentFetcher(loopbackOptions, mixed, Clock.systemUTC());
        int before = server.totalHits();

        assertThatThrownBy(() -> fetcher.fetch("https://localhost:" + server.port() + "/client.json"))
                .hasMessageContaining("resolves to private address 10.0.0.5 (10.0.0.0/8)");
        assertThat(server.totalHits()).isEqualTo(before);
    }

    @Test
    void fetch_resolvedAddress_isConnectedToWithoutASecondLookup() throws Exception {
        // The server listens on 127.0.0.2 only; the system resolves localhost to 127.0.0.1 or ::1. Success
        // therefore proves the connection went to the address our one lookup returned.
        try (TestHttpsServer pinned = TestHttpsServer.start("127.0.0.2")) {
            String url = "https://localhost:" + pinned.port() + "/doc.json";
            pinned.route(
                    "/doc.json",
                    response -> writeJson(
                            response,
                            null,
                            ("{\"client_id\":\"" + url + "\",\"redirect_uris\":[\"https://c.example/cb\"]}")
                                    .getBytes()));
            AtomicInteger lookups = new AtomicInteger();
            Resolver pinnedLocalhost = host -> {
                lookups.incrementAndGet();
                return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 2})};
            };
            MetadataDocumentFetcher fetcher =
                    new MetadataDocumentFetcher(loopbackOptions, pinnedLocalhost, Clock.systemUTC());

            ClientMetadataDocument document = fetcher.fetch(url);

            assertThat(document.clientName()).isEqualTo("localhost");
            assertThat(lookups).hasValue(1);
            assertThat(pinned.hits("/doc.json")).isEqualTo(1);
        }
    }

    @Test
    void fetch_certificateForAnotherHost_isRefused() throws Exception {
        Resolver toLoopback = host -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        MetadataDocumentFetcher fetcher = new MetadataDocumentFetcher(loopbackOptions, toLoopback, Clock.systemUTC());

        assertThatThrownBy(() -> fetcher.fetch("https://client.example:" + server.port() + "/client.json"))
                .hasMessageContaining("could not be fetched: TLS failed");
    }

    @Test
    void fetch_urlBreakingARule_isRefusedBeforeAnyLookup() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        MetadataDocumentFetcher fetcher =
                new MetadataDocumentFetcher(loopbackOptions, countingResolver(lookups), Clock.systemUTC());

        assertThatThrownBy(() -> fetcher.fetch("https://client.example/../client.json"))
                .hasMessageContaining("must not contain '.' or '..' path segments");
        assertThat(lookups).hasValue(0);
    }

    @ParameterizedTest
    @CsvSource({
        "application/json, true",
        "'APPLICATION/JSON; charset=utf-8', true",
        "application/oauth-client+json, true",
        "application/jsonp, false",
        "text/json, false",
        "text/plain, false",
        "'', false"
    })
    void isJson_contentType_acceptsJsonAndPlusJsonOnly(String contentType, boolean json) {
        assertThat(MetadataDocumentFetcher.isJson(contentType)).isEqualTo(json);
    }

    @Test
    void options_defaults_refuseLoopbackAndWaitThreeSeconds() {
        Options defaults = Options.defaults();

        assertThat(defaults.loopbackAllowed()).isFalse();
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void isMetadataDocumentUrl_httpsPrefix_decides() {
        assertThat(MetadataDocumentFetcher.isMetadataDocumentUrl("https://client.example/c.json"))
                .isTrue();
        assertThat(MetadataDocumentFetcher.isMetadataDocumentUrl("3f1c2e0a-registered"))
                .isFalse();
        assertThat(MetadataDocumentFetcher.isMetadataDocumentUrl(null)).isFalse();
    }

    private static MetadataDocumentFetcher fetcher() {
        return new MetadataDocumentFetcher(loopbackOptions);
    }

    /** Resolves IP literals only (no DNS traffic) and counts the calls. */
    private static Resolver countingResolver(AtomicInteger calls) {
        return host -> {
            calls.incrementAndGet();
            if (!host.contains(":") && !host.matches("[0-9.]+")) {
                throw new UnknownHostException(host + " (tests resolve literals only)");
            }
            return InetAddress.getAllByName(host);
        };
    }

    /** Serves {@code template} with %s replaced by the path's own URL, as application/json. */
    private static void serveDocument(String path, String cacheControl, String template) {
        server.route(path, response -> writeJson(response, cacheControl, document(path, template)));
    }

    private static byte[] document(String path, String template) {
        return template.formatted(server.url(path)).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeJson(Response response, String cacheControl, byte[] body) throws Exception {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Optional.ofNullable(cacheControl).ifPresent(c -> response.getHeaders().put(HttpHeader.CACHE_CONTROL, c));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        TestHttpsServer.write(response, true, body);
    }

    private static byte[] padded(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) ' ');
        return bytes;
    }

    private static void acceptForever(ServerSocket listener, List<Socket> accepted) {
        try {
            while (true) {
                accepted.add(listener.accept());
            }
        } catch (IOException e) {
            // The test closed the listener, which ends accepting; the sockets it holds are its to close.
            assertThat(listener.isClosed()).isTrue();
        }
    }
}
