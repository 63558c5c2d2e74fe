package com.timether.mcp;

import com.timether.platform.text.InputRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds to the schema validator's refusal of a tool's arguments the value sent at each path it names, which its
 * messages leave out ("/limit: must have a minimum value of 1"): a model corrects a call faster when it sees what it
 * sent. Secrets are never echoed.
 */
final class SentValues {
    /** A JSON pointer at the start of one error of the validator's list: "[/limit: ..." or ", /role: ...". */
    private static final Pattern POINTER = Pattern.compile("(?:\\[|, )(/[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)*):");

    private SentValues() {}

    /** {@code message} followed by "; sent /path = value, ..." for each path it names that {@code content} has. */
    static String describe(String message, Object content) {
        List<String> sent = new ArrayList<>();
        Matcher pointer = POINTER.matcher(message == null ? "" : message);
        while (pointer.find()) {
            String path = pointer.group(1);
            Object value = at(content, path);
            if (value != null && !isSecret(path)) {
                String shown = path + " = " + render(value);
                if (!sent.contains(shown)) {
                    sent.add(shown);
                }
            }
        }
        return sent.isEmpty() ? message : message + "; sent " + String.join(", ", sent);
    }

    private static Object at(Object content, String path) {
        Object node = content;
        for (String step : path.substring(1).split("/")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(step);
        }
        return node;
    }

    private static boolean isSecret(String path) {
        return path.contains("token") || path.contains("password") || path.contains("secret");
    }

    private static String render(Object value) {
        if (value instanceof String text) {
            return "'" + InputRules.shorten(text) + "'";
        }
        return InputRules.shorten(String.valueOf(value));
    }
}
