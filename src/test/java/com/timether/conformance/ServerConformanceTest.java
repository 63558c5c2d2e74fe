package com.timether.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 4: the official MCP conformance suite's server scenarios and the MCP Inspector CLI against our {@code /mcp},
 * with a token from a real connection of the demo owner to Northwind Studio. The suite's server mode sends no
 * credentials, so it talks to {@code /mcp} through a {@link BearerProxy}; the Inspector sends the token itself
 * with {@code --header}. See docs/conformance.md.
 */
class ServerConformanceTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static String token;

    @TempDir
    Path work;

    @BeforeAll
    static void connect() {
        token = ConformanceLogin.demo(TestServer.baseUrl()).accessToken("timether:read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"server-initialize", "tools-list", "dns-rebinding-protection"})
    void serverScenario_throughBearerProxy_passes(String scenario) throws Exception {
        try (BearerProxy proxy = new BearerProxy(TestServer.baseUrl(), token)) {
            ConformanceRunner.Result result = ConformanceRunner.conformance(
                    work,
                    TIMEOUT,
                    line -> {},
                    List.of(
                            "server",
                            "--url",
                            proxy.url("/mcp"),
                            "--scenario",
                            scenario,
                            "--output-dir",
                            work.toString()));

            assertThat(result.isSuccess()).as(result.describe()).isTrue();
            List<JsonNode> checks = ConformanceRunner.checks(work);
            assertThat(checks).as(result.describe()).isNotEmpty();
            assertThat(checks)
                    .as(result.describe())
                    .noneSatisfy(
                            check -> assertThat(check.path("status").asString()).isIn("FAILURE", "WARNING"));
            List<String> expected = switch (scenario) {
                case "server-initialize" -> List.of("server-initialize");
                case "tools-list" -> List.of("tools-list", "tools-name-format");
                default -> List.of("localhost-host-rebinding-rejected", "localhost-host-valid-accepted");
            };
            for (String id : expected) {
                assertThat(ConformanceRunner.status(checks, id))
                        .as(id + "\n" + result.describe())
                        .isEqualTo("SUCCESS");
            }
        }
    }

    @Test
    void inspectorCli_toolsListWithToken_listsTools() throws Exception {
        ConformanceRunner.Result result = inspector(List.of(
                "--transport",
                "http",
                "--server-url",
                TestServer.baseUrl() + "/mcp",
                "--header",
                "Authorization: Bearer " + token,
                "--method",
                "tools/list",
                "--format",
                "json",
                "--stored-auth-only",
                "--connect-timeout",
                "15000"));

        assertThat(result.isSuccess()).as(result.describe()).isTrue();
        JsonNode tools = ConformanceRunner.json(result.output()
                        .lines()
                        .filter(line -> line.startsWith("{\"result\""))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no JSON result in:\n" + result.output())))
                .path("result")
                .path("tools");
        assertThat(tools.isArray() && !tools.isEmpty()).as(result.describe()).isTrue();
        tools.forEach(tool -> assertThat(tool.path("name").asString()).isNotEmpty());
    }

    @Test
    void inspectorCli_noToken_exitsAuthRequired() throws Exception {
        ConformanceRunner.Result result = inspector(List.of(
                "--transport",
                "http",
                "--server-url",
                TestServer.baseUrl() + "/mcp",
                "--method",
                "tools/list",
                "--format",
                "json",
                "--stored-auth-only",
                "--connect-timeout",
                "15000"));

        // Exit 3 is the Inspector CLI's "server requires authentication" (401 with WWW-Authenticate).
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(3);
        assertThat(result.output()).as(result.describe()).contains("auth_required");
    }

    /** The Inspector CLI with its storage (tokens, catalog, client config) in this test's own folder. */
    private ConformanceRunner.Result inspector(List<String> args) throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path storage = Files.createDirectories(work.resolve("storage"));
        Map<String, String> env = Map.of(
                "HOME", home.toString(),
                "MCP_STORAGE_DIR", storage.toString(),
                "MCP_INSPECTOR_OAUTH_STATE_PATH", storage.resolve("oauth.json").toString(),
                "MCP_CATALOG_PATH", storage.resolve("mcp.json").toString(),
                "MCP_CLIENT_CONFIG_PATH", storage.resolve("client.json").toString());
        return ConformanceRunner.inspector(work, env, TIMEOUT, args);
    }
}
