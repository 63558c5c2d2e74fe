package com.timether.platform.http;

import com.timether.platform.db.Database;
import com.timether.platform.error.DomainException;
import com.timether.platform.web.Browser;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one HTTP server: health, metrics, error pages and the routes each feature registers. */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** The largest request body accepted anywhere; forms and JSON-RPC messages are far smaller. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    static final int MAX_FORM_BYTES = 64 * 1024;

    private final Javalin javalin;

    /**
     * Builds the server; {@code features} register their routes.
     *
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @param servlets servlets to mount at exact paths beside the routes
     */
    public WebServer(
            String host,
            int port,
            Database database,
            PrometheusMeterRegistry metrics,
            Map<String, HttpServlet> servlets,
            List<Consumer<RoutesConfig>> features) {
        this.javalin = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.modifyServletContextHandler(handler -> {
                handler.setMaxFormContentSize(MAX_FORM_BYTES);
                handler.addFilter(new FilterHolder(new RefusedBody()), "/*", EnumSet.of(DispatcherType.REQUEST));
                // An exact mapping wins over Javalin's "/*", so these paths bypass the router entirely.
                servlets.forEach((path, servlet) -> handler.addServlet(new ServletHolder(servlet), path));
            });
            config.jetty.modifyServer(server -> server.setStopTimeout(2000));
            config.requestLogger.http((ctx, millis) -> record(metrics, ctx, millis));
            RoutesConfig routes = config.routes;
            routes.before(WebServer::limitBody);
            routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
            routes.get("/readyz", ctx -> ready(ctx, database));
            routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            features.forEach(feature -> feature.accept(routes));
            routes.exception(NotFoundResponse.class, (e, ctx) -> notFound(ctx));
            routes.exception(DomainException.class, WebServer::domainError);
            routes.exception(Exception.class, WebServer::unexpected);
            routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    notFound(ctx);
                }
            });
        });
    }

    /** Starts serving. */
    public WebServer start() {
        javalin.start();
        return this;
    }

    /** The port actually bound. */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    private static void limitBody(Context ctx) {
        boolean isForm = ctx.isFormUrlencoded() || ctx.isMultipartFormData();
        long limit = isForm ? MAX_FORM_BYTES : MAX_BODY_BYTES;
        long length = ctx.req().getContentLengthLong();
        if (length < 0 && ctx.isMultipartFormData()) {
            // Jetty parses multipart bodies itself, past Javalin's size cap, and browsers always declare the length.
            LOG.debug("request rejected: multipart body without Content-Length path={}", ctx.path());
            throw new HttpResponseException(411, "A multipart form must declare its Content-Length");
        }
        if (length < 0 && ctx.isFormUrlencoded()) {
            // A chunked form declares no length; Javalin keeps what is read here (capped at MAX_BODY_BYTES).
            length = ctx.bodyAsBytes().length;
        }
        if (length > limit) {
            LOG.debug("request rejected: body of {} bytes exceeds {} path={}", length, limit, ctx.path());
            throw new HttpResponseException(413, "Request body too large: at most " + limit + " bytes");
        }
    }

    private static void ready(Context ctx, Database database) {
        boolean isReady = database.isReachable();
        ctx.status(isReady ? 200 : 503).contentType("text/plain").result(isReady ? "ready" : "database unreachable");
    }

    private static void domainError(DomainException e, Context ctx) {
        HttpStatus status = HttpStatus.forStatus(e.kind().httpStatus());
        LOG.debug("request refused path={} kind={}: {}", ctx.path(), e.kind(), e.getMessage());
        page(ctx, status, "Request refused", e.getMessage());
    }

    private static void unexpected(Exception e, Context ctx) {
        if (e instanceof HttpResponseException http) {
            ctx.status(http.getStatus()).contentType("text/plain").result(http.getMessage());
            return;
        }
        Optional<HttpException> clientError = clientError(e);
        if (clientError.isPresent()) {
            LOG.debug("request refused path={}: unreadable request", ctx.path(), e);
            page(
                    ctx,
                    HttpStatus.forStatus(clientError.get().getCode()),
                    "Request refused",
                    "The server could not read this request.");
            return;
        }
        LOG.error("request failed path={} method={}", ctx.path(), ctx.method(), e);
        page(
                ctx,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The server could not complete this request. Please try again.");
    }

    /** The 4xx Jetty raised while reading the request (a malformed multipart body, say), if that is the cause. */
    private static Optional<HttpException> clientError(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return Optional.of(http);
            }
        }
        return Optional.empty();
    }

    private static void notFound(Context ctx) {
        page(ctx, HttpStatus.NOT_FOUND, "Not found", "There is no page at this address.");
    }

    private static void page(Context ctx, HttpStatus status, String title, String message) {
        Browser.render(ctx, status, "error.jte", Map.of("title", title, "message", message));
    }

    private static void record(PrometheusMeterRegistry metrics, Context ctx, float millis) {
        String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }
}
