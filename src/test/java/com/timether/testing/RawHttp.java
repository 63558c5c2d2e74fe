package com.timether.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Bytes sent to the test server over a plain socket, for requests {@link java.net.http.HttpClient} will not make. */
public final class RawHttp {
    private RawHttp() {}

    /**
     * Writes {@code request} (which may hold several pipelined requests) and reads until the server closes.
     *
     * <p>The writing runs beside the reading, so a server that answers before it has read everything cannot
     * stall the test; an error while writing is left to show in what was read.
     */
    public static String exchange(String request) {
        URI base = URI.create(TestServer.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            Thread writer = Thread.ofVirtual().start(() -> write(socket, request));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            writer.join();
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Socket socket, String request) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The server closed first; the reader sees what it answered, or nothing.
        }
    }
}
