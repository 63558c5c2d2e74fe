package com.timether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.OAuthFlow;
import com.timether.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 3: the official MCP conformance suite's authorization server scenarios
 * ({@code authorization-server-metadata-endpoint} and {@code authorization-code-grant}) against our authorization
 * server, with the login the suite asks a person to do done by {@link ConformanceLogin}. See docs/conformance.md.
 */
class AuthorizationConformanceTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path results;

    @Test
    void authorizationSuite_demoOwnerApproves_allChecksPass() throws Exception {
        String base = TestServer.baseUrl();
        int port = freePort();
        String clientId = register("http://127.0.0.1:" + port + "/callback");
        ConformanceLogin person = ConformanceLogin.demo(base);
        AtomicReference<String> authorizeUrl = new AtomicReference<>();

        // No --scenario: a single scenario run would not pass the metadata to the code grant scenario.
        ConformanceRunner.Result result = ConformanceRunner.conformance(
                results,
                TIMEOUT,
                line -> {
                    // The suite prints the URL a person should open, then waits for its loopback callback.
                    if (line.startsWith(base + "/oauth/authorize?") && authorizeUrl.compareAndSet(null, line)) {
                        person.deliver(person.approve(line.strip()));
                    }
                },
                List.of(
                        "authorization",
                        "--url",
                        base,
                        "--client-id",
                        clientId,
                        "--port",
                        Integer.toString(port),
                        "--resource",
                        base + "/mcp",
                        "--output-dir",
                        results.toString()));

        assertThat(result.isSuccess()).as(result.describe()).isTrue();
        assertThat(authorizeUrl.get()).as(result.describe()).isNotNull();
        assertThat(result.output()).as(result.describe()).containsPattern("Total: [1-9][0-9]* passed, 0 failed");
        List<JsonNode> checks = ConformanceRunner.checks(results);
        assertThat(ConformanceRunner.status(checks, "authorization-server-metadata"))
                .as(result.describe())
                .isEqualTo("SUCCESS");
        assertThat(ConformanceRunner.status(checks, "authorization-server-metadata-cimd"))
                .as(result.describe())
                .isEqualTo("SUCCESS");
        assertThat(ConformanceRunner.status(checks, "authorization-code-grant"))
                .as(result.describe())
                .isEqualTo("SUCCESS");
        assertThat(checks)
                .as(result.describe())
                .allSatisfy(check -> assertThat(check.path("status").asString()).isIn("SUCCESS", "INFO"));
    }

    @Test
    void authorizationSuite_urlIsNotTheIssuer_failsTheRun() {
        // The harness must see a failing suite: 127.0.0.1 serves the same metadata, but its issuer says localhost.
        String wrongIssuer = TestServer.baseUrl().replace("localhost", "127.0.0.1");

        ConformanceRunner.Result result = ConformanceRunner.conformance(
                results,
                TIMEOUT,
                line -> {},
                List.of(
                        "authorization",
                        "--url",
                        wrongIssuer,
                        "--client-id",
                        "unused",
                        "--output-dir",
                        results.toString()));

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        JsonNode metadata = ConformanceRunner.checks(results).stream()
                .filter(check -> check.path("id").asString().equals("authorization-server-metadata"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metadata check\n" + result.describe()));
        assertThat(metadata.path("status").asString()).as(result.describe()).isEqualTo("FAILURE");
        assertThat(metadata.path("errorMessage").asString()).contains("Invalid issuer: " + TestServer.baseUrl());
    }

    /** Dynamic registration of the suite's public client, with its loopback callback as the redirect URI. */
    private static String register(String redirectUri) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(TestServer.baseUrl() + "/oauth/register"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"redirect_uris\":[\"" + redirectUri
                                        + "\"],\"client_name\":\"MCP conformance suite\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return OAuthFlow.json(response).get("client_id").asString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
