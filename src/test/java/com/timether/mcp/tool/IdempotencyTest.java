package com.timether.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Idempotency keys of additive tools through the real /mcp endpoint: one key acts once per user and workspace,
 * also under concurrent repeats, and refuses to stand for another request.
 */
class IdempotencyTest {
    private static final int REPEATS = 20;

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final User manager = TestData.member(app, workspace, Role.MANAGER);
    private final McpCall mcp = connect(manager);

    @Test
    void createClient_twentyConcurrentCallsWithOneKey_oneClientAndOneResult() throws Exception {
        Map<String, Object> args = Map.of("name", "Concurrent Co", "idempotency_key", "key-" + UUID.randomUUID());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JsonNode>> calls = new ArrayList<>();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REPEATS; i++) {
                calls.add(threads.submit(() -> {
                    start.await();
                    return mcp.tool("create_client", args);
                }));
            }
            start.countDown();
        }
        List<JsonNode> results = new ArrayList<>();
        for (Future<JsonNode> call : calls) {
            results.add(call.get());
        }

        JsonNode first = results.getFirst();
        assertThat(results).allSatisfy(result -> {
            assertThat(result.path("isError").asBoolean(false))
                    .as(result.toString())
                    .isFalse();
            assertThat(result.get("structuredContent")).isEqualTo(first.get("structuredContent"));
        });
        String id = first.get("structuredContent").get("id").asString();
        assertThat(first.get("structuredContent").get("name").asString()).isEqualTo("Concurrent Co");
        assertThat(clientIds()).containsExactly(id);
        assertThat(creations(id)).isEqualTo(1);
    }

    @Test
    void createClient_repeatAfterSuccess_firstResultWithoutSecondAuditEvent() {
        Map<String, Object> args = Map.of("name", "Repeat Ltd", "idempotency_key", "repeat-1");
        JsonNode created = mcp.ok("create_client", args);
        String id = created.get("id").asString();
        mcp.ok("update_client", Map.of("client_id", id, "email", "billing@repeat.example"));

        JsonNode repeated = mcp.ok("create_client", args);

        assertThat(repeated).isEqualTo(created);
        assertThat(repeated.get("email").isNull()).isTrue();
        assertThat(clientIds()).containsExactly(id);
        assertThat(creations(id)).isEqualTo(1);
    }

    @Test
    void createClient_sameKeyOtherArguments_refusedAndNothingCreated() {
        JsonNode created = mcp.ok("create_client", Map.of("name", "Original", "idempotency_key", "shared-key"));

        String otherName = mcp.refusal("create_client", Map.of("name", "Different", "idempotency_key", "shared-key"));
        String extraField = mcp.refusal(
                "create_client", Map.of("name", "Original", "currency", "USD", "idempotency_key", "shared-key"));

        assertThat(otherName)
                .isEqualTo("idempotency_key 'shared-key' was already used with other arguments; use a new key for a"
                        + " new request");
        assertThat(extraField).isEqualTo(otherName);
        assertThat(clientIds()).containsExactly(created.get("id").asString());
        assertThat(clientNames()).containsExactly("Original");
    }

    @Test
    void createTag_keyAlreadyUsedByCreateClient_refusedNamingTheToolAndNoTagCreated() {
        JsonNode client = mcp.ok("create_client", Map.of("name", "Acme", "idempotency_key", "cross-tool"));

        String refused = mcp.refusal("create_tag", Map.of("name", "Acme", "idempotency_key", "cross-tool"));

        assertThat(refused)
                .isEqualTo("idempotency_key 'cross-tool' was already used with other arguments (tool create_client);"
                        + " use a new key for a new request");
        assertThat(count("tags")).isZero();
        assertThat(clientIds()).containsExactly(client.get("id").asString());
    }

    @Test
    void createClient_sameKeyByAnotherUser_actsIndependently() {
        McpCall otherManager = connect(TestData.member(app, workspace, Role.MANAGER));
        JsonNode mine = mcp.ok("create_client", Map.of("name", "Mine", "idempotency_key", "per-user"));

        JsonNode theirs = otherManager.ok("create_client", Map.of("name", "Theirs", "idempotency_key", "per-user"));
        String theirsAgain =
                otherManager.refusal("create_client", Map.of("name", "Mine", "idempotency_key", "per-user"));

        assertThat(theirs.get("name").asString()).isEqualTo("Theirs");
        assertThat(theirs.get("id").asString()).isNotEqualTo(mine.get("id").asString());
        assertThat(theirsAgain).contains("idempotency_key 'per-user' was already used with other arguments");
        assertThat(clientNames()).containsExactlyInAnyOrder("Mine", "Theirs");
        assertThat(creations(mine.get("id").asString())).isEqualTo(1);
        assertThat(creations(theirs.get("id").asString())).isEqualTo(1);
    }

    @Test
    void createClient_sameKeyInAnotherWorkspace_actsIndependently() {
        Workspace other = TestData.workspace(app, manager, Plan.TEAM);
        McpCall elsewhere = McpCall.connect(manager.email(), other.id(), "timether:write");
        mcp.ok("create_client", Map.of("name", "Here", "idempotency_key", "per-workspace"));

        JsonNode there = elsewhere.ok("create_client", Map.of("name", "There", "idempotency_key", "per-workspace"));

        assertThat(there.get("name").asString()).isEqualTo("There");
        assertThat(clientNames()).containsExactly("Here");
    }

    @Test
    void createClient_firstCallRefused_keyStaysFreeForTheRetry() {
        String taken =
                mcp.ok("create_client", Map.of("name", "Taken")).get("id").asString();
        Map<String, Object> args = Map.of("name", "taken", "idempotency_key", "retry-me");

        String refused = mcp.refusal("create_client", args);
        mcp.ok("update_client", Map.of("client_id", taken, "name", "Renamed"));
        JsonNode retried = mcp.ok("create_client", args);

        assertThat(refused).isEqualTo("A client named 'taken' already exists; choose another name");
        assertThat(retried.get("name").asString()).isEqualTo("taken");
        assertThat(clientNames()).containsExactly("Renamed", "taken");
    }

    private McpCall connect(User user) {
        return McpCall.connect(user.email(), workspace.id(), "timether:write");
    }

    private List<String> clientIds() {
        return column("SELECT id::text FROM clients WHERE workspace_id = :ws ORDER BY name");
    }

    private List<String> clientNames() {
        return column("SELECT name FROM clients WHERE workspace_id = :ws ORDER BY name");
    }

    private long count(String table) {
        return column("SELECT count(*)::text FROM " + table + " WHERE workspace_id = :ws").stream()
                .mapToLong(Long::parseLong)
                .sum();
    }

    private long creations(String client) {
        return column("SELECT id::text FROM audit_events WHERE workspace_id = :ws AND action = 'client.create'"
                        + " AND target_id = '" + UUID.fromString(client) + "'")
                .size();
    }

    private List<String> column(String sql) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery(sql)
                        .bind("ws", workspace.id())
                        .mapTo(String.class)
                        .list());
    }
}
