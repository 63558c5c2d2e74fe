package com.timether;

import com.timether.account.AccountRoutes;
import com.timether.account.PasswordHasher;
import com.timether.account.UserService;
import com.timether.invite.InviteAcceptance;
import com.timether.invite.InviteRoutes;
import com.timether.invite.InviteService;
import com.timether.mcp.McpEndpoint;
import com.timether.mcp.tool.Tool;
import com.timether.mcp.tools.McpTools;
import com.timether.member.MemberService;
import com.timether.oauth.ApiCors;
import com.timether.oauth.authorize.AuthorizationEndpoint;
import com.timether.oauth.check.TokenCheck;
import com.timether.oauth.client.ClientResolver;
import com.timether.oauth.client.MetadataDocumentFetcher;
import com.timether.oauth.client.RegistrationEndpoint;
import com.timether.oauth.connection.ConnectionStore;
import com.timether.oauth.connection.IntegrationsRoutes;
import com.timether.oauth.metadata.MetadataEndpoint;
import com.timether.oauth.revoke.RevocationEndpoint;
import com.timether.oauth.token.TokenEndpoint;
import com.timether.platform.config.Settings;
import com.timether.platform.db.Database;
import com.timether.platform.db.Housekeeping;
import com.timether.platform.http.WebServer;
import com.timether.platform.ratelimit.RateLimiter;
import com.timether.platform.web.Browser;
import com.timether.platform.web.SessionStore;
import com.timether.signin.SignInRoutes;
import com.timether.signin.SignInThrottle;
import com.timether.workspace.WorkspaceService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;

/** The wired services of one process, over one database. */
public final class Application implements AutoCloseable {
    private final Settings settings;
    private final Database database;
    private final UserService users;
    private final WorkspaceService workspaces;
    private final MemberService members;
    private final InviteService invites;
    private final SessionStore sessions;
    private final PrometheusMeterRegistry metrics;
    private final TokenCheck tokenCheck;
    private ClientResolver.DocumentSource documents;
    private WebServer server;
    private Housekeeping housekeeping;
    private McpEndpoint mcp;

    public Application(Settings settings, Database database) {
        this(settings, database, new PasswordHasher());
    }

    /** Wires the services around {@code hasher}, whose slots bound the password hashing of the whole process. */
    public Application(Settings settings, Database database, PasswordHasher hasher) {
        this.settings = settings;
        this.database = database;
        this.users = new UserService(database.jdbi(), hasher);
        this.workspaces = new WorkspaceService(database.jdbi());
        this.members = new MemberService(database.jdbi(), users);
        this.invites = new InviteService(database.jdbi(), settings.appUrl());
        this.sessions = new SessionStore(database.jdbi());
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        FunctionCounter.builder("timether.db.statements", database, Database::statementsExecuted)
                .description("SQL statements sent to PostgreSQL")
                .register(metrics);
        this.tokenCheck = new TokenCheck(database.jdbi(), settings.mcpResource(), settings.mcpEnabled());
        this.documents = new MetadataDocumentFetcher()::fetch;
    }

    /** Starts the HTTP server; returns the bound port. */
    public int startServer() {
        Browser browser = new Browser(sessions, settings.isAppSecure());
        var signIn = new SignInRoutes(browser, users, new SignInThrottle(database.jdbi()));
        var account = new AccountRoutes(browser, workspaces);
        var invitePages = new InviteRoutes(browser, new InviteAcceptance(database.jdbi(), users));
        var jdbi = database.jdbi();
        var clients = new ClientResolver(jdbi, documents);
        var authorize = new AuthorizationEndpoint(
                browser, workspaces, clients, jdbi, settings.apiUrl(), settings.mcpResource(), settings.mcpEnabled());
        var integrations = new IntegrationsRoutes(browser, new ConnectionStore(jdbi));
        mcp = new McpEndpoint(settings, jdbi, tokenCheck, McpTools.all(members, invites));
        server = new WebServer(
                        settings.host(),
                        settings.port(),
                        database,
                        metrics,
                        Map.of("/mcp", mcp.servlet()),
                        List.of(
                                mcp::register,
                                ApiCors::register,
                                signIn::register,
                                account::register,
                                invitePages::register,
                                new MetadataEndpoint(settings)::register,
                                new RegistrationEndpoint(jdbi, new RateLimiter(jdbi))::register,
                                authorize::register,
                                new TokenEndpoint(jdbi, settings.mcpEnabled())::register,
                                new RevocationEndpoint(jdbi)::register,
                                integrations::register))
                .start();
        housekeeping = new Housekeeping(jdbi).start();
        return server.port();
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public UserService users() {
        return users;
    }

    public WorkspaceService workspaces() {
        return workspaces;
    }

    public MemberService members() {
        return members;
    }

    public InviteService invites() {
        return invites;
    }

    /**
     * Replaces how client metadata documents are fetched, before {@link #startServer()}. Only tests use this, to
     * trust their own HTTPS server on loopback; the fetcher logs a warning whenever loopback is allowed.
     */
    public void useDocumentSource(ClientResolver.DocumentSource source) {
        this.documents = source;
    }

    /** Every MCP tool, as declared; available once the server started. */
    public List<Tool> tools() {
        return mcp.tools();
    }

    /** The bearer token check the MCP endpoint calls. */
    public TokenCheck tokenCheck() {
        return tokenCheck;
    }

    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            mcp.close();
            housekeeping.close();
        }
    }
}
