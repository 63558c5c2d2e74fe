package com.timether.cli;

import com.timether.Application;
import com.timether.access.Role;
import com.timether.audit.AuditLog.Actor;
import com.timether.member.Member;
import com.timether.platform.db.Database;
import com.timether.platform.error.DomainException;
import com.timether.workspace.BillingState;
import com.timether.workspace.Plan;
import com.timether.workspace.Workspace;
import com.timether.workspace.WorkspaceService.NewWorkspace;
import com.timether.workspace.WorkspaceStatus;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Operator commands for workspaces and their members, while no billing system exists. */
@Command(
        name = "workspace",
        description = "Manage workspaces.",
        subcommands = {
            WorkspaceCommands.Create.class,
            WorkspaceCommands.SetPlan.class,
            WorkspaceCommands.SetBilling.class,
            WorkspaceCommands.SetStatus.class,
            WorkspaceCommands.AddMember.class
        })
final class WorkspaceCommands {

    /** Options every command on one existing workspace takes. */
    abstract static class OnWorkspace implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--workspace", required = true, description = "Workspace id or exact name.")
        String workspace;

        /** Applies a change to the workspace and prints the result. */
        int change(BiFunction<Application, Workspace, String> action) {
            try (Database database = Operator.database(spec)) {
                Application app = Operator.application(spec, database);
                spec.commandLine().getOut().println(action.apply(app, Operator.workspace(app, workspace)));
                return 0;
            }
        }
    }

    @Command(name = "create", description = "Create a workspace with an existing account as owner.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "Workspace name.")
        String name;

        @Option(names = "--owner", required = true, description = "Email of the owner's account.")
        String owner;

        @Option(names = "--plan", defaultValue = "free", description = "Plan: ${COMPLETION-CANDIDATES}.")
        Plan plan;

        @Option(
                names = "--billing",
                defaultValue = "trialing",
                description = "Billing state: ${COMPLETION-CANDIDATES}.")
        BillingState billing;

        @Option(
                names = "--currency",
                defaultValue = "USD",
                description = "ISO 4217 currency (default: ${DEFAULT-VALUE}).")
        String currency;

        @Option(
                names = "--time-zone",
                defaultValue = "UTC",
                description = "IANA time zone (default: ${DEFAULT-VALUE}).")
        String timeZone;

        @Override
        public Integer call() {
            try (Database database = Operator.database(spec)) {
                Application app = Operator.application(spec, database);
                var user = app.users()
                        .findByEmail(owner)
                        .orElseThrow(() -> DomainException.notFound("No user with email '" + owner + "'"));
                Workspace created = app.workspaces()
                        .create(new NewWorkspace(name, plan, billing, currency, timeZone), user.id(), Actor.operator());
                spec.commandLine()
                        .getOut()
                        .println("Created workspace " + Operator.describe(created) + ", owner " + user.email());
                return 0;
            }
        }
    }

    @Command(name = "set-plan", description = "Change a workspace's plan.")
    static final class SetPlan extends OnWorkspace {
        @Option(names = "--plan", required = true, description = "Plan: ${COMPLETION-CANDIDATES}.")
        Plan plan;

        @Override
        public Integer call() {
            return change((app, w) ->
                    "Updated " + Operator.describe(app.workspaces().setPlan(w.id(), plan, Actor.operator())));
        }
    }

    @Command(name = "set-billing", description = "Change a workspace's billing state.")
    static final class SetBilling extends OnWorkspace {
        @Option(names = "--state", required = true, description = "Billing state: ${COMPLETION-CANDIDATES}.")
        BillingState state;

        @Override
        public Integer call() {
            return change((app, w) ->
                    "Updated " + Operator.describe(app.workspaces().setBillingState(w.id(), state, Actor.operator())));
        }
    }

    @Command(name = "set-status", description = "Change a workspace's status.")
    static final class SetStatus extends OnWorkspace {
        @Option(names = "--status", required = true, description = "Status: ${COMPLETION-CANDIDATES}.")
        WorkspaceStatus status;

        @Override
        public Integer call() {
            return change((app, w) ->
                    "Updated " + Operator.describe(app.workspaces().setStatus(w.id(), status, Actor.operator())));
        }
    }

    @Command(name = "add-member", description = "Add an existing account to a workspace.")
    static final class AddMember extends OnWorkspace {
        @Option(names = "--email", required = true, description = "The account's email.")
        String email;

        @Option(names = "--role", defaultValue = "member", description = "Role: ${COMPLETION-CANDIDATES}.")
        Role role;

        @Override
        public Integer call() {
            return change((app, w) -> {
                Member member = app.members().add(w.id(), email, role, Actor.operator());
                return "Added " + member.email() + " to " + w.name() + " as "
                        + member.role().value() + " (membership " + member.id() + ")";
            });
        }
    }
}
