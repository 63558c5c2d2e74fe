package com.timether.workspace;

import com.timether.platform.text.StoredName;

/** A workspace's lifecycle status; only active workspaces serve MCP. */
public enum WorkspaceStatus implements StoredName {
    ACTIVE,
    SUSPENDED,
    CLOSED
}
