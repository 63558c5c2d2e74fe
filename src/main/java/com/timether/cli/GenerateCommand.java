package com.timether.cli;

import com.timether.account.PasswordHasher;
import com.timether.demo.LoadData;
import com.timether.platform.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fills a new workspace with synthetic time data at volume, for benchmarks. */
@Command(
        name = "generate",
        description = "Create a new workspace full of synthetic time entries (for benchmarks; never in production).")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workspace", required = true, description = "Name of the new workspace.")
    String workspace;

    @Option(names = "--owner", required = true, description = "Email of the new owner account.")
    String owner;

    @Option(
            names = "--password",
            required = true,
            arity = "0..1",
            interactive = true,
            description = "Password of the owner (members get the same); give the flag alone to be prompted.")
    String password;

    @Option(
            names = "--entries",
            defaultValue = "1000000",
            description = "Time entries to create (default: ${DEFAULT-VALUE}; at most " + LoadData.MAX_ENTRIES + ").")
    int entries;

    @Option(
            names = "--members",
            defaultValue = "200",
            description =
                    "Members, the owner included (default: ${DEFAULT-VALUE}; at most " + LoadData.MAX_MEMBERS + ").")
    int members;

    @Option(
            names = "--projects",
            defaultValue = "500",
            description = "Projects (default: ${DEFAULT-VALUE}; at most " + LoadData.MAX_PROJECTS + ").")
    int projects;

    @Option(
            names = "--days",
            defaultValue = "730",
            description = "Days back from today the entries cover (default: ${DEFAULT-VALUE}; at most "
                    + LoadData.MAX_DAYS + ").")
    int days;

    @Override
    public Integer call() {
        var volume = new LoadData.Volume(workspace, owner, password, entries, members, projects, days);
        try (Database database = Operator.database(spec)) {
            var err = spec.commandLine().getErr();
            long started = System.nanoTime();
            LoadData.Outcome outcome =
                    new LoadData(database.jdbi(), new PasswordHasher()).generate(volume, err::println);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            spec.commandLine()
                    .getOut()
                    .println("Created workspace " + Operator.describe(outcome.workspace()) + ", owner "
                            + outcome.owner().email() + ": " + outcome.members() + " members, " + outcome.clients()
                            + " clients, " + outcome.projects() + " projects, " + outcome.entries()
                            + " time entries in " + seconds + " s");
            return 0;
        }
    }
}
