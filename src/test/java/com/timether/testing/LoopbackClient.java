package com.timether.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The redirect listener of a native OAuth client (RFC 8252 section 7.3): a real HTTP server on 127.0.0.1. */
public final class LoopbackClient implements AutoCloseable {
    private final BlockingQueue<Map<String, String>> callbacks = new LinkedBlockingQueue<>();
    private final HttpServer server;

    private LoopbackClient(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1 for {@code /callback}. */
    public static LoopbackClient start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            LoopbackClient client = new LoopbackClient(server);
            server.createContext("/callback", client::receive);
            server.start();
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 127.0.0.1:PORT, as the consent page names the redirect host. */
    public String hostAndPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** http://127.0.0.1:PORT/callback. */
    public String redirectUri() {
        return "http://" + hostAndPort() + "/callback";
    }

    /** The query of the next callback, waiting up to {@code seconds}; null if none came. */
    public Map<String, String> nextCallback(int seconds) throws InterruptedException {
        return callbacks.poll(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        callbacks.add(OAuthFlow.query(exchange.getRequestURI().toString()));
        byte[] page = "<!doctype html><title>Connected</title><p>You can close this window.</p>"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(page);
        }
    }
}
