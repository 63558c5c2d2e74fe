package com.timether.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Walks a paginated MCP list tool page by page, checking the page contract on the way. */
public final class ListPages {
    private static final int MAX_PAGES = 1000;

    private ListPages() {}

    /** One page as answered: the names of its rows, has_more and next_cursor (null on the last page). */
    public record Page(List<String> names, boolean hasMore, String nextCursor) {}

    /**
     * Every page of {@code tool} with {@code limit} rows per page, following next_cursor until has_more is false.
     * Fails when a page holds more than {@code limit} rows or when has_more and next_cursor disagree.
     */
    public static List<Page> walk(McpCall mcp, String tool, String field, int limit, Map<String, Object> filter) {
        List<Page> pages = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> args = new HashMap<>(filter);
            args.put("limit", limit);
            if (cursor != null) {
                args.put("cursor", cursor);
            }
            Page page = page(mcp.ok(tool, args), field);
            if (page.names().size() > limit || page.hasMore() == (page.nextCursor() == null)) {
                throw new IllegalStateException(tool + " broke the page contract: " + page);
            }
            pages.add(page);
            cursor = page.nextCursor();
        } while (cursor != null && pages.size() < MAX_PAGES);
        return pages;
    }

    /** The names of every row of every page, in the order the pages gave them. */
    public static List<String> names(List<Page> pages) {
        return pages.stream().flatMap(p -> p.names().stream()).toList();
    }

    private static Page page(JsonNode result, String field) {
        List<String> names = new ArrayList<>();
        result.get(field).forEach(row -> names.add(row.get("name").asString()));
        JsonNode next = result.get("next_cursor");
        return new Page(names, result.get("has_more").asBoolean(), next.isNull() ? null : next.asString());
    }
}
