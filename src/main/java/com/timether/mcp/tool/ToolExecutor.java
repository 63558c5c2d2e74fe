package com.timether.mcp.tool;

import com.timether.access.AccessDecision;
import com.timether.access.AccessPolicy;
import com.timether.oauth.check.Principal;
import com.timether.platform.crypto.Secrets;
import com.timether.platform.error.DomainException;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a tool call: the call-time access check, argument checks, the transaction, confirmation or idempotency,
 * and the mapping of refusals to {@code isError} results that say what to change (PRODUCT section 5).
 */
public final class ToolExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ToolExecutor.class);
    private static final Set<String> RACE_STATES = Set.of("23505", "40P01");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String IDEMPOTENCY_KEY = "idempotency_key";
    static final String CONFIRMATION_TOKEN = "confirmation_token";

    private final Jdbi jdbi;

    public ToolExecutor(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Calls {@code tool} for {@code principal}. */
    public CallToolResult execute(Tool tool, Principal principal, Map<String, Object> rawArgs) {
        if (AccessPolicy.decide(tool.requirement(), principal.accessContext()) instanceof AccessDecision.Denied no) {
            LOG.debug("tool refused tool={} client_id={} reason={}", tool.name(), principal.clientId(), no.reason());
            return error(tool.name() + " is not available to this connection: " + no.message());
        }
        try {
            Args args = new Args(rawArgs);
            checkKnown(tool, args);
            Map<String, Object> result = switch (tool.kind()) {
                case READ -> jdbi.withHandle(h -> tool.handler().call(new ToolCall(tool.name(), principal, args, h)));
                case UPDATE ->
                    jdbi.inTransaction(h -> tool.handler().call(new ToolCall(tool.name(), principal, args, h)));
                case CREATE -> create(tool, principal, args);
                case CONSEQUENTIAL -> consequential(tool, principal, args);
            };
            return ok(result);
        } catch (DomainException e) {
            LOG.debug("tool call refused tool={} client_id={}: {}", tool.name(), principal.clientId(), e.getMessage());
            return error(e.getMessage());
        } catch (RuntimeException e) {
            if (isRaceLost(e)) {
                LOG.debug("tool call lost a race tool={} client_id={}", tool.name(), principal.clientId(), e);
                return error(tool.name() + " clashed with a change made at the same moment (such as a record of the"
                        + " same name created by another request); nothing was changed. Read the current state and"
                        + " try again.");
            }
            LOG.error(
                    "tool call failed tool={} client_id={} workspace={}",
                    tool.name(),
                    principal.clientId(),
                    principal.workspace().id(),
                    e);
            return error("The server could not complete " + tool.name() + "; nothing was changed. Try again later.");
        }
    }

    /**
     * Whether PostgreSQL refused the write for a concurrent one: a unique key taken between our check and our insert
     * (23505), or a deadlock (40P01). The transaction was rolled back, so the caller may simply try again.
     */
    private static boolean isRaceLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && RACE_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> create(Tool tool, Principal principal, Args args) {
        Optional<String> key = args.optionalText(IDEMPOTENCY_KEY, 200);
        return jdbi.inTransaction(h -> {
            ToolCall call = new ToolCall(tool.name(), principal, args, h);
            if (key.isEmpty()) {
                return tool.handler().call(call);
            }
            return Idempotency.run(
                    h,
                    principal,
                    tool.name(),
                    key.get(),
                    hash(args),
                    () -> tool.handler().call(call));
        });
    }

    private Map<String, Object> consequential(Tool tool, Principal principal, Args args) {
        Optional<String> token = args.optionalText(CONFIRMATION_TOKEN, 200);
        return jdbi.inTransaction(h -> {
            ToolCall call = new ToolCall(tool.name(), principal, args, h);
            if (token.isPresent()) {
                Confirmations.consume(h, principal, tool.name(), hash(args), token.get());
                return tool.handler().call(call);
            }
            String effect = tool.effect().orElseThrow().describe(call);
            Confirmations.Issued issued = Confirmations.issue(h, principal, tool.name(), hash(args));
            Map<String, Object> pending = new LinkedHashMap<>();
            pending.put("confirmation_required", true);
            pending.put("confirmation_token", issued.token());
            pending.put("expires_at", issued.expiresAt().toString());
            pending.put("effect", effect);
            pending.put(
                    "next_step",
                    "Nothing has changed yet. Show the effect to the person; if they agree, call " + tool.name()
                            + " again with the same arguments plus confirmation_token.");
            return pending;
        });
    }

    private static void checkKnown(Tool tool, Args args) {
        @SuppressWarnings("unchecked")
        Set<String> allowed = ((Map<String, Object>) ToolSchemas.input(tool).get("properties")).keySet();
        for (String name : args.values().keySet()) {
            if (!allowed.contains(name)) {
                throw DomainException.invalid("unknown argument '" + name + "'; " + tool.name() + " takes: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** SHA-256 of the arguments in canonical order, without the confirmation token and idempotency key. */
    static String hash(Args args) {
        Map<String, Object> canonical = new TreeMap<>(args.values());
        canonical.remove(IDEMPOTENCY_KEY);
        canonical.remove(CONFIRMATION_TOKEN);
        return Secrets.hash(JSON.writeValueAsString(canonical));
    }

    /** A result as structured content and, as the spec asks, the same JSON as text, written once (ResultJson). */
    private static CallToolResult ok(Map<String, Object> result) {
        return ResultJson.of(result).toResult();
    }

    /** A business refusal: the model reads the message and changes its call. */
    static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
