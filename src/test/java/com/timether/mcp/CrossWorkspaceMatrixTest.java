package com.timether.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolKind;
import com.timether.testing.TestData;
import com.timether.testing.TestServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The cross-workspace matrix, generated from the tool declarations: for every tool and every id argument it
 * declares, an owner of workspace A with {@code timether:admin} sends the id of a real record of workspace B, every
 * other argument valid in A. The answer must be the one a random id gets (not found, or an empty list), must
 * show nothing of B, and must change nothing in B; consequential tools also refuse a token of A replayed on B's id.
 */
class CrossWorkspaceMatrixTest {
    /** Tools declaring id arguments today; the matrix must cover at least these, so it cannot pass vacuously. */
    private static final int MIN_TOOLS_WITH_ID_ARGUMENTS = 36;

    /** Values of A for required arguments that are not ids; a tool requiring anything else fails the matrix. */
    private static final Map<String, Object> FILLS = Map.of(
            "role", "manager",
            "reason", "Hours are missing on Tuesday",
            "from", "2026-01-01",
            "to", "2026-12-31",
            "start", "2026-02-11T09:00");

    private static World world;

    private record World(MatrixWorkspace a, MatrixWorkspace b) {}

    /** One id argument of one tool; {@code isList} for arguments holding a list of ids. */
    record IdArgument(Tool tool, String name, Entity entity, boolean isList) {
        String label() {
            return tool.name() + " " + name + " (" + entity + ")";
        }

        Object value(UUID id) {
            return isList ? List.of(id.toString()) : id.toString();
        }
    }

    private static synchronized World world() {
        if (world == null) {
            world = new World(MatrixWorkspace.create("Alpha"), MatrixWorkspace.create("Bravo"));
        }
        return world;
    }

    @TestFactory
    Stream<DynamicTest> callFromA_idOfWorkspaceB_answersAsForMissingIdAndLeaksNothing() {
        List<Tool> tools = TestServer.app().tools();
        List<IdArgument> arguments = idArguments(tools);
        Set<String> covered = new ConcurrentSkipListSet<>();
        Stream<DynamicTest> cases = arguments.stream()
                .map(argument -> dynamicTest(argument.label(), () -> {
                    uncovered(List.of(argument), MatrixWorkspace.kinds()).forEach(message -> fail(message));
                    check(world(), argument);
                    covered.add(argument.tool().name());
                }));
        DynamicTest coverage = dynamicTest("every tool with id arguments was covered", () -> {
            Set<String> withIds = new TreeSet<>();
            arguments.forEach(argument -> withIds.add(argument.tool().name()));
            assertThat(withIds).hasSizeGreaterThanOrEqualTo(MIN_TOOLS_WITH_ID_ARGUMENTS);
            assertThat(covered).containsExactlyInAnyOrderElementsOf(withIds);
        });
        return Stream.concat(cases, Stream.of(coverage));
    }

    @Test
    void uncovered_entityWithoutFactory_namesToolAndArgument() {
        List<IdArgument> arguments = idArguments(TestServer.app().tools());
        Set<Entity> withoutClient = EnumSet.copyOf(MatrixWorkspace.kinds());
        withoutClient.remove(Entity.CLIENT);

        List<String> messages = uncovered(arguments, withoutClient);

        assertThat(uncovered(arguments, MatrixWorkspace.kinds())).isEmpty();
        assertThat(messages)
                .anySatisfy(m -> assertThat(m).contains("get_client argument client_id"))
                .anySatisfy(m -> assertThat(m).contains("list_time_entries argument client_id"))
                .allSatisfy(m -> assertThat(m).contains("CLIENT").contains("no factory"));
    }

    @Test
    void toolDeclarations_everyIdProperty_namesItsEntity() {
        List<String> undeclared = new ArrayList<>();

        for (Tool tool : TestServer.app().tools()) {
            undeclared.addAll(undeclaredIds(tool));
        }
        Tool careless = Tool.read(
                "get_thing",
                "Get a thing",
                "Declares its id as a plain property.",
                Requirement.of(Scope.READ, Role.MEMBER),
                Schema.object()
                        .required("thing_id", Schema.id("The thing"))
                        .optional("owner", Schema.id("Its owner"))
                        .optionalId("project_id", Entity.PROJECT, "Declared"),
                Schema.object().toMap(),
                call -> Map.of());

        assertThat(undeclaredIds(careless)).containsExactly("get_thing argument thing_id", "get_thing argument owner");
        assertThat(undeclared)
                .as("id arguments the matrix cannot see; declare them with requiredId, optionalId or optionalIds")
                .isEmpty();
    }

    @Test
    void listFilters_idsOfWorkspaceB_returnNothingAndLeakNothing() {
        World w = world();
        Map<String, Entity> filters = Map.of(
                "project_id", Entity.PROJECT,
                "member_id", Entity.MEMBER,
                "client_id", Entity.CLIENT,
                "tag_id", Entity.TAG);
        String before = w.b().snapshot();

        for (var filter : filters.entrySet()) {
            JsonNode own =
                    w.a().ownerCall.ok("list_time_entries", Map.of(filter.getKey(), w.a().text(filter.getValue())));
            JsonNode theirs =
                    w.a().ownerCall.tool("list_time_entries", Map.of(filter.getKey(), w.b().text(filter.getValue())));

            assertThat(own.get("entries").findValuesAsString("id"))
                    .as("A's own %s finds A's entry", filter.getKey())
                    .contains(w.a().text(Entity.TIME_ENTRY));
            assertThat(theirs.path("isError").asBoolean()).as(filter.getKey()).isFalse();
            assertThat(theirs.get("structuredContent").get("entries"))
                    .as("B's %s", filter.getKey())
                    .isEmpty();
            assertLeaksNothing(
                    "list_time_entries " + filter.getKey(), theirs, w.b().id(filter.getValue()), w.b(), before);
        }
        JsonNode ownProjects = w.a().ownerCall.ok("list_projects", Map.of("client_id", w.a().text(Entity.CLIENT)));
        String theirProjects = w.a().ownerCall.refusal("list_projects", Map.of("client_id", w.b().text(Entity.CLIENT)));
        JsonNode summary = w.a().ownerCall
                .ok(
                        "summary_report",
                        Map.of("from", "2026-01-01", "to", "2026-12-31", "project_id", w.b().text(Entity.PROJECT)));

        assertThat(ownProjects.get("projects").findValuesAsString("id")).contains(w.a().text(Entity.PROJECT));
        assertThat(theirProjects).isEqualTo("No client with id " + w.b().text(Entity.CLIENT) + " in this workspace");
        assertThat(summary.get("groups")).isEmpty();
        assertThat(summary.toString()).doesNotContain(w.b().marker);
        assertThat(w.b().snapshot()).isEqualTo(before);
    }

    /**
     * Every id argument every tool declares: reads and consequential tools (which change nothing before
     * confirmation) first, then the tools whose control call with A's own id acts in A, such as stopping the timer
     * a consequential case needs running.
     */
    static List<IdArgument> idArguments(List<Tool> tools) {
        List<IdArgument> arguments = new ArrayList<>();
        for (Tool tool : tools) {
            tool.input().ids().forEach((name, entity) -> arguments.add(new IdArgument(tool, name, entity, false)));
            tool.input().idLists().forEach((name, entity) -> arguments.add(new IdArgument(tool, name, entity, true)));
        }
        arguments.sort(Comparator.comparing(argument -> actsInA(argument.tool())));
        return arguments;
    }

    private static boolean actsInA(Tool tool) {
        return tool.kind() == ToolKind.CREATE || tool.kind() == ToolKind.UPDATE;
    }

    /**
     * Arguments that look like ids (a uuid format, or a name ending in {@code _id} or {@code _ids}) but are declared
     * without their entity, so that the matrix, generated from the entity declarations, would miss them.
     */
    @SuppressWarnings("unchecked")
    static List<String> undeclaredIds(Tool tool) {
        Map<String, Object> properties =
                (Map<String, Object>) tool.input().toMap().get("properties");
        List<String> undeclared = new ArrayList<>();
        properties.forEach((name, value) -> {
            Map<String, Object> property = (Map<String, Object>) value;
            Object items = property.getOrDefault("items", Map.of());
            boolean looksLikeId = name.endsWith("_id")
                    || name.endsWith("_ids")
                    || "uuid".equals(property.get("format"))
                    || "uuid".equals(((Map<String, Object>) items).get("format"));
            boolean isDeclared = tool.input().ids().containsKey(name)
                    || tool.input().idLists().containsKey(name);
            if (looksLikeId && !isDeclared) {
                undeclared.add(tool.name() + " argument " + name);
            }
        });
        return undeclared;
    }

    /** What the matrix cannot cover with {@code kinds}: one message per argument naming tool and argument. */
    static List<String> uncovered(List<IdArgument> arguments, Set<Entity> kinds) {
        return arguments.stream()
                .filter(argument -> !kinds.contains(argument.entity()))
                .map(argument -> argument.tool().name() + " argument " + argument.name() + " names a "
                        + argument.entity() + " id, and the cross-workspace matrix has no factory for "
                        + argument.entity() + "; add one to MatrixWorkspace")
                .toList();
    }

    private static void check(World w, IdArgument argument) {
        String tool = argument.tool().name();
        Map<String, Object> base = otherArguments(argument, w.a());
        UUID foreign = w.b().id(argument.entity());
        UUID nowhere = UUID.randomUUID();
        String before = w.b().snapshot();

        JsonNode fromB = w.a().ownerCall.tool(tool, with(base, argument, foreign));
        JsonNode fromNowhere = w.a().ownerCall.tool(tool, with(base, argument, nowhere));

        assertSameAnswer(argument.label(), fromB, fromNowhere, foreign, nowhere);
        assertNotFoundOrEmpty(argument, fromB);
        assertLeaksNothing(argument.label(), fromB, foreign, w.b(), before);
        if (argument.tool().kind() == ToolKind.CONSEQUENTIAL) {
            checkReplay(w, argument, base, foreign, nowhere, before);
        } else {
            checkControl(w, argument, base, fromNowhere, nowhere);
        }
        assertThat(w.b().snapshot())
                .as("%s changed nothing in B and B's record is still there", argument.label())
                .contains(foreign.toString())
                .isEqualTo(before);
    }

    /**
     * The same call with A's own id must not get the missing-id answer: otherwise another argument is what fails,
     * and the case would prove nothing about the id. Runs after B's and the random id's calls, as it may act in A.
     */
    private static void checkControl(
            World w, IdArgument argument, Map<String, Object> base, JsonNode fromNowhere, UUID nowhere) {
        UUID own = w.a().id(argument.entity());
        JsonNode fromA = w.a().ownerCall.tool(argument.tool().name(), with(base, argument, own));

        assertThat(fromA.toString().replace(own.toString(), nowhere.toString()))
                .as(
                        "%s with A's own id answers as for a missing id, so the case tests nothing: %s",
                        argument.label(), fromA)
                .isNotEqualTo(fromNowhere.toString());
    }

    /** A token issued in A for A's record, sent with B's id instead, is refused as for a random id. */
    private static void checkReplay(
            World w, IdArgument argument, Map<String, Object> base, UUID foreign, UUID nowhere, String before) {
        String tool = argument.tool().name();
        JsonNode pending = w.a().ownerCall.ok(tool, with(base, argument, w.a().id(argument.entity())));
        assertThat(pending.path("confirmation_required").asBoolean())
                .as("%s issues a token for A's own record", argument.label())
                .isTrue();
        String token = pending.get("confirmation_token").asString();

        Map<String, Object> replayB = with(base, argument, foreign);
        replayB.put("confirmation_token", token);
        Map<String, Object> replayNowhere = with(base, argument, nowhere);
        replayNowhere.put("confirmation_token", token);
        JsonNode fromB = w.a().ownerCall.tool(tool, replayB);
        JsonNode fromNowhere = w.a().ownerCall.tool(tool, replayNowhere);

        assertThat(fromB.path("isError").asBoolean())
                .as("%s with A's token on B's id is refused: %s", argument.label(), fromB)
                .isTrue();
        assertSameAnswer(argument.label() + " replayed", fromB, fromNowhere, foreign, nowhere);
        assertLeaksNothing(argument.label() + " replayed", fromB, foreign, w.b(), before);
    }

    /** The tool's other arguments, valid in A: its other ids name A's records, the rest come from FILLS. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> otherArguments(IdArgument argument, MatrixWorkspace a) {
        Tool tool = argument.tool();
        Map<String, Object> schema = tool.input().toMap();
        Set<String> properties = ((Map<String, Object>) schema.get("properties")).keySet();
        List<String> required = (List<String>) schema.getOrDefault("required", List.of());
        Map<String, Object> args = new LinkedHashMap<>();
        for (String name : required) {
            if (name.equals(argument.name())) {
                continue;
            }
            args.put(name, fill(tool, name, a));
        }
        // Optional arguments without which a call of A would not be valid, so that the id is the only thing wrong.
        if (properties.contains("archived")) {
            args.put("archived", false);
        }
        if (properties.contains("week")) {
            args.put("week", MatrixWorkspace.WEEK);
        }
        if (required.contains("start") && properties.contains("duration_minutes")) {
            args.put("duration_minutes", 30);
        }
        return args;
    }

    private static Object fill(Tool tool, String name, MatrixWorkspace a) {
        Entity id = tool.input().ids().get(name);
        if (id != null) {
            return a.text(id);
        }
        Entity list = tool.input().idLists().get(name);
        if (list != null) {
            return List.of(a.text(list));
        }
        if (name.equals("name")) {
            return "Matrix " + TestData.unique();
        }
        if (!FILLS.containsKey(name)) {
            fail(tool.name() + " requires argument " + name + ", which the cross-workspace matrix cannot fill;"
                    + " add a valid value to FILLS");
        }
        return FILLS.get(name);
    }

    private static Map<String, Object> with(Map<String, Object> base, IdArgument argument, UUID id) {
        Map<String, Object> args = new LinkedHashMap<>(base);
        args.put(argument.name(), argument.value(id));
        return args;
    }

    /** B's id and a random one get the same answer, word for word once the ids are swapped. */
    private static void assertSameAnswer(
            String label, JsonNode fromB, JsonNode fromNowhere, UUID foreign, UUID nowhere) {
        assertThat(fromB.toString().replace(foreign.toString(), nowhere.toString()))
                .as("%s answers B's id as it answers an id that exists nowhere", label)
                .isEqualTo(fromNowhere.toString());
    }

    /** A refusal says "not found", never "forbidden"; a success is a read that found nothing. */
    private static void assertNotFoundOrEmpty(IdArgument argument, JsonNode result) {
        if (result.path("isError").asBoolean()) {
            String text = result.get("content").get(0).get("text").asString();
            assertThat(text.toLowerCase(Locale.ROOT))
                    .as("%s refusal", argument.label())
                    .containsPattern("\\bno\\b.*\\bthis workspace")
                    .doesNotContain("forbidden", "permission", "not allowed", "another workspace", "other workspace");
            return;
        }
        assertThat(argument.tool().kind())
                .as("%s with B's id succeeded: %s", argument.label(), result)
                .isEqualTo(ToolKind.READ);
        assertThat(arraysIn(result.get("structuredContent")))
                .as("%s with B's id lists nothing: %s", argument.label(), result)
                .allSatisfy(array -> assertThat(array).isEmpty());
    }

    private static List<JsonNode> arraysIn(JsonNode node) {
        List<JsonNode> arrays = new ArrayList<>();
        if (node.isArray()) {
            arrays.add(node);
        }
        node.forEach(child -> arrays.addAll(arraysIn(child)));
        return arrays;
    }

    /** Neither B's names and emails nor any id of B's rows other than the one sent appear in the answer. */
    private static void assertLeaksNothing(
            String label, JsonNode result, UUID sent, MatrixWorkspace b, String snapshot) {
        String text = result.toString().toLowerCase(Locale.ROOT);
        for (String name : b.names()) {
            assertThat(text).as("%s leaks B's '%s'", label, name).doesNotContain(name.toLowerCase(Locale.ROOT));
        }
        Set<String> ids = b.allIds(snapshot);
        ids.remove(sent.toString());
        assertThat(ids).as("%s leaks an id of B: %s", label, result).noneMatch(text::contains);
    }
}
