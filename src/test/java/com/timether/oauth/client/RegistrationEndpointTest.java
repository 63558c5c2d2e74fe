package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.OAuthFlow;
import com.timether.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Dynamic Client Registration (RFC 7591): what it refuses and with which error code, what it echoes, its limit. */
class RegistrationEndpointTest {
    private static final String GOOD_URI = "https://app.example/callback";

    private final HttpClient http = HttpClient.newHttpClient();

    // Every registration from 127.0.0.1 counts, including those of other test classes in this JVM: start from zero,
    // and leave zero behind so the classes after this one can still register.
    @BeforeEach
    @AfterEach
    void clearLimit() {
        OAuthFlow.clearRegistrationLimit();
    }

    static Stream<Arguments> refusedMetadata() {
        String uris = "\"redirect_uris\":[\"" + GOOD_URI + "\"]";
        return Stream.of(
                Arguments.of("{}", "invalid_redirect_uri"),
                Arguments.of("{\"client_name\":\"No URIs\"}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":null}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":\"" + GOOD_URI + "\"}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[42]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"http://app.example/callback\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"http://127.0.0.1.evil.example/cb\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"https://app.example/cb#frag\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"https://user@app.example/cb\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"javascript:alert(1)\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"com.example.app:/callback\"]}", "invalid_redirect_uri"),
                Arguments.of("{\"redirect_uris\":[\"/relative\"]}", "invalid_redirect_uri"),
                Arguments.of(
                        "{" + uris + ",\"token_endpoint_auth_method\":\"client_secret_basic\"}",
                        "invalid_client_metadata"),
                Arguments.of(
                        "{" + uris + ",\"token_endpoint_auth_method\":\"client_secret_post\"}",
                        "invalid_client_metadata"),
                Arguments.of(
                        "{" + uris + ",\"grant_types\":[\"authorization_code\",\"implicit\"]}",
                        "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"grant_types\":[\"client_credentials\"]}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"grant_types\":[\"refresh_token\"]}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"response_types\":[\"token\"]}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_name\":\"Claude\\u0000\"}", "invalid_client_metadata"),
                Arguments.of(
                        "{" + uris + ",\"client_name\":\"Good App\\nSign in as admin\"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_name\":\"Bell\\u0007\"}", "invalid_client_metadata"),
                // Bidirectional overrides make the consent page show a name other than the one registered.
                Arguments.of("{" + uris + ",\"client_name\":\"Claude\\u202E tnatsissA\"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_name\":\"Good\\u2067App\"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_name\":\"   \"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_name\":\"" + "n".repeat(101) + "\"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"client_uri\":\"http://app.example/\"}", "invalid_client_metadata"),
                Arguments.of("{" + uris + ",\"scope\":\"timether:root\"}", "invalid_client_metadata"),
                Arguments.of("{\"redirect_uris\":", "invalid_client_metadata"),
                Arguments.of("not json", "invalid_client_metadata"),
                Arguments.of("", "invalid_client_metadata"),
                Arguments.of("[\"" + GOOD_URI + "\"]", "invalid_client_metadata"),
                Arguments.of("\"" + GOOD_URI + "\"", "invalid_client_metadata"),
                Arguments.of("42", "invalid_client_metadata"),
                Arguments.of("null", "invalid_client_metadata"));
    }

    @ParameterizedTest
    @MethodSource("refusedMetadata")
    void register_invalidMetadata_isRefusedWithItsErrorCodeAndStoresNothing(String body, String error) {
        long before = clientCount();

        HttpResponse<String> response = register(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(OAuthFlow.json(response).get("error").asString()).isEqualTo(error);
        assertThat(OAuthFlow.json(response).get("error_description").asString()).isNotBlank();
        assertThat(OAuthFlow.json(response).has("client_id")).isFalse();
        assertThat(clientCount()).isEqualTo(before);
    }

    @Test
    void register_bodyOver16KiB_isRefusedInvalidClientMetadata() {
        String body = "{\"redirect_uris\":[\"" + GOOD_URI + "\"],\"software_id\":\"" + "x".repeat(16 * 1024) + "\"}";

        HttpResponse<String> response = register(body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(OAuthFlow.json(response).get("error").asString()).isEqualTo("invalid_client_metadata");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                GOOD_URI,
                "http://127.0.0.1/callback",
                "http://127.0.0.1:8123/callback",
                "http://localhost:33418/",
                "http://[::1]:4000/cb"
            })
    void register_validRedirectUri_isAcceptedAndEchoed(String uri) {
        HttpResponse<String> response = register("{\"redirect_uris\":[\"" + uri + "\",\"https://app.example/second\"],"
                + "\"client_name\":\"Echo Test\",\"unknown_extension\":{\"ignored\":true}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode body = OAuthFlow.json(response);
        assertThat(body.get("redirect_uris").valueStream().map(JsonNode::asString))
                .containsExactly(uri, "https://app.example/second");
        assertThat(body.get("client_id").asString()).startsWith("tmc_");
        assertThat(body.get("client_name").asString()).isEqualTo("Echo Test");
        assertThat(body.get("token_endpoint_auth_method").asString()).isEqualTo("none");
        assertThat(body.has("client_secret")).isFalse();
        assertThat(body.has("unknown_extension")).isFalse();
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void register_withoutName_isAcceptedAsUnnamedClient() {
        HttpResponse<String> response = register("{\"redirect_uris\":[\"" + GOOD_URI + "\"],\"client_name\":null}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(OAuthFlow.json(response).get("client_name").asString()).isEqualTo("Unnamed client");
    }

    @Test
    void register_nameWithAccentsAndEmoji_isAcceptedAsWritten() {
        String name = "Zo\u00eb\u2019s Assistant \uD83D\uDC69\u200D\uD83D\uDCBB";

        HttpResponse<String> response =
                register("{\"redirect_uris\":[\"" + GOOD_URI + "\"],\"client_name\":\"" + name + "\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(OAuthFlow.json(response).get("client_name").asString()).isEqualTo(name);
    }

    @Test
    void register_moreThan20InAnHourFromOneAddress_isRefused429WithRetryAfter() {
        String body = "{\"redirect_uris\":[\"" + GOOD_URI + "\"]}";
        List<Integer> first20 =
                Stream.generate(() -> register(body).statusCode()).limit(20).toList();

        HttpResponse<String> over = register(body);
        HttpResponse<String> spoofed = send(HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/oauth/register"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("X-Real-IP", "203.0.113.7")
                .header("Forwarded", "for=203.0.113.7")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertThat(first20).containsOnly(201);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(OAuthFlow.json(over).get("error").asString()).isEqualTo("too_many_requests");
        assertThat(OAuthFlow.json(over).has("client_id")).isFalse();
        long retryAfter =
                Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 3600L);
        // The limit counts the connecting address; headers any client can write must not reset it.
        assertThat(spoofed.statusCode()).isEqualTo(429);
    }

    private HttpResponse<String> register(String body) {
        return send(HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/oauth/register"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long clientCount() {
        return TestServer.app()
                .database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM oauth_clients")
                        .mapTo(Long.class)
                        .one());
    }
}
