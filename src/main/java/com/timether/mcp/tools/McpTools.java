package com.timether.mcp.tools;

import com.timether.invite.InviteService;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tools.client.ClientTools;
import com.timether.mcp.tools.entry.TimeEntryTools;
import com.timether.mcp.tools.member.InviteTools;
import com.timether.mcp.tools.member.MemberTools;
import com.timether.mcp.tools.project.ProjectMemberTools;
import com.timether.mcp.tools.project.ProjectTools;
import com.timether.mcp.tools.report.ReportTools;
import com.timether.mcp.tools.tag.TagTools;
import com.timether.mcp.tools.timer.TimerTools;
import com.timether.mcp.tools.timesheet.TimesheetTools;
import com.timether.mcp.tools.workspace.WorkspaceTools;
import com.timether.member.MemberService;
import java.util.ArrayList;
import java.util.List;

/** Every tool area of the MCP server. */
public final class McpTools {
    private McpTools() {}

    /** All tools, area by area. */
    public static List<Tool> all(MemberService members, InviteService invites) {
        List<Tool> tools = new ArrayList<>();
        tools.addAll(WorkspaceTools.all());
        tools.addAll(MemberTools.all(members));
        tools.addAll(InviteTools.all(invites));
        tools.addAll(ClientTools.all());
        tools.addAll(ProjectTools.all());
        tools.addAll(ProjectMemberTools.all());
        tools.addAll(TagTools.all());
        tools.addAll(TimerTools.all());
        tools.addAll(TimeEntryTools.all());
        tools.addAll(TimesheetTools.all());
        tools.addAll(ReportTools.all());
        return tools;
    }
}
