package com.timether.testing;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.account.User;
import com.timether.audit.AuditLog.Actor;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import java.util.UUID;

/** Fresh, uniquely named users and workspaces, so tests sharing one database never see each other's rows. */
public final class TestData {
    /** SQL meta-characters that text fields must store and return verbatim. */
    public static final String SQL_TEXT = "'; DROP TABLE clients; --";

    /** HTML meta-characters that text fields must store and return verbatim. */
    public static final String HTML_TEXT = "<script>alert(1)</script>";

    /** The password of every user this class creates. */
    public static final String PASSWORD = "correct-horse-battery";

    private TestData() {}

    /** A unique suffix. */
    public static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new active user with {@link #PASSWORD}. */
    public static User user(Application app) {
        String tag = unique();
        return app.users().create("user-" + tag + "@test.example", "Test User " + tag, PASSWORD, "UTC");
    }

    /** A new workspace on {@code plan}, active billing, owned by {@code owner}. */
    public static Workspace workspace(Application app, User owner, Plan plan) {
        return app.workspaces()
                .create(
                        new NewWorkspace("WS " + unique(), plan, BillingState.ACTIVE, "EUR", "Europe/Berlin"),
                        owner.id(),
                        Actor.operator());
    }

    /** Adds a new user with {@code role} to the workspace and returns the user. */
    public static User member(Application app, Workspace workspace, Role role) {
        User user = user(app);
        app.members().add(workspace.id(), user.email(), role, Actor.operator());
        return user;
    }
}
