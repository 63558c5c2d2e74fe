package com.timether.mcp.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.platform.crypto.Secrets;
import com.timether.testing.Confirmed;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The confirmation flow of consequential tools through the real /mcp endpoint: a one-time token bound to the
 * user, connection, workspace, tool and arguments, valid five minutes, with every refusal changing nothing.
 */
class ConfirmationTest {
    private static final String AGAIN = " Call delete_client again without confirmation_token to get a new one.";
    private static final String NOT_VALID = "confirmation_token is not valid for this connection." + AGAIN;

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final User admin = TestData.member(app, workspace, Role.ADMIN);
    private final McpCall mcp = connect(admin);

    @Test
    void deleteClient_withoutToken_changesNothingAndDescribesTheEffect() {
        String client = client("Throwaway Ltd");

        JsonNode pending = mcp.ok("delete_client", Map.of("client_id", client));

        assertThat(pending.get("confirmation_required").asBoolean()).isTrue();
        assertThat(pending.get("confirmation_token").asString())
                .startsWith("tcf_")
                .hasSizeGreaterThan(30);
        assertThat(Instant.parse(pending.get("expires_at").asString()))
                .isBetween(
                        Instant.now().plus(Duration.ofSeconds(280)),
                        Instant.now().plus(Duration.ofSeconds(301)));
        assertThat(pending.get("effect").asString()).isEqualTo("Delete client 'Throwaway Ltd' for good.");
        assertThat(pending.get("next_step").asString())
                .isEqualTo("Nothing has changed yet. Show the effect to the person; if they agree, call delete_client"
                        + " again with the same arguments plus confirmation_token.");
        assertThat(pending.has("deleted")).isFalse();
        assertUnchanged(client, "Throwaway Ltd");
        assertThat(storedToken(pending.get("confirmation_token").asString())).hasValue("delete_client unused");
    }

    @Test
    void deleteClient_tokenUsedTwice_deletesOnceAndRefusesTheSecond() {
        String client = client("Once Only");
        Map<String, Object> args = Map.of("client_id", client);
        JsonNode pending = Confirmed.ask(mcp, "delete_client", args);

        JsonNode deleted = mcp.ok("delete_client", Confirmed.withToken(args, pending));
        String again = mcp.refusal("delete_client", Confirmed.withToken(args, pending));

        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("id").asString()).isEqualTo(client);
        assertThat(again).isEqualTo("confirmation_token was already used; each token works once." + AGAIN);
        assertThat(clientName(client)).isEmpty();
        assertThat(deletions(client)).isEqualTo(1);
        assertThat(storedToken(pending.get("confirmation_token").asString())).hasValue("delete_client used");
    }

    @Test
    void deleteClient_tokenWithOtherArguments_refusedAndBothClientsStay() {
        String first = client("First Client");
        String second = client("Second Client");
        JsonNode pending = Confirmed.ask(mcp, "delete_client", Map.of("client_id", first));

        String refused = mcp.refusal("delete_client", Confirmed.withToken(Map.of("client_id", second), pending));

        assertThat(refused)
                .isEqualTo("confirmation_token was issued for other arguments; repeat the call with the same"
                        + " arguments." + AGAIN);
        assertUnchanged(first, "First Client");
        assertUnchanged(second, "Second Client");
        assertThat(mcp.ok("delete_client", Confirmed.withToken(Map.of("client_id", first), pending))
                        .get("deleted")
                        .asBoolean())
                .isTrue();
        assertUnchanged(second, "Second Client");
    }

    @Test
    void deleteClient_tokenOfAnotherAdmin_refusedAndClientStays() {
        String client = client("Shared Client");
        Map<String, Object> args = Map.of("client_id", client);
        JsonNode pending = Confirmed.ask(mcp, "delete_client", args);
        McpCall otherAdmin = connect(TestData.member(app, workspace, Role.ADMIN));

        String refused = otherAdmin.refusal("delete_client", Confirmed.withToken(args, pending));

        assertThat(refused).isEqualTo(NOT_VALID);
        assertUnchanged(client, "Shared Client");
        assertThat(storedToken(pending.get("confirmation_token").asString())).hasValue("delete_client unused");
    }

    @Test
    void deleteClient_tokenOnAnotherConnectionOfTheSameUser_refusedAndClientStays() {
        String client = client("Two Windows");
        Map<String, Object> args = Map.of("client_id", client);
        JsonNode pending = Confirmed.ask(mcp, "delete_client", args);
        McpCall secondConnection = connect(admin);

        String refused = secondConnection.refusal("delete_client", Confirmed.withToken(args, pending));

        assertThat(refused).isEqualTo(NOT_VALID);
        assertUnchanged(client, "Two Windows");
        assertThat(mcp.ok("delete_client", Confirmed.withToken(args, pending))
                        .get("deleted")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void deleteTag_withTokenIssuedForDeleteClient_refusedAndNeitherRecordChanges() {
        String client = client("Kept Client");
        String tag = mcp.ok("create_tag", Map.of("name", "kept-tag")).get("id").asString();
        JsonNode pending = Confirmed.ask(mcp, "delete_client", Map.of("client_id", client));

        String refused = mcp.refusal("delete_tag", Confirmed.withToken(Map.of("tag_id", tag), pending));

        assertThat(refused)
                .isEqualTo("confirmation_token was issued for delete_client, not delete_tag. Call delete_tag again"
                        + " without confirmation_token to get a new one.");
        assertUnchanged(client, "Kept Client");
        assertThat(mcp.ok("list_tags", Map.of()).get("tags"))
                .singleElement()
                .satisfies(row -> assertThat(row.get("id").asString()).isEqualTo(tag));
        assertThat(storedToken(pending.get("confirmation_token").asString())).hasValue("delete_client unused");
    }

    @Test
    void deleteClient_expiredToken_refusedAndClientStays() {
        String client = client("Slow Decision");
        Map<String, Object> args = Map.of("client_id", client);
        JsonNode pending = Confirmed.ask(mcp, "delete_client", args);
        app.database()
                .jdbi()
                .useHandle(h -> h.createUpdate("UPDATE confirmations SET expires_at = now() - interval '1 second'"
                                + " WHERE token_hash = :hash")
                        .bind(
                                "hash",
                                Secrets.hash(pending.get("confirmation_token").asString()))
                        .execute());

        String refused = mcp.refusal("delete_client", Confirmed.withToken(args, pending));

        assertThat(refused).isEqualTo("confirmation_token expired (tokens last 5 minutes)." + AGAIN);
        assertUnchanged(client, "Slow Decision");
        assertThat(storedToken(pending.get("confirmation_token").asString())).hasValue("delete_client unused");
    }

    @Test
    void deleteClient_garbageOrOverlongToken_refusedAndClientStays() {
        String client = client("Guarded Client");
        Map<String, Object> garbage = new HashMap<>(Map.of("client_id", client));
        garbage.put("confirmation_token", "tcf_" + UUID.randomUUID());
        Map<String, Object> overlong = new HashMap<>(garbage);
        overlong.put("confirmation_token", "x".repeat(201));

        String refusedGarbage = mcp.refusal("delete_client", garbage);
        String refusedOverlong = mcp.refusal("delete_client", overlong);

        assertThat(refusedGarbage).isEqualTo(NOT_VALID);
        assertThat(refusedOverlong)
                .isEqualTo("Tool (delete_client) input validation failed: Validation failed: JSON schema validation"
                        + " errors: [/confirmation_token: must be at most 200 characters long]");
        assertUnchanged(client, "Guarded Client");
    }

    private McpCall connect(User user) {
        return McpCall.connect(user.email(), workspace.id(), "timether:write");
    }

    private String client(String name) {
        return mcp.ok("create_client", Map.of("name", name)).get("id").asString();
    }

    private void assertUnchanged(String client, String name) {
        assertThat(clientName(client)).hasValue(name);
        assertThat(deletions(client)).isZero();
    }

    private Optional<String> clientName(String client) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT name FROM clients WHERE workspace_id = :ws AND id = :id")
                        .bind("ws", workspace.id())
                        .bind("id", UUID.fromString(client))
                        .mapTo(String.class)
                        .findOne());
    }

    private long deletions(String client) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events WHERE workspace_id = :ws"
                                + " AND action = 'client.delete' AND target_id = :id")
                        .bind("ws", workspace.id())
                        .bind("id", client)
                        .mapTo(Long.class)
                        .one());
    }

    /** The stored token's tool and whether it was used, as "tool used" or "tool unused". */
    private Optional<String> storedToken(String token) {
        return app.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT tool || CASE WHEN used_at IS NULL THEN ' unused' ELSE ' used'"
                                + " END FROM confirmations WHERE token_hash = :hash AND user_id = :user")
                        .bind("hash", Secrets.hash(token))
                        .bind("user", admin.id())
                        .mapTo(String.class)
                        .findOne());
    }
}
