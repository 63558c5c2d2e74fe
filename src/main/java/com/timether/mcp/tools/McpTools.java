package com.timether.mcp.tools;

import com.timether.mcp.tool.Tool;
import com.timether.mcp.tools.client.ClientTools;
import com.timether.mcp.tools.workspace.WorkspaceTools;
import java.util.ArrayList;
import java.util.List;

/** Every tool area of the MCP server. */
public final class McpTools {
    private McpTools() {}

    /** All tools, area by area. */
    public static List<Tool> all() {
        List<Tool> tools = new ArrayList<>();
        tools.addAll(WorkspaceTools.all());
        tools.addAll(ClientTools.all());
        return tools;
    }
}
