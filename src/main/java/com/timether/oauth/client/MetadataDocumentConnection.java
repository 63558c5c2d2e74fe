package com.timether.oauth.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTPS GET of a client ID metadata document, sent to an address that was already checked, so no second DNS
 * lookup can swap in another (DNS rebinding), while TLS still checks the certificate against the URL's host.
 *
 * <p>All of it, connect, handshake and every read, ends at one deadline: a watchdog closes the socket then, so a
 * server that trickles bytes cannot hold the fetch longer than the timeout.
 */
final class MetadataDocumentConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDocumentConnection.class);
    private final long deadlineNanos;
    private final AtomicReference<Socket> socket = new AtomicReference<>();
    private final Thread watchdog;
    private volatile boolean expired;
    private SSLSocket tls;
    private InputStream in;

    private MetadataDocumentConnection(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.watchdog = Thread.ofVirtual().name("client-id-document-deadline").start(this::closeAtDeadline);
    }

    /** Connects to the first of {@code addresses} that answers and completes the TLS handshake for the URL's host. */
    static MetadataDocumentConnection open(
            MetadataDocumentUrl url, List<InetAddress> addresses, SSLContext context, long deadlineNanos)
            throws IOException {
        MetadataDocumentConnection connection = new MetadataDocumentConnection(deadlineNanos);
        try {
            Socket raw = connection.connect(url, addresses);
            connection.handshake(url, raw, context);
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Sends the GET and reads the response's status line and headers. */
    MetadataDocumentResponse get(MetadataDocumentUrl url) throws IOException {
        // Path and authority are safe to splice in: MetadataDocumentUrl admits printable ASCII only, so no CR or LF.
        // Accept-Encoding: identity, because without the header any content coding would be acceptable
        // (RFC 9110 section 12.5.3) and the size limit applies to the bytes as sent.
        String request = "GET " + url.path() + " HTTP/1.1\r\n"
                + "Host: " + url.authority() + "\r\n"
                + "Accept: application/json\r\n"
                + "Accept-Encoding: identity\r\n"
                + "User-Agent: Timether (OAuth client ID metadata document fetch)\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = tls.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new BufferedInputStream(tls.getInputStream(), 2048);
        return MetadataDocumentResponse.readHead(in);
    }

    /** Reads the body of {@code head}, at most {@code limit} bytes. */
    byte[] readBody(MetadataDocumentResponse head, int limit) throws IOException {
        return head.readBody(in, limit);
    }

    /** Whether the deadline has passed, so a failure is a timeout rather than the server's doing. */
    boolean isExpired() {
        return expired || System.nanoTime() - deadlineNanos >= 0;
    }

    @Override
    public void close() {
        watchdog.interrupt();
        closeQuietly(socket.get());
    }

    private Socket connect(MetadataDocumentUrl url, List<InetAddress> addresses) throws IOException {
        IOException last = new SocketTimeoutException("no address to connect to");
        for (InetAddress address : addresses) {
            Socket raw = new Socket();
            socket.set(raw);
            if (isExpired()) {
                throw new SocketTimeoutException("deadline passed before connecting");
            }
            try {
                raw.connect(new InetSocketAddress(address, url.port()), remainingMillis());
                return raw;
            } catch (IOException e) {
                // Another checked address of the same host may answer; the deadline still bounds the whole loop.
                last = e;
                closeQuietly(raw);
            }
        }
        throw last;
    }

    private void handshake(MetadataDocumentUrl url, Socket raw, SSLContext context) throws IOException {
        tls = (SSLSocket) context.getSocketFactory().createSocket(raw, url.host(), url.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        // Without this the JDK checks the chain but not that the certificate names this host.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!url.isIpLiteral()) {
            parameters.setServerNames(List.of(new SNIHostName(url.host())));
        }
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(remainingMillis());
        tls.startHandshake();
    }

    private void closeAtDeadline() {
        try {
            Thread.sleep(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
            expired = true;
            // Closing the plain socket, not the TLS one: a TLS close would try to send close_notify to a peer
            // that may not be reading, while this unblocks every pending read at once.
            closeQuietly(socket.get());
        } catch (InterruptedException e) {
            // close() interrupts once the fetch is over: nothing is left to cut; keep the flag for the record.
            Thread.currentThread().interrupt();
        }
    }

    private int remainingMillis() throws SocketTimeoutException {
        long remaining = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(remaining, Integer.MAX_VALUE);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Only the descriptor is at stake; the fetch has already succeeded or failed on its own terms.
            LOG.debug("closing the client_id document socket failed", e);
        }
    }
}
