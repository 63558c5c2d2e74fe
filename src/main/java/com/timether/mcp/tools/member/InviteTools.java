package com.timether.mcp.tools.member;

import com.timether.access.Requirement;
import com.timether.access.Role;
import com.timether.access.Scope;
import com.timether.invite.Invite;
import com.timether.invite.InviteService;
import com.timether.invite.InviteService.After;
import com.timether.mcp.tool.Cursor;
import com.timether.mcp.tool.Entity;
import com.timether.mcp.tool.Page;
import com.timether.mcp.tool.Schema;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tool.ToolCall;
import com.timether.platform.error.DomainException;
import com.timether.platform.text.StoredName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Invites: listing, creating, resending and revoking; invite emails go to the outbox. */
public final class InviteTools {
    private static final Requirement ADMINISTER = Requirement.of(Scope.ADMIN, Role.ADMIN);
    private static final Requirement SEE = Requirement.of(Scope.READ, Role.ADMIN);

    private InviteTools() {}

    /** The tools of this area. */
    public static List<Tool> all(InviteService invites) {
        Schema byId = Schema.object().requiredId("invite_id", Entity.INVITE, "The invite's id");
        return List.of(
                Tool.read(
                        "list_invites",
                        "List pending invites",
                        "Lists invites that were sent and not yet accepted or revoked, newest first; status expired"
                                + " marks those whose link ran out (resend_invite renews them). 50 per page by"
                                + " default; pass next_cursor as cursor for the next page.",
                        SEE,
                        Schema.object()
                                .optional("cursor", Schema.string("next_cursor of the previous page", 1000))
                                .optional("limit", Schema.integer("Rows per page", 1, 200)),
                        Page.schema("invites", item()),
                        call -> list(call, invites)),
                Tool.create(
                        "create_invite",
                        "Invite someone",
                        "Invites an email address to the workspace with a role (member, manager or admin). The"
                                + " invite email is sent with a link valid for 7 days.",
                        ADMINISTER,
                        Schema.object()
                                .required("email", Schema.string("Email address to invite", 254))
                                .required(
                                        "role", Schema.oneOf("Role on joining", List.of("member", "manager", "admin"))),
                        item(),
                        call -> view(invites.create(
                                call.handle(),
                                call.workspaceId(),
                                call.args().text("email", 254),
                                role(call),
                                call.principal().userId(),
                                call.actor()))),
                Tool.create(
                        "resend_invite",
                        "Resend an invite",
                        "Sends a pending invite again with a fresh link; the old link stops working.",
                        ADMINISTER,
                        byId,
                        item(),
                        call -> view(invites.resend(
                                call.handle(), call.workspaceId(), call.args().id("invite_id"), call.actor()))),
                Tool.consequential(
                        "revoke_invite",
                        "Revoke an invite",
                        "Revokes a pending invite so its link stops working. The first call returns a"
                                + " confirmation_token and the effect.",
                        ADMINISTER,
                        true,
                        byId,
                        item(),
                        call -> "Revoke the invite for "
                                + pending(call, invites).email() + "; its link will stop working.",
                        call -> view(invites.revoke(
                                call.handle(), call.workspaceId(), call.args().id("invite_id"), call.actor()))));
    }

    private static Map<String, Object> list(ToolCall call, InviteService invites) {
        int limit = call.args().limit();
        Optional<After> after =
                Cursor.decode(call.args(), 2).map(k -> new After(Cursor.instant(k.get(0)), Cursor.id(k.get(1))));
        List<Invite> rows = invites.listPending(call.handle(), call.workspaceId(), after, limit + 1);
        return Page.of(
                "invites",
                rows,
                limit,
                InviteTools::view,
                i -> List.of(i.createdAt().toString(), i.id().toString()));
    }

    private static Invite pending(ToolCall call, InviteService invites) {
        UUID id = call.args().id("invite_id");
        return invites.findOpen(call.handle(), call.workspaceId(), id)
                .orElseThrow(() -> DomainException.notFound("No pending invite with id " + id + " in this workspace"));
    }

    private static Role role(ToolCall call) {
        String value = call.args().text("role", 10);
        return StoredName.parse(Role.class, value)
                .orElseThrow(
                        () -> DomainException.invalid("role must be member, manager or admin, got '" + value + "'"));
    }

    private static Map<String, Object> view(Invite invite) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", invite.id().toString());
        view.put("email", invite.email());
        view.put("role", invite.role().value());
        view.put("status", invite.status());
        view.put("expires_at", invite.expiresAt().toString());
        return view;
    }

    private static Map<String, Object> item() {
        return Schema.object()
                .required("id", Schema.string("Invite id", 36))
                .required("email", Schema.string("Invited email", 254))
                .required("role", Schema.string("Role on joining", 10))
                .required("status", Schema.string("pending, expired, accepted or revoked", 10))
                .required("expires_at", Schema.string("When the link expires (ISO 8601)", 40))
                .toMap();
    }
}
