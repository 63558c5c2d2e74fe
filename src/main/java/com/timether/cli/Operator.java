package com.timether.cli;

import com.timether.Application;
import com.timether.platform.config.Settings;
import com.timether.platform.db.Database;
import com.timether.platform.error.DomainException;
import com.timether.workspace.Workspace;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;

/** What operator commands share: the configured database and finding a workspace by id or name. */
final class Operator {
    private Operator() {}

    /** The configuration of the command line that {@code spec} belongs to, read from its environment. */
    static Settings settings(CommandSpec spec) {
        return ((Commands) spec.root().userObject()).settings();
    }

    /** Opens the configured database (joining a running embedded one if a server holds it). */
    static Database database(CommandSpec spec) {
        return Database.open(settings(spec));
    }

    /** Services over an open database, without an HTTP server. */
    static Application application(CommandSpec spec, Database database) {
        return new Application(settings(spec), database);
    }

    /** The workspace named by a UUID or by its exact name; an ambiguous name lists the candidates. */
    static Workspace workspace(Application app, String idOrName) {
        try {
            UUID id = UUID.fromString(idOrName);
            return app.workspaces().find(id).orElseThrow(() -> DomainException.notFound("No workspace with id " + id));
        } catch (IllegalArgumentException notAnId) {
            List<Workspace> matches = app.workspaces().findByName(idOrName);
            if (matches.isEmpty()) {
                throw DomainException.notFound("No workspace named '" + idOrName + "'");
            }
            if (matches.size() > 1) {
                throw DomainException.conflict("Several workspaces are named '" + idOrName + "'; give the id: "
                        + String.join(
                                ", ",
                                matches.stream().map(w -> w.id().toString()).toList()));
            }
            return matches.getFirst();
        }
    }

    /** One line describing a workspace's state. */
    static String describe(Workspace w) {
        return w.name() + " (" + w.id() + "): plan " + w.plan().value() + ", billing "
                + w.billingState().value() + ", status " + w.status().value();
    }
}
