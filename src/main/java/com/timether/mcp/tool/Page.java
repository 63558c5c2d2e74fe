package com.timether.mcp.tool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A page of a list result: the rows, whether more exist, and the cursor of the next page. */
public final class Page {
    private Page() {}

    /**
     * Builds the structured result from rows fetched with {@code limit + 1}: the extra row only proves that more
     * exist and is not returned, so no list silently truncates.
     */
    public static <T> Map<String, Object> of(
            String field,
            List<T> fetched,
            int limit,
            Function<T, Map<String, Object>> view,
            Function<T, List<String>> sortKey) {
        boolean hasMore = fetched.size() > limit;
        List<T> rows = hasMore ? fetched.subList(0, limit) : fetched;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(field, rows.stream().map(view).toList());
        result.put("has_more", hasMore);
        result.put("next_cursor", hasMore ? Cursor.encode(sortKey.apply(rows.getLast())) : null);
        return result;
    }

    /** The output schema of a page of {@code field} items. */
    public static Map<String, Object> schema(String field, Map<String, Object> item) {
        return Schema.object()
                .required(field, Schema.arrayOf(item, "The rows of this page"))
                .required("has_more", Schema.bool("Whether more rows exist after this page"))
                .required(
                        "next_cursor",
                        Map.of(
                                "type",
                                List.of("string", "null"),
                                "description",
                                "Pass as cursor to get the next page; null on the last page"))
                .toMap();
    }
}
