package com.timether.mcp.tools.tag;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.mcp.tool.Cursor;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Page;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.mcp.tools.WorkspaceRows;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Tags: listing, creating, renaming and deleting. */
public final class TagTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement MANAGE = Requirement.of(Scope.WRITE, Role.MANAGER);

    private TagTools() {}

    record Row(UUID id, String name, long uses) {
        Map<String, Object> view() {
            return Map.of("id", id.toString(), "name", name, "entry_count", uses);
        }
    }

    /** The tools of this area. */
    public static List<Tool> all() {
        return List.of(
                Tool.read(
                        "list_tags",
                        "List tags",
                        "Lists the workspace's tags by name with how many time entries use each; 50 per page by"
                                + " default. Pass next_cursor as cursor for the next page.",
                        READ,
                        Schema.object()
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("tags", item()),
                        TagTools::list),
                Tool.create(
                        "create_tag",
                        "Create a tag",
                        "Creates a tag. Names are unique, ignoring case.",
                        MANAGE,
                        Schema.object().required("name", Schema.string("Tag name", 60)),
                        item(),
                        TagTools::create),
                Tool.update(
                        "rename_tag",
                        "Rename a tag",
                        "Renames a tag; entries keep it.",
                        MANAGE,
                        Schema.object()
                                .requiredId("tag_id", Entity.TAG, "The tag's id")
                                .required("name", Schema.string("New name", 60)),
                        item(),
                        TagTools::rename),
                Tool.consequential(
                        "delete_tag",
                        "Delete a tag",
                        "Deletes a tag and removes it from every time entry. The first call returns a"
                                + " confirmation_token and the effect; call again with it to delete.",
                        MANAGE,
                        true,
                        Schema.object().requiredId("tag_id", Entity.TAG, "The tag's id"),
                        Schema.object()
                                .required("deleted", Schema.bool("True once deleted"))
                                .required("id", Schema.string("Deleted tag id", 36))
                                .toMap(),
                        call -> {
                            Row tag = find(
                                    call.handle(),
                                    call.workspaceId(),
                                    call.args().id("tag_id"));
                            return "Delete tag '" + tag.name() + "' and remove it from " + tag.uses()
                                    + " time entries.";
                        },
                        TagTools::delete));
    }

    private static Map<String, Object> list(ToolCall call) {
        int limit = call.args().limit();
        Optional<List<String>> after = Cursor.decode(call.args(), 2);
        List<Row> rows = call.handle()
                .createQuery("SELECT t.id, t.name, (SELECT count(*) FROM time_entry_tags x"
                        + " WHERE x.tag_id = t.id) AS uses FROM tags t WHERE t.workspace_id = :ws"
                        + " AND (CAST(:afterName AS text) IS NULL"
                        + " OR (lower(t.name), t.id) > (lower(:afterName), CAST(:afterId AS uuid)))"
                        + " ORDER BY lower(t.name), t.id LIMIT :limit")
                .bind("ws", call.workspaceId())
                .bind("afterName", after.map(k -> k.get(0)).orElse(null))
                .bind("afterId", after.map(k -> Cursor.id(k.get(1))).orElse(null))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getLong("uses")))
                .list();
        return Page.of("tags", rows, limit, Row::view, r -> List.of(r.name(), r.id().toString()));
    }

    private static Map<String, Object> create(ToolCall call) {
        String name = call.args().text("name", 60);
        WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.TAGS, name, null);
        UUID id = call.handle()
                .createQuery("INSERT INTO tags (workspace_id, name) VALUES (:ws, :name) RETURNING id")
                .bind("ws", call.workspaceId())
                .bind("name", name)
                .mapTo(UUID.class)
                .one();
        call.audit("tag.create", "tag", id, Map.of("name", name));
        return find(call.handle(), call.workspaceId(), id).view();
    }

    private static Map<String, Object> rename(ToolCall call) {
        Row tag = find(call.handle(), call.workspaceId(), call.args().id("tag_id"));
        String name = call.args().text("name", 60);
        WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.TAGS, name, tag.id());
        call.handle()
                .createUpdate("UPDATE tags SET name = :name WHERE workspace_id = :ws AND id = :id")
                .bind("name", name)
                .bind("ws", call.workspaceId())
                .bind("id", tag.id())
                .execute();
        call.audit("tag.rename", "tag", tag.id(), Map.of("from", tag.name(), "to", name));
        return find(call.handle(), call.workspaceId(), tag.id()).view();
    }

    private static Map<String, Object> delete(ToolCall call) {
        Row tag = find(call.handle(), call.workspaceId(), call.args().id("tag_id"));
        return WorkspaceRows.delete(call, WorkspaceRows.Table.TAGS, tag.id(), tag.name());
    }

    static Row find(Handle h, UUID workspaceId, UUID id) {
        return h.createQuery("SELECT t.id, t.name, (SELECT count(*) FROM time_entry_tags x WHERE x.tag_id = t.id)"
                        + " AS uses FROM tags t WHERE t.workspace_id = :ws AND t.id = :id")
                .bind("ws", workspaceId)
                .bind("id", id)
                .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getLong("uses")))
                .findOne()
                .orElseThrow(() -> WorkspaceRows.notFound(WorkspaceRows.Table.TAGS, id));
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("id", Schema.string("Tag id", 36))
                .required("name", Schema.string("Name", 60))
                .required("entry_count", Schema.number("Time entries carrying this tag"))
                .toMap();
    }
}
