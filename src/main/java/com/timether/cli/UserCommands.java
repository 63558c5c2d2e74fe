package com.timether.cli;

import com.timether.account.User;
import com.timether.account.UserStatus;
import com.timether.platform.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Operator commands for accounts. */
@Command(
        name = "user",
        description = "Manage accounts.",
        subcommands = {UserCommands.Create.class, UserCommands.Disable.class, UserCommands.Enable.class})
final class UserCommands {

    @Command(name = "create", description = "Create an account.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, description = "Email address (unique).")
        String email;

        @Option(names = "--name", required = true, description = "Display name.")
        String name;

        @Option(
                names = "--password",
                required = true,
                arity = "0..1",
                interactive = true,
                description = "Password, 10 to 200 characters; give the flag alone to be prompted.")
        String password;

        @Option(
                names = "--time-zone",
                defaultValue = "UTC",
                description = "IANA time zone (default: ${DEFAULT-VALUE}).")
        String timeZone;

        @Override
        public Integer call() {
            try (Database database = Operator.database(spec)) {
                User user = Operator.application(spec, database).users().create(email, name, password, timeZone);
                spec.commandLine().getOut().println("Created user " + user.email() + " (" + user.id() + ")");
                return 0;
            }
        }
    }

    @Command(name = "disable", description = "Disable an account: it can no longer sign in or use connections.")
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, description = "The account's email.")
        String email;

        @Override
        public Integer call() {
            return setStatus(spec, email, UserStatus.DISABLED);
        }
    }

    @Command(name = "enable", description = "Enable a disabled account again.")
    static final class Enable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--email", required = true, description = "The account's email.")
        String email;

        @Override
        public Integer call() {
            return setStatus(spec, email, UserStatus.ACTIVE);
        }
    }

    private static int setStatus(CommandSpec spec, String email, UserStatus status) {
        try (Database database = Operator.database(spec)) {
            User user = Operator.application(spec, database).users().setStatus(email, status);
            spec.commandLine().getOut().println("User " + user.email() + " is now " + status.value());
            return 0;
        }
    }
}
