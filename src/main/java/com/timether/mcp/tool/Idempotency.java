package com.timether.mcp.tool;

import com.timether.oauth.check.Principal;
import com.timether.platform.error.DomainException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency keys of additive tools (PRODUCT section 5). The record is inserted before acting, in the call's
 * transaction: a concurrent repeat blocks on the primary key until the first commits, then finds its result.
 */
final class Idempotency {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Idempotency() {}

    static Map<String, Object> run(
            Handle h,
            Principal principal,
            String tool,
            String key,
            String argsHash,
            Supplier<Map<String, Object>> action) {
        int inserted = h.createUpdate("INSERT INTO idempotency_records (workspace_id, user_id, key, tool, args_hash)"
                        + " VALUES (:ws, :user, :key, :tool, :args) ON CONFLICT DO NOTHING")
                .bind("ws", principal.workspace().id())
                .bind("user", principal.userId())
                .bind("key", key)
                .bind("tool", tool)
                .bind("args", argsHash)
                .execute();
        if (inserted == 1) {
            Map<String, Object> result = action.get();
            h.createUpdate("UPDATE idempotency_records SET result = :result"
                            + " WHERE workspace_id = :ws AND user_id = :user AND key = :key")
                    .bind("result", JSON.writeValueAsString(result))
                    .bind("ws", principal.workspace().id())
                    .bind("user", principal.userId())
                    .bind("key", key)
                    .execute();
            return result;
        }
        return earlier(h, principal, tool, key, argsHash);
    }

    private record Earlier(String tool, String args, String result) {}

    private static Map<String, Object> earlier(Handle h, Principal principal, String tool, String key, String hash) {
        Optional<Earlier> found = h.createQuery("SELECT tool, args_hash, result FROM idempotency_records"
                        + " WHERE workspace_id = :ws AND user_id = :user AND key = :key")
                .bind("ws", principal.workspace().id())
                .bind("user", principal.userId())
                .bind("key", key)
                .map((rs, ctx) -> new Earlier(rs.getString("tool"), rs.getString("args_hash"), rs.getString("result")))
                .findOne();
        if (found.isEmpty() || found.get().result() == null) {
            throw DomainException.conflict("idempotency_key '" + key + "' is in use by a call still running; retry");
        }
        if (!found.get().tool().equals(tool) || !found.get().args().equals(hash)) {
            throw DomainException.conflict("idempotency_key '" + key + "' was already used with other arguments"
                    + (found.get().tool().equals(tool)
                            ? ""
                            : " (tool " + found.get().tool() + ")")
                    + "; use a new key for a new request");
        }
        return JSON.readValue(found.get().result(), new TypeReference<Map<String, Object>>() {});
    }
}
