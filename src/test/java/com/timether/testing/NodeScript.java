package com.timether.testing;

import com.timether.conformance.ConformanceRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A Node script of {@code src/test/node} run with the pinned Node 22, talking JSON lines: each stdout line is one
 * JSON object, commands go to its stdin one a line, stderr is kept for failure messages. The whole run has one
 * deadline; past it, or on {@link #close()}, the process and its children are destroyed.
 */
public final class NodeScript implements AutoCloseable {
    /** Queued when stdout ends; no JSON line contains a NUL character. */
    private static final String END = "\u0000end of output";

    private final Process process;
    private final Instant deadline;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final Writer stdin;

    private NodeScript(Process process, Duration timeout) {
        this.process = process;
        this.deadline = Instant.now().plus(timeout);
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), stdout, true));
        Thread.ofVirtual().start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr, false));
    }

    /** Starts {@code node <src/test/node>/script args...}; every later wait counts against {@code timeout}. */
    public static NodeScript start(String script, List<String> args, Duration timeout) {
        ConformanceRunner.missingTools().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        Path project = ConformanceRunner.nodeProject();
        List<String> command = new ArrayList<>();
        command.add(ConformanceRunner.node().toString());
        command.add(project.resolve(script).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        builder.environment().put("NO_COLOR", "1");
        try {
            return new NodeScript(builder.start(), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /**
     * The next JSON line, whose {@code field} must be {@code value} (for example {@code step} and {@code connect}).
     * Fails with everything the script printed when another line comes, the output ends or the deadline passes.
     */
    public JsonNode next(String field, String value) {
        String line = nextLine(field + "=" + value);
        JsonNode json;
        try {
            json = ConformanceRunner.json(line);
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON line: " + line + "\n" + describe(), e);
        }
        if (!value.equals(json.path(field).asString(null))) {
            throw new AssertionError(
                    "expected a line with " + field + "=" + value + ", got " + line + "\n" + describe());
        }
        return json;
    }

    /** Writes one command line to the script's stdin. */
    public void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send " + command + " to the script\n" + describe(), e);
        }
    }

    /** Waits, within the deadline, for the script to exit and returns its exit code. */
    public int awaitExit() {
        try {
            if (!process.waitFor(remaining().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the script did not exit before its deadline\n" + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the script\n" + describe(), e);
        }
        return process.exitValue();
    }

    /** Everything the script printed so far, stdout then stderr, for an assertion message. */
    public String describe() {
        synchronized (stdout) {
            synchronized (stderr) {
                return "--- script stdout ---\n" + stdout + "--- script stderr ---\n" + stderr;
            }
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private String nextLine(String expected) {
        String line;
        try {
            line = lines.poll(remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + expected + "\n" + describe(), e);
        }
        if (line == null) {
            close();
            throw new AssertionError("timed out waiting for " + expected + "; the script was destroyed\n" + describe());
        }
        if (line.equals(END)) {
            lines.add(END);
            throw new AssertionError("the script's output ended before " + expected + "\n" + describe());
        }
        return line;
    }

    private Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void pump(BufferedReader reader, StringBuilder copy, boolean isStdout) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (copy) {
                    copy.append(line).append('\n');
                }
                if (isStdout && !line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process was destroyed; what it printed so far is kept
        } finally {
            if (isStdout) {
                lines.add(END);
            }
        }
    }
}
