package com.timether.oauth.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A real HTTPS server (Jetty) on one loopback address, with a certificate for localhost, 127.0.0.1 and 127.0.0.2
 * made by keytool for this test run; it counts the requests each path receives.
 */
final class TestHttpsServer implements AutoCloseable {
    private static final String PASSWORD = "test-only";
    private static Path keyStore;

    /** Writes one response, blocking; may write the body in several parts. */
    @FunctionalInterface
    interface Responder {
        void respond(Response response) throws Exception;
    }

    private final Server server = new Server();
    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final ServerConnector connector;

    private TestHttpsServer(String bindAddress) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keyStore().toString());
        tls.setKeyStorePassword(PASSWORD);
        tls.setKeyStoreType("PKCS12");
        connector = new ServerConnector(server, tls);
        connector.setHost(bindAddress);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setStopTimeout(1000);
        server.start();
    }

    /** Starts a server listening only on {@code bindAddress}, such as 127.0.0.1. */
    static TestHttpsServer start(String bindAddress) throws Exception {
        return new TestHttpsServer(bindAddress);
    }

    int port() {
        return connector.getLocalPort();
    }

    /** https://127.0.0.1:PORT + path. */
    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    void route(String path, Responder responder) {
        routes.put(path, responder);
    }

    int hits(String path) {
        return hits.getOrDefault(path, new AtomicInteger()).get();
    }

    int totalHits() {
        return total.get();
    }

    /** A client TLS context that trusts only this run's test certificate. */
    static SSLContext clientContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", keys.getCertificate("test"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Writes {@code bytes} and waits until they are sent. */
    static void write(Response response, boolean last, byte[] bytes) throws IOException {
        try (Blocker.Callback sent = Blocker.callback()) {
            response.write(last, ByteBuffer.wrap(bytes), sent);
            sent.block();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private void serve(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        total.incrementAndGet();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Responder responder = routes.get(path);
        try {
            if (responder == null) {
                response.setStatus(404);
                write(response, true, new byte[0]);
            } else {
                responder.respond(response);
            }
            callback.succeeded();
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    private static synchronized Path keyStore() throws Exception {
        if (keyStore != null) {
            return keyStore;
        }
        Path directory = Files.createTempDirectory("timether-tls");
        Path file = directory.resolve("test.p12");
        // Deletion on exit runs in reverse order of registration: the file first, then its directory.
        directory.toFile().deleteOnExit();
        file.toFile().deleteOnExit();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-keyalg",
                        "EC",
                        "-alias",
                        "test",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1,ip:127.0.0.2",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        keyStore = file;
        return keyStore;
    }
}
