package com.timether.cli;

import com.timether.platform.config.ConfigurationException;
import com.timether.platform.config.Settings;
import com.timether.platform.error.DomainException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: each command answers with what changed, or refuses with a message and a non-zero code. */
@Command(
        name = "timether",
        mixinStandardHelpOptions = true,
        description = "Timether: time tracking for people and their AI assistants.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            UserCommands.class,
            WorkspaceCommands.class,
            GenerateCommand.class
        })
public final class Commands {
    /** Exit code of a refusal by the domain (not found, conflict, invalid value). */
    public static final int REFUSED = 1;
    /** Exit code of a command line that does not parse, and of bad configuration. */
    public static final int USAGE = 2;

    private final Map<String, String> environment;

    private Commands(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Runs one command line with the configuration in {@code environment} (the process environment, or
     * a test's own map); returns the exit code.
     */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new Commands(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setExecutionExceptionHandler((e, cmd, parsed) -> refuse(e, cmd));
        return line.execute(args);
    }

    /** The configuration this command line runs with; a bad value throws naming the variable. */
    Settings settings() {
        return Settings.from(environment);
    }

    private static int refuse(Exception e, CommandLine cmd) throws Exception {
        Throwable cause = e;
        while (cause.getCause() != null
                && !(cause instanceof DomainException)
                && !(cause instanceof ConfigurationException)) {
            cause = cause.getCause();
        }
        if (cause instanceof DomainException refusal) {
            cmd.getErr().println("Refused: " + refusal.getMessage());
            return REFUSED;
        }
        if (cause instanceof ConfigurationException bad) {
            cmd.getErr().println("Invalid configuration: " + bad.getMessage());
            return USAGE;
        }
        throw e;
    }
}
