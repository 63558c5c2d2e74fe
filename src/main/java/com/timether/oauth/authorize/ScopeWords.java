package com.timether.oauth.authorize;

import com.timether.access.Scope;
import java.util.ArrayList;
import java.util.List;

/** Scopes in the plain words the consent page uses. */
public final class ScopeWords {
    private ScopeWords() {}

    /** What holding {@code scope} lets the application do. */
    public static List<String> lines(Scope scope) {
        List<String> lines = new ArrayList<>();
        lines.add("See your projects, clients, time entries, timesheets, expenses, invoices and reports");
        if (scope.includes(Scope.WRITE)) {
            lines.add("Track time, and create and change entries, timers, timesheets and expenses for you");
        }
        if (scope.includes(Scope.ADMIN)) {
            lines.add("Administer the workspace: members, invites, settings, invoices, audit logs and exports");
        }
        return lines;
    }

    /** A short summary such as "read and write". */
    public static String describe(Scope scope) {
        return switch (scope) {
            case READ -> "read only";
            case WRITE -> "read and write";
            case ADMIN -> "read, write and admin";
        };
    }
}
