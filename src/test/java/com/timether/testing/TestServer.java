package com.timether.testing;

import com.timether.Application;
import com.timether.platform.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** The one running Timether every HTTP and browser test in this JVM shares, on a free loopback port. */
public final class TestServer {
    private static Application app;
    private static String baseUrl;

    private TestServer() {}

    /** The shared application, started on first use. */
    public static synchronized Application app() {
        if (app == null) {
            int port = freePort();
            baseUrl = "http://localhost:" + port;
            Settings settings = Settings.from(Map.of(
                    "TIMETHER_PORT", Integer.toString(port),
                    "TIMETHER_MCP_CHECK_OUTPUTS", "true",
                    "TIMETHER_DATA_DIR", TestDatabase.directory().toString()));
            app = new Application(settings, TestDatabase.get());
            app.startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        }
        return app;
    }

    /** The server's origin, such as http://localhost:41234 (no trailing slash). */
    public static synchronized String baseUrl() {
        app();
        return baseUrl;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
