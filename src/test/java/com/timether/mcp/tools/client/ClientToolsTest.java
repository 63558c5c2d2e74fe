package com.timether.mcp.tools.client;

import static com.timether.testing.TestData.HTML_TEXT;
import static com.timether.testing.TestData.SQL_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.testing.Confirmed;
import com.timether.testing.Connection;
import com.timether.testing.ListPages;
import com.timether.testing.McpCall;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import com.timether.testing.TrackingRows;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The client tools through the real /mcp endpoint, with tokens from the real OAuth flow. */
class ClientToolsTest {

    private final Application app = TestServer.app();
    private final User owner = TestData.user(app);
    private final Workspace workspace = TestData.workspace(app, owner, Plan.TEAM);
    private final Connection manager =
            Connection.open(TestData.member(app, workspace, Role.MANAGER), workspace, "timether:write");
    private final McpCall mcp = manager.mcp();

    @Test
    void createClient_allFields_readBackThroughGetAndListAndAudited() {
        JsonNode created = mcp.ok(
                "create_client",
                Map.of(
                        "name",
                        "  Acme GmbH ",
                        "email",
                        "Billing@Acme.example",
                        "address",
                        "Hauptstr. 1, Berlin",
                        "currency",
                        "usd"));
        String id = created.get("id").asString();

        JsonNode fetched = mcp.ok("get_client", Map.of("client_id", id));
        List<String> listed = names(mcp, Map.of());

        assertThat(fetched).isEqualTo(created);
        assertThat(fetched.get("name").asString()).isEqualTo("Acme GmbH");
        assertThat(fetched.get("email").asString()).isEqualTo("billing@acme.example");
        assertThat(fetched.get("address").asString()).isEqualTo("Hauptstr. 1, Berlin");
        assertThat(fetched.get("currency").asString()).isEqualTo("USD");
        assertThat(fetched.get("archived").asBoolean()).isFalse();
        assertThat(listed).containsExactly("Acme GmbH");
        manager.assertAuditedOnce(app, "client.create", "create_client", id);
    }

    @Test
    void updateClient_someFields_changesOnlyThoseAndAudits() {
        String id = client("Old name", Map.of("email", "a@old.example", "address", "Street 1"));

        JsonNode updated = mcp.ok("update_client", Map.of("client_id", id, "name", "New name", "currency", "GBP"));
        JsonNode fetched = mcp.ok("get_client", Map.of("client_id", id));

        assertThat(fetched).isEqualTo(updated);
        assertThat(fetched.get("name").asString()).isEqualTo("New name");
        assertThat(fetched.get("currency").asString()).isEqualTo("GBP");
        assertThat(fetched.get("email").asString()).isEqualTo("a@old.example");
        assertThat(fetched.get("address").asString()).isEqualTo("Street 1");
        manager.assertAuditedOnce(app, "client.update", "update_client", id);
    }

    @Test
    void updateClient_emailGivenAsNull_clearsItAndKeepsTheRest() {
        String id = client("Clearable", Map.of("email", "a@old.example", "address", "Street 1"));
        Map<String, Object> clear = new HashMap<>(Map.of("client_id", id));
        clear.put("email", null);

        JsonNode updated = mcp.ok("update_client", clear);

        assertThat(updated.get("email").isNull()).isTrue();
        assertThat(updated.get("address").asString()).isEqualTo("Street 1");
        assertThat(mcp.ok("get_client", Map.of("client_id", id))).isEqualTo(updated);
    }

    @Test
    void createAndUpdateClient_nameTakenIgnoringCase_refusedAndNothingChanged() {
        String acme = client("Acme", Map.of());
        String other = client("Other", Map.of());

        String create = mcp.refusal("create_client", Map.of("name", "ACME"));
        String update = mcp.refusal("update_client", Map.of("client_id", other, "name", "acme "));
        JsonNode ownCase = mcp.ok("update_client", Map.of("client_id", acme, "name", "ACME"));

        assertThat(create).isEqualTo("A client named 'ACME' already exists; choose another name");
        assertThat(update).isEqualTo("A client named 'acme' already exists; choose another name");
        assertThat(ownCase.get("name").asString()).isEqualTo("ACME");
        assertThat(names(mcp, Map.of())).containsExactly("ACME", "Other");
    }

    @Test
    void createClient_nameUsedInAnotherWorkspace_allowed() {
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        McpCall there = McpCall.connect(owner.email(), elsewhere.id(), "timether:write");
        there.ok("create_client", Map.of("name", "Shared Name"));

        JsonNode created = mcp.ok("create_client", Map.of("name", "shared name"));

        assertThat(created.get("name").asString()).isEqualTo("shared name");
        assertThat(names(there, Map.of())).containsExactly("Shared Name");
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("", "name must be 1 to 200 characters, got 0"),
                Arguments.of("   ", "name must be 1 to 200 characters, got 0"),
                Arguments.of("x".repeat(201), "/name: must be at most 200 characters long"),
                Arguments.of("Line\u0000break", "name must not contain control characters"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void createAndUpdateClient_invalidName_refusedNamingTheFieldAndNothingChanged(String name, String message) {
        String id = client("Kept", Map.of());

        String create = mcp.refusal("create_client", Map.of("name", name));
        String update = mcp.refusal("update_client", Map.of("client_id", id, "name", name));

        assertThat(create).contains(message);
        assertThat(update).contains(message);
        assertThat(names(mcp, Map.of())).containsExactly("Kept");
    }

    @Test
    void createAndUpdateClient_sqlAndHtmlCharacters_storedAndReturnedVerbatim() {
        String id = mcp.ok("create_client", Map.of("name", SQL_TEXT, "address", HTML_TEXT))
                .get("id")
                .asString();
        String other =
                mcp.ok("create_client", Map.of("name", "Plain")).get("id").asString();
        mcp.ok("update_client", Map.of("client_id", other, "name", HTML_TEXT, "address", SQL_TEXT));

        JsonNode first = mcp.ok("get_client", Map.of("client_id", id));
        JsonNode second = mcp.ok("get_client", Map.of("client_id", other));

        assertThat(first.get("name").asString()).isEqualTo(SQL_TEXT);
        assertThat(first.get("address").asString()).isEqualTo(HTML_TEXT);
        assertThat(second.get("name").asString()).isEqualTo(HTML_TEXT);
        assertThat(second.get("address").asString()).isEqualTo(SQL_TEXT);
        assertThat(names(mcp, Map.of())).containsExactlyInAnyOrder(SQL_TEXT, HTML_TEXT);
    }

    @Test
    void createClient_invalidEmailOrCurrencyOrUnknownArgument_refusedByNameAndNothingAdded() {
        String email = mcp.refusal("create_client", Map.of("name", "A", "email", "not-an-email"));
        String currency = mcp.refusal("create_client", Map.of("name", "A", "currency", "XYZ"));
        String unknown = mcp.refusal("create_client", Map.of("name", "A", "vat_id", "DE123"));

        assertThat(email)
                .isEqualTo("email must be an email address such as name@example.com (at most 254 characters), got"
                        + " 'not-an-email'");
        assertThat(currency).isEqualTo("currency must be an ISO 4217 currency code such as EUR or USD, got 'XYZ'");
        assertThat(unknown).contains("'vat_id' is not defined in the schema");
        assertThat(names(mcp, Map.of("include_archived", true))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"get_client", "update_client", "archive_client", "delete_client"})
    void clientTools_idNotAUuid_refusedNamingTheField(String tool) {
        String refused = mcp.refusal(tool, Map.of("client_id", "acme"));

        assertThat(refused)
                .isEqualTo("client_id must be an id such as 3f2b1c9e-8d4a-4c1b-9a7e-2d5f6a7b8c9d, got 'acme'");
    }

    @Test
    void clientTools_idOfAnotherWorkspace_answeredLikeAMissingIdAndNothingChanged() {
        Workspace elsewhere = TestData.workspace(app, owner, Plan.TEAM);
        McpCall there = McpCall.connect(owner.email(), elsewhere.id(), "timether:write");
        String foreign =
                there.ok("create_client", Map.of("name", "Theirs")).get("id").asString();
        String random = UUID.randomUUID().toString();

        String get = mcp.refusal("get_client", Map.of("client_id", foreign));
        String update = mcp.refusal("update_client", Map.of("client_id", foreign, "name", "Mine"));
        String archive = mcp.refusal("archive_client", Map.of("client_id", foreign));
        String missing = mcp.refusal("get_client", Map.of("client_id", random));

        assertThat(get).isEqualTo("No client with id " + foreign + " in this workspace");
        assertThat(update).isEqualTo(get);
        assertThat(archive).isEqualTo(get);
        assertThat(missing).isEqualTo("No client with id " + random + " in this workspace");
        assertThat(there.ok("get_client", Map.of("client_id", foreign))
                        .get("name")
                        .asString())
                .isEqualTo("Theirs");
        assertThat(there.ok("get_client", Map.of("client_id", foreign))
                        .get("archived")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void archiveClient_archivedAndRestored_hiddenFromListUnlessAskedAndAudited() {
        String id = client("Dormant", Map.of());
        client("Busy", Map.of());

        JsonNode archived = mcp.ok("archive_client", Map.of("client_id", id));
        List<String> defaultList = names(mcp, Map.of());
        List<String> withArchived = names(mcp, Map.of("include_archived", true));
        JsonNode fetched = mcp.ok("get_client", Map.of("client_id", id));
        JsonNode restored = mcp.ok("archive_client", Map.of("client_id", id, "archived", false));

        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(defaultList).containsExactly("Busy");
        assertThat(withArchived).containsExactly("Busy", "Dormant");
        assertThat(fetched.get("archived").asBoolean()).isTrue();
        assertThat(restored.get("archived").asBoolean()).isFalse();
        assertThat(names(mcp, Map.of())).containsExactly("Busy", "Dormant");
        manager.assertAuditedOnce(app, "client.archive", "archive_client", id);
        manager.assertAuditedOnce(app, "client.restore", "archive_client", id);
    }

    @Test
    void deleteClient_confirmed_deletesOnlyAfterTheTokenAndAudits() {
        String id = client("Short-lived", Map.of());

        JsonNode pending = Confirmed.ask(mcp, "delete_client", Map.of("client_id", id));
        List<String> whilePending = names(mcp, Map.of());
        JsonNode deleted = mcp.ok("delete_client", Confirmed.withToken(Map.of("client_id", id), pending));
        String gone = mcp.refusal("get_client", Map.of("client_id", id));

        assertThat(pending.get("effect").asString()).isEqualTo("Delete client 'Short-lived' for good.");
        assertThat(whilePending).containsExactly("Short-lived");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(deleted.get("id").asString()).isEqualTo(id);
        assertThat(gone).isEqualTo("No client with id " + id + " in this workspace");
        manager.assertAuditedOnce(app, "client.delete", "delete_client", id);
    }

    @Test
    void deleteClient_withProjectAndTrackedTime_refusedPointingToArchiveAndNothingDeleted() {
        String id = client("Historic", Map.of());
        String project = mcp.ok("create_project", Map.of("name", "Work", "client_id", id))
                .get("id")
                .asString();
        mcp.ok("create_time_entry", Map.of("start", "2026-03-02T09:00", "duration_minutes", 60, "project_id", project));

        String refused = Confirmed.refusal(mcp, "delete_client", Map.of("client_id", id));

        assertThat(refused)
                .isEqualTo("Client 'Historic' has 1 project or invoice; archive it with archive_client" + " instead");
        assertThat(mcp.ok("get_client", Map.of("client_id", id)).get("name").asString())
                .isEqualTo("Historic");
        assertThat(mcp.ok("get_project", Map.of("project_id", project))
                        .get("client_id")
                        .asString())
                .isEqualTo(id);
        assertThat(TrackingRows.audit(app, workspace, "client.delete")).isEmpty();
    }

    @Test
    void listClients_smallPages_walkEveryRowOnceInNameOrder() {
        List<String> created = List.of("beta", "Alpha", "Äpfel", "zeta", "Öl", "Gamma", "delta");
        created.forEach(name -> client(name, Map.of()));

        List<ListPages.Page> ones = ListPages.walk(mcp, "list_clients", "clients", 1, Map.of());
        List<ListPages.Page> twos = ListPages.walk(mcp, "list_clients", "clients", 2, Map.of());
        List<ListPages.Page> all = ListPages.walk(mcp, "list_clients", "clients", 200, Map.of());

        assertThat(ListPages.names(all)).containsExactlyInAnyOrderElementsOf(created);
        assertThat(ListPages.names(ones)).isEqualTo(ListPages.names(all));
        assertThat(ListPages.names(twos)).isEqualTo(ListPages.names(all));
        assertThat(ones).hasSize(7);
        assertThat(twos).hasSize(4);
        assertThat(all)
                .singleElement()
                .satisfies(page -> assertThat(page.hasMore()).isFalse());
    }

    @Test
    void listClients_serverDefaultLocaleTurkish_pagesStillWalkEveryRow() {
        List.of("Ideas", "Idefix", "Iris").forEach(name -> client(name, Map.of()));
        Locale before = Locale.getDefault();
        List<ListPages.Page> ones;
        try {
            // Turkish lower-cases I to a dotless i, which the database's lower() does not.
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            ones = ListPages.walk(mcp, "list_clients", "clients", 1, Map.of());
        } finally {
            Locale.setDefault(before);
        }

        assertThat(ListPages.names(ones)).containsExactly("Ideas", "Idefix", "Iris");
    }

    @Test
    void createClient_sameNameTwentyTimesAtOnce_oneCreatedAndEveryOtherRefusedClearly() throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(threads.submit(() -> {
                    start.await();
                    return mcp.tool("create_client", Map.of("name", "Rush"));
                }));
            }
            start.countDown();
            for (Future<JsonNode> call : calls) {
                answers.add(call.get());
            }
        }

        List<String> refusals = answers.stream()
                .filter(a -> a.path("isError").asBoolean())
                .map(a -> a.get("content").get(0).get("text").asString())
                .toList();
        assertThat(refusals)
                .hasSize(19)
                .allSatisfy(text -> assertThat(text)
                        .satisfiesAnyOf(
                                t -> assertThat(t)
                                        .isEqualTo("A client named 'Rush' already exists; choose another name"),
                                t -> assertThat(t)
                                        .startsWith("create_client clashed with a change made at the same moment")));
        assertThat(ListPages.names(ListPages.walk(mcp, "list_clients", "clients", 200, Map.of())))
                .containsExactly("Rush");
    }

    @Test
    void listClients_limitOutOfRangeOrTamperedCursor_refused() {
        client("Only", Map.of());

        String zero = mcp.refusal("list_clients", Map.of("limit", 0));
        String tooMany = mcp.refusal("list_clients", Map.of("limit", 201));
        String tampered = mcp.refusal("list_clients", Map.of("cursor", "bm90LWEtY3Vyc29y"));
        String tamperedId = mcp.refusal("list_clients", Map.of("cursor", "b25seQBub3QtYW4taWQ"));
        JsonNode max = mcp.ok("list_clients", Map.of("limit", 200));

        assertThat(zero).contains("/limit: must have a minimum value of 1");
        assertThat(tooMany).contains("/limit: must have a maximum value of 200");
        assertThat(List.of(tampered, tamperedId))
                .containsOnly("cursor is not valid; pass the next_cursor of the previous page unchanged, or omit it");
        assertThat(max.get("clients").size()).isEqualTo(1);
        assertThat(max.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void clientWrites_memberWithWriteScope_refusedForRoleAndNothingChanged() {
        String id = client("Guarded", Map.of());
        McpCall member =
                McpCall.connect(TestData.member(app, workspace, Role.MEMBER).email(), workspace.id(), "timether:write");
        Map<String, Map<String, Object>> writes = Map.of(
                "create_client", Map.of("name", "Sneaky"),
                "update_client", Map.of("client_id", id, "name", "Renamed"),
                "archive_client", Map.of("client_id", id),
                "delete_client", Map.of("client_id", id));

        Map<String, String> refusals = new HashMap<>();
        writes.forEach((tool, args) -> refusals.put(tool, member.refusal(tool, args)));
        List<String> seen = names(member, Map.of());

        refusals.forEach((tool, refused) -> assertThat(refused)
                .isEqualTo(tool + " is not available to this connection: This needs the manager role or above; you"
                        + " are member."));
        assertThat(seen).containsExactly("Guarded");
        assertThat(mcp.ok("get_client", Map.of("client_id", id)).get("archived").asBoolean())
                .isFalse();
        assertThat(names(mcp, Map.of("include_archived", true))).containsExactly("Guarded");
    }

    @Test
    void clientTools_readScopeConnection_listsAndGetsButCannotWrite() {
        String id = client("Visible", Map.of());
        McpCall reader =
                McpCall.connect(TestData.member(app, workspace, Role.MEMBER).email(), workspace.id(), "timether:read");

        List<String> listed = names(reader, Map.of());
        JsonNode fetched = reader.ok("get_client", Map.of("client_id", id));
        HttpResponse<String> create =
                reader.send("tools/call", Map.of("name", "create_client", "arguments", Map.of("name", "Nope")));

        assertThat(listed).containsExactly("Visible");
        assertThat(fetched.get("name").asString()).isEqualTo("Visible");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(create.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
        assertThat(names(mcp, Map.of())).containsExactly("Visible");
    }

    private String client(String name, Map<String, Object> fields) {
        Map<String, Object> args = new HashMap<>(fields);
        args.put("name", name);
        return mcp.ok("create_client", args).get("id").asString();
    }

    private static List<String> names(McpCall caller, Map<String, Object> filter) {
        return ListPages.names(ListPages.walk(caller, "list_clients", "clients", 200, filter));
    }
}
