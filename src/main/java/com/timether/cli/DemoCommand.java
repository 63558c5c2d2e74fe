package com.timether.cli;

import com.timether.account.PasswordHasher;
import com.timether.demo.DemoSeed;
import com.timether.platform.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Seeds the demo data into the configured database. */
@Command(name = "demo", description = "Seed the demo workspaces and people (nothing is duplicated on re-runs).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Database database = Operator.database(spec)) {
            DemoSeed.Outcome outcome = new DemoSeed(database.jdbi(), new PasswordHasher()).seed();
            var out = spec.commandLine().getOut();
            if (outcome.isUnchanged()) {
                out.println("Demo data already present; nothing changed.");
            } else {
                out.println("Created users: " + String.join(", ", outcome.createdUsers()));
                out.println("Created workspaces: " + String.join(", ", outcome.createdWorkspaces()));
                out.println("Every demo password is '" + DemoSeed.PASSWORD + "'.");
            }
            return 0;
        }
    }
}
