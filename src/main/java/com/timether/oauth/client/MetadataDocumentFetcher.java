package com.timether.oauth.client;

import com.timether.oauth.client.MetadataDocumentResponse.BadResponseException;
import com.timether.oauth.client.SpecialUseAddresses.SpecialUse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and validates the Client ID Metadata Document of a {@code client_id} that is an HTTPS URL
 * (draft-ietf-oauth-client-id-metadata-document-02), refusing anything that could turn the fetch against our own
 * network, and caches valid documents as their HTTP headers allow.
 */
public final class MetadataDocumentFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDocumentFetcher.class);

    /** Section 8.7 recommends reading at most 5 kilobytes. */
    public static final int MAX_DOCUMENT_BYTES = 5 * 1024;

    /**
     * How the fetcher connects.
     *
     * @param sslContext trusts the servers' certificates; the JDK default in production
     * @param timeout the whole fetch, from DNS lookup to the last body byte
     * @param loopbackAllowed lets documents come from loopback addresses, for tests only: section 8.6 forbids it
     *     in production, and the server never sets it
     */
    public record Options(SSLContext sslContext, Duration timeout, boolean loopbackAllowed) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

        public Options {
            Objects.requireNonNull(sslContext, "sslContext");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("timeout must be above 0 and at most 30 s, was " + timeout);
            }
        }

        /** The production options: the JDK's trusted certificates, 3 s, no loopback. */
        public static Options defaults() {
            try {
                return new Options(SSLContext.getDefault(), DEFAULT_TIMEOUT, false);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK offers no default TLS context", e);
            }
        }
    }

    /** Resolves a host name; a seam so tests can answer without DNS. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Options options;
    private final Resolver resolver;
    private final Clock clock;
    private final MetadataDocumentCache cache;

    /** A fetcher with {@link Options#defaults()}. */
    public MetadataDocumentFetcher() {
        this(Options.defaults());
    }

    public MetadataDocumentFetcher(Options options) {
        this(options, InetAddress::getAllByName, Clock.systemUTC());
    }

    MetadataDocumentFetcher(Options options, Resolver resolver, Clock clock) {
        this.options = options;
        this.resolver = resolver;
        this.clock = clock;
        this.cache = new MetadataDocumentCache(clock, MetadataDocumentCache.MAX_ENTRIES);
        if (options.loopbackAllowed()) {
            LOG.warn("client_id metadata documents may be fetched from loopback addresses; tests only, never in"
                    + " production (draft-ietf-oauth-client-id-metadata-document section 8.6)");
        }
    }

    /**
     * Whether {@code clientId} names a metadata document rather than a registered client. Registered clients get
     * ids that never start with https:// (draft section 7.1), so this prefix alone decides.
     */
    public static boolean isMetadataDocumentUrl(String clientId) {
        return clientId != null && clientId.startsWith("https://");
    }

    /**
     * The validated document for {@code clientId}, from the cache while fresh, else fetched now.
     *
     * @throws ClientIdentityException with a message safe to show that says what was wrong
     */
    public ClientMetadataDocument fetch(String clientId) throws ClientIdentityException {
        try {
            MetadataDocumentUrl url = MetadataDocumentUrl.parse(clientId);
            Optional<ClientMetadataDocument> cached = cache.get(url.value());
            if (cached.isPresent()) {
                return cached.get();
            }
            // LIMITATION: concurrent first requests for one URL each fetch it; the cache helps once one finishes.
            return fetchNow(url);
        } catch (ClientIdentityException e) {
            LOG.debug("client_id metadata document refused: client_id={} reason={}", safe(clientId), e.getMessage());
            throw e;
        }
    }

    private ClientMetadataDocument fetchNow(MetadataDocumentUrl url) throws ClientIdentityException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        List<InetAddress> addresses = resolve(url, deadline);
        for (InetAddress address : addresses) {
            checkAddress(url, address);
        }
        MetadataDocumentResponse head;
        byte[] body;
        try (MetadataDocumentConnection connection =
                MetadataDocumentConnection.open(url, addresses, options.sslContext(), deadline)) {
            head = connection.get(url);
            checkHead(url, head);
            body = connection.readBody(head, MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            throw failure(url, e, System.nanoTime() - deadline >= 0);
        }
        ClientMetadataDocument document = MetadataDocumentRules.validate(url, body);
        cache.put(url.value(), document, MetadataDocumentCache.lifetime(head, clock.instant()));
        return document;
    }

    /** Looks the host up once, within the deadline; the fetch then uses exactly these addresses. */
    private List<InetAddress> resolve(MetadataDocumentUrl url, long deadline) throws ClientIdentityException {
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> resolver.resolve(url.host()));
        Thread.ofVirtual().name("client-id-document-dns").start(lookup);
        try {
            InetAddress[] found = lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (found.length == 0) {
                throw new ClientIdentityException(where(url) + ": host '" + url.host() + "' has no address");
            }
            return List.of(found);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new ClientIdentityException(where(url) + " did not answer within " + timeoutText(), e);
        } catch (ExecutionException e) {
            throw new ClientIdentityException(where(url) + ": host '" + url.host() + "' does not resolve", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientIdentityException(where(url) + " was not fetched: the request was interrupted", e);
        }
    }

    /** Section 8.6: never fetch from a special-use address, whichever of the host's addresses we would use. */
    private void checkAddress(MetadataDocumentUrl url, InetAddress address) throws ClientIdentityException {
        Optional<SpecialUse> special = SpecialUseAddresses.find(address);
        if (special.isEmpty() || special.get().loopback() && options.loopbackAllowed()) {
            return;
        }
        LOG.warn(
                "client_id metadata document refused as possible request forgery: client_id={} address={} block={}",
                url.value(),
                address.getHostAddress(),
                special.get().block());
        throw new ClientIdentityException(
                where(url) + " resolves to " + special.get().kind() + " address " + address.getHostAddress() + " ("
                        + special.get().block() + "), which is never fetched");
    }

    private void checkHead(MetadataDocumentUrl url, MetadataDocumentResponse head) throws ClientIdentityException {
        int status = head.status();
        // Section 5: only 200 counts, and redirects are not followed (they would lead past the address check).
        if (status >= 300 && status < 400) {
            LOG.warn(
                    "client_id metadata document refused: redirect client_id={} status={} location={}",
                    url.value(),
                    status,
                    head.header("location").map(MetadataDocumentUrl::shorten).orElse(""));
            throw new ClientIdentityException(where(url) + " answered " + status + "; redirects are not followed");
        }
        if (status != 200) {
            throw new ClientIdentityException(where(url) + " answered " + status + "; only 200 is accepted");
        }
        String type = head.header("content-type").orElse("");
        if (!isJson(type)) {
            String found =
                    type.isEmpty() ? "no Content-Type" : "Content-Type '" + MetadataDocumentUrl.shorten(type) + "'";
            throw new ClientIdentityException(
                    where(url) + " has " + found + "; application/json or application/*+json is required");
        }
        String coding = head.header("content-encoding").orElse("identity");
        if (!coding.equalsIgnoreCase("identity")) {
            throw new ClientIdentityException(where(url) + " has Content-Encoding '"
                    + MetadataDocumentUrl.shorten(coding) + "'; it was asked for identity");
        }
    }

    /**
     * Section 4 allows application/json or a more specific application/...+json. Other types are refused, so a
     * file that someone managed to upload to a site (served as text/plain or text/html) cannot become a client.
     */
    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.matches("application/[a-z0-9.!#$&^_-]+\\+json");
    }

    private ClientIdentityException failure(MetadataDocumentUrl url, IOException e, boolean expired) {
        // A socket timeout is the deadline too: its timer is the remaining time, rounded down to milliseconds.
        if (expired || e instanceof SocketTimeoutException) {
            return new ClientIdentityException(where(url) + " did not answer within " + timeoutText(), e);
        }
        if (e instanceof BadResponseException) {
            return new ClientIdentityException(where(url) + " " + e.getMessage(), e);
        }
        String kind = e instanceof SSLException ? "TLS failed" : "connection failed";
        String detail = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
        return new ClientIdentityException(
                where(url) + " could not be fetched: " + kind + ": " + MetadataDocumentUrl.shorten(detail), e);
    }

    private String timeoutText() {
        Duration timeout = options.timeout();
        return timeout.toMillisPart() == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static String where(MetadataDocumentUrl url) {
        return "client_id document at " + MetadataDocumentUrl.shorten(url.value());
    }

    private static String safe(String clientId) {
        return clientId == null ? "null" : MetadataDocumentUrl.shorten(clientId);
    }
}
