package com.timether.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A loopback HTTP/1.1 forwarder that adds {@code Authorization: Bearer <token>} to every request, for MCP clients
 * that cannot send a token: the conformance suite's server mode connects to an MCP URL with no credentials, while
 * our {@code /mcp} requires one.
 *
 * <p>It stands for the client's own address: a request whose {@code Host} (or {@code Origin}) names this proxy is
 * forwarded with the server's own authority instead, exactly what a direct client would send; any other
 * {@code Host} or {@code Origin} (such as the suite's DNS rebinding probe, {@code evil.example.com}) reaches the
 * server unchanged, so the server's own checks decide. Every request is sent with {@code Connection: close}, so
 * each connection carries one request and responses (SSE streams included) are copied through byte for byte.
 */
public final class BearerProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket listener;
    private final String backendHost;
    private final int backendPort;
    private final String backendAuthority;
    private final String token;
    private final String ownAuthority;

    /** Starts forwarding {@code http://127.0.0.1:<free port>} to the origin {@code backend}. */
    public BearerProxy(String backend, String token) throws IOException {
        URI uri = URI.create(backend);
        this.backendHost = uri.getHost();
        this.backendPort = uri.getPort();
        this.backendAuthority = uri.getRawAuthority();
        this.token = token;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.ownAuthority = "127.0.0.1:" + listener.getLocalPort();
        Thread.ofVirtual().start(this::acceptLoop);
    }

    /** This proxy's URL for {@code path}, such as http://127.0.0.1:40123/mcp. */
    public String url(String path) {
        return "http://" + ownAuthority + path;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try (client;
                Socket server = new Socket(backendHost, backendPort)) {
            InputStream fromClient = client.getInputStream();
            byte[] head = readHead(fromClient);
            if (head == null) {
                return;
            }
            OutputStream toServer = server.getOutputStream();
            toServer.write(
                    rewrite(new String(head, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));
            toServer.flush();
            Thread body = Thread.ofVirtual().start(() -> copy(fromClient, toServer, server));
            copy(server.getInputStream(), client.getOutputStream(), client);
            body.interrupt();
        } catch (IOException e) {
            // a closed connection ends the exchange; the client sees the connection end
        }
    }

    /** The request head with this proxy's authority replaced by the server's and the token added. */
    private String rewrite(String head) {
        String[] lines = head.split("\r\n");
        List<String> out = new ArrayList<>();
        out.add(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "authorization", "connection", "keep-alive", "proxy-connection" -> {}
                case "host" -> out.add("Host: " + (value.equalsIgnoreCase(ownAuthority) ? backendAuthority : value));
                case "origin" ->
                    out.add("Origin: "
                            + (value.equalsIgnoreCase("http://" + ownAuthority)
                                    ? "http://" + backendAuthority
                                    : value));
                default -> out.add(line);
            }
        }
        out.add("Authorization: Bearer " + token);
        out.add("Connection: close");
        return String.join("\r\n", out) + "\r\n\r\n";
    }

    /** The bytes up to and including the blank line that ends the head, or null when the client sent none. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too large");
            }
        }
        byte[] bytes = head.toByteArray();
        byte[] withoutEnd = new byte[bytes.length - 4];
        System.arraycopy(bytes, 0, withoutEnd, 0, withoutEnd.length);
        return withoutEnd;
    }

    private static void copy(InputStream in, OutputStream out, Socket target) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            target.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
    }
}
