package com.timether.mcp.tools.client;

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
import com.timether.platform.error.DomainException;
import com.timether.platform.text.InputRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Clients: listing, viewing, creating, changing, archiving and deleting. */
public final class ClientTools {
    private static final Requirement READ = Requirement.of(Scope.READ, Role.MEMBER);
    private static final Requirement MANAGE = Requirement.of(Scope.WRITE, Role.MANAGER);

    private ClientTools() {}

    record Row(UUID id, String name, String email, String address, String currency, boolean isArchived) {
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id.toString());
            view.put("name", name);
            view.put("email", email);
            view.put("address", address);
            view.put("currency", currency);
            view.put("archived", isArchived);
            return view;
        }
    }

    /** The tools of this area. */
    public static List<Tool> all() {
        Schema id = Schema.object().requiredId("client_id", Entity.CLIENT, "The client's id");
        return List.of(
                Tool.read(
                        "list_clients",
                        "List clients",
                        "Lists the workspace's clients by name, 50 per page by default (limit up to 200). Archived"
                                + " clients are left out unless include_archived is true. Pass next_cursor as cursor"
                                + " to get the next page.",
                        READ,
                        Schema.object()
                                .optional("include_archived", Schema.bool("Also list archived clients"))
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("clients", item()),
                        ClientTools::list),
                Tool.read(
                        "get_client",
                        "Get a client",
                        "Returns one client by id.",
                        READ,
                        id,
                        item(),
                        call -> find(
                                        call.handle(),
                                        call.workspaceId(),
                                        call.args().id("client_id"))
                                .view()),
                Tool.create(
                        "create_client",
                        "Create a client",
                        "Creates a client. Names are unique in the workspace (ignoring case).",
                        MANAGE,
                        fields(Schema.object().required("name", Schema.string("Client name", 200))),
                        item(),
                        ClientTools::create),
                Tool.update(
                        "update_client",
                        "Update a client",
                        "Changes a client's name, email, address or currency; arguments left out stay as they are,"
                                + " and email or address given as null are cleared.",
                        MANAGE,
                        fields(Schema.object()
                                        .requiredId("client_id", Entity.CLIENT, "The client's id")
                                        .optional("name", Schema.string("New name", 200)))
                                .clearable("email", "address"),
                        item(),
                        ClientTools::update),
                Tool.update(
                        "archive_client",
                        "Archive or restore a client",
                        "Archives a client (hidden from lists, kept with its history) or restores it with"
                                + " archived=false.",
                        MANAGE,
                        Schema.object()
                                .requiredId("client_id", Entity.CLIENT, "The client's id")
                                .optional("archived", Schema.bool("true to archive (default), false to restore")),
                        item(),
                        ClientTools::archive),
                Tool.consequential(
                        "delete_client",
                        "Delete a client",
                        "Deletes a client for good. Refused while projects or invoices use it: archive it instead."
                                + " The first call returns a confirmation_token and the effect; nothing changes until"
                                + " you call again with the token.",
                        MANAGE,
                        true,
                        id,
                        deleted(),
                        call -> "Delete client '"
                                + find(
                                                call.handle(),
                                                call.workspaceId(),
                                                call.args().id("client_id"))
                                        .name() + "' for good.",
                        ClientTools::delete));
    }

    private static Schema fields(Schema schema) {
        return schema.optional("email", Schema.string("Billing email", 254))
                .optional("address", Schema.string("Postal address", 1000))
                .optional("currency", Schema.string("ISO 4217 currency for invoices, such as EUR", 3));
    }

    private static Map<String, Object> list(ToolCall call) {
        int limit = call.args().limit();
        boolean withArchived = call.args().optionalBool("include_archived").orElse(false);
        Optional<List<String>> after = Cursor.decode(call.args(), 2);
        List<Row> rows = call.handle()
                .createQuery("SELECT id, name, email, address, currency, archived FROM clients"
                        + " WHERE workspace_id = :ws AND (:archived OR NOT archived)"
                        + " AND (CAST(:afterName AS text) IS NULL"
                        + " OR (lower(name), id) > (lower(:afterName), CAST(:afterId AS uuid)))"
                        + " ORDER BY lower(name), id LIMIT :limit")
                .bind("ws", call.workspaceId())
                .bind("archived", withArchived)
                .bind("afterName", after.map(k -> k.get(0)).orElse(null))
                .bind("afterId", after.map(k -> Cursor.id(k.get(1))).orElse(null))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> row(rs))
                .list();
        return Page.of("clients", rows, limit, Row::view, r -> List.of(r.name(), r.id().toString()));
    }

    private static Map<String, Object> create(ToolCall call) {
        String name = call.args().text("name", 200);
        WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.CLIENTS, name, null);
        UUID id = call.handle()
                .createQuery("INSERT INTO clients (workspace_id, name, email, address, currency)"
                        + " VALUES (:ws, :name, :email, :address, :currency) RETURNING id")
                .bind("ws", call.workspaceId())
                .bind("name", name)
                .bind("email", email(call).orElse(null))
                .bind("address", call.args().optionalText("address", 1000).orElse(null))
                .bind("currency", currency(call).orElse(null))
                .mapTo(UUID.class)
                .one();
        call.audit("client.create", "client", id, Map.of("name", name));
        return find(call.handle(), call.workspaceId(), id).view();
    }

    private static Map<String, Object> update(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("client_id"));
        Optional<String> name = call.args().optionalText("name", 200);
        name.ifPresent(n -> WorkspaceRows.requireUniqueName(call, WorkspaceRows.Table.CLIENTS, n, current.id()));
        call.handle()
                .createUpdate("UPDATE clients SET name = :name, email = :email, address = :address,"
                        + " currency = :currency, updated_at = now() WHERE workspace_id = :ws AND id = :id")
                .bind("name", name.orElse(current.name()))
                .bind(
                        "email",
                        call.args().isCleared("email") ? null : email(call).orElse(current.email()))
                .bind(
                        "address",
                        call.args().isCleared("address")
                                ? null
                                : call.args().optionalText("address", 1000).orElse(current.address()))
                .bind("currency", currency(call).orElse(current.currency()))
                .bind("ws", call.workspaceId())
                .bind("id", current.id())
                .execute();
        call.audit(
                "client.update",
                "client",
                current.id(),
                Map.of("fields", call.args().given()));
        return find(call.handle(), call.workspaceId(), current.id()).view();
    }

    private static Map<String, Object> archive(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("client_id"));
        WorkspaceRows.setArchived(
                call,
                WorkspaceRows.Table.CLIENTS,
                current.id(),
                call.args().optionalBool("archived").orElse(true));
        return find(call.handle(), call.workspaceId(), current.id()).view();
    }

    private static Map<String, Object> delete(ToolCall call) {
        Row current = find(call.handle(), call.workspaceId(), call.args().id("client_id"));
        long uses = call.handle()
                .createQuery("SELECT (SELECT count(*) FROM projects WHERE workspace_id = :ws"
                        + " AND client_id = :id) + (SELECT count(*) FROM invoices WHERE workspace_id = :ws"
                        + " AND client_id = :id)")
                .bind("ws", call.workspaceId())
                .bind("id", current.id())
                .mapTo(Long.class)
                .one();
        if (uses > 0) {
            throw DomainException.conflict("Client '" + current.name() + "' has " + uses
                    + (uses == 1 ? " project or invoice" : " projects or invoices")
                    + "; archive it with archive_client instead");
        }
        return WorkspaceRows.delete(call, WorkspaceRows.Table.CLIENTS, current.id(), current.name());
    }

    private static Optional<String> email(ToolCall call) {
        return call.args().optionalText("email", 254).map(e -> InputRules.email("email", e));
    }

    private static Optional<String> currency(ToolCall call) {
        return call.args().optionalText("currency", 3).map(c -> InputRules.currency("currency", c));
    }

    /** The client with this id in the workspace; another workspace's client is not found, like a missing one. */
    static Row find(Handle h, UUID workspaceId, UUID id) {
        return h.createQuery("SELECT id, name, email, address, currency, archived FROM clients"
                        + " WHERE workspace_id = :ws AND id = :id")
                .bind("ws", workspaceId)
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .orElseThrow(() -> WorkspaceRows.notFound(WorkspaceRows.Table.CLIENTS, id));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("email"),
                rs.getString("address"),
                rs.getString("currency"),
                rs.getBoolean("archived"));
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("id", Schema.string("Client id", 36))
                .required("name", Schema.string("Name", 200))
                .required("email", Schema.nullableString("Billing email"))
                .required("address", Schema.nullableString("Postal address"))
                .required("currency", Schema.nullableString("Invoice currency, or null for the workspace's"))
                .required("archived", Schema.bool("Whether the client is archived"))
                .toMap();
    }

    private static Map<String, Object> deleted() {
        return Schema.object()
                .required("deleted", Schema.bool("True once deleted"))
                .required("id", Schema.string("Id of the deleted record", 36))
                .toMap();
    }
}
