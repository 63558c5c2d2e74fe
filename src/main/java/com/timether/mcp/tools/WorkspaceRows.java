package com.timether.mcp.tools;

import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What tools do alike to named, archivable workspace records: unique names, existence, archiving, deleting. */
public final class WorkspaceRows {
    private WorkspaceRows() {}

    /** A table of named workspace records and the noun people use for one. */
    public enum Table {
        CLIENTS("clients", "client"),
        PROJECTS("projects", "project"),
        TAGS("tags", "tag");

        private final String name;
        private final String noun;

        Table(String name, String noun) {
            this.name = name;
            this.noun = noun;
        }
    }

    /** Refuses a name another record of the table already has, ignoring case. */
    public static void requireUniqueName(ToolCall call, Table table, String name, UUID except) {
        boolean isTaken = call.handle()
                .createQuery("SELECT EXISTS (SELECT 1 FROM " + table.name + " WHERE workspace_id = :ws"
                        + " AND lower(name) = lower(:name) AND id IS DISTINCT FROM :except)")
                .bind("ws", call.workspaceId())
                .bind("name", name)
                .bind("except", except)
                .mapTo(Boolean.class)
                .one();
        if (isTaken) {
            throw DomainException.conflict(
                    "A " + table.noun + " named '" + name + "' already exists; choose another name");
        }
    }

    /** Refuses an id that names no record of the table in the caller's workspace. */
    public static void requireExists(ToolCall call, Table table, UUID id) {
        boolean exists = call.handle()
                .createQuery("SELECT EXISTS (SELECT 1 FROM " + table.name + " WHERE workspace_id = :ws AND id = :id)")
                .bind("ws", call.workspaceId())
                .bind("id", id)
                .mapTo(Boolean.class)
                .one();
        if (!exists) {
            throw notFound(table, id);
        }
    }

    /** Refuses an id that names no record of the table in the caller's workspace, or an archived one. */
    public static void requireUnarchived(ToolCall call, Table table, UUID id) {
        Optional<Boolean> isArchived = call.handle()
                .createQuery("SELECT archived FROM " + table.name + " WHERE workspace_id = :ws AND id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", id)
                .mapTo(Boolean.class)
                .findOne();
        if (isArchived.isEmpty()) {
            throw notFound(table, id);
        }
        if (isArchived.get()) {
            throw DomainException.conflict("The " + table.noun + " " + id + " is archived; restore it with archive_"
                    + table.noun + " and archived=false, or choose another " + table.noun);
        }
    }

    /** The refusal for an id of another workspace or of nothing: the two are answered alike. */
    public static DomainException notFound(Table table, UUID id) {
        return DomainException.notFound("No " + table.noun + " with id " + id + " in this workspace");
    }

    /** Archives or restores a record, with its audit event. */
    public static void setArchived(ToolCall call, Table table, UUID id, boolean isArchived) {
        call.handle()
                .createUpdate("UPDATE " + table.name + " SET archived = :archived, updated_at = now()"
                        + " WHERE workspace_id = :ws AND id = :id")
                .bind("archived", isArchived)
                .bind("ws", call.workspaceId())
                .bind("id", id)
                .execute();
        call.audit(table.noun + (isArchived ? ".archive" : ".restore"), table.noun, id, Map.of());
    }

    /** Deletes a record, with its audit event; answers the tool's result. */
    public static Map<String, Object> delete(ToolCall call, Table table, UUID id, String name) {
        call.handle()
                .createUpdate("DELETE FROM " + table.name + " WHERE workspace_id = :ws AND id = :id")
                .bind("ws", call.workspaceId())
                .bind("id", id)
                .execute();
        call.audit(table.noun + ".delete", table.noun, id, Map.of("name", name));
        return Map.of("deleted", true, "id", id.toString());
    }
}
