package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataDocumentCacheTest {
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final ClientMetadataDocument DOCUMENT = new ClientMetadataDocument(
            "https://client.example/c.json", "Client", List.of("https://client.example/cb"), Optional.empty());

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Cache-Control: max-age=60                                         | 60",
                "Cache-Control: public, MAX-AGE=\"120\"                            | 120",
                "Cache-Control: max-age=0                                          | 0",
                "Cache-Control: max-age=999999999                                  | 86400",
                "Cache-Control: max-age=soon                                       | 0",
                "Cache-Control: no-store                                           | 0",
                "Cache-Control: max-age=60, no-cache                               | 0",
                "Cache-Control: private, max-age=30                                | 30",
                "Cache-Control: max-age=60~Age: 45                                 | 15",
                "Cache-Control: max-age=60~Age: 100                                | 0",
                "X-None: 1                                                         | 300",
                "Expires: Mon, 02 Mar 2026 10:10:00 GMT                            | 600",
                "Expires: Mon, 02 Mar 2026 10:10:00 GMT~Date: Mon, 02 Mar 2026 10:09:00 GMT | 60",
                "Expires: Mon, 02 Mar 2026 09:00:00 GMT                            | 0",
                "Expires: 0                                                        | 0",
                "Expires: Mon, 02 Mar 2026 10:10:00 GMT~Cache-Control: max-age=5   | 5"
            })
    void lifetime_cachingHeaders_giveTheClampedFreshness(String headers, long seconds) throws Exception {
        String raw = "HTTP/1.1 200 OK\r\n" + headers.replace("~", "\r\n") + "\r\n\r\n";
        MetadataDocumentResponse head =
                MetadataDocumentResponse.readHead(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(MetadataDocumentCache.lifetime(head, NOW)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void get_beforeAndAfterExpiry_servesThenForgets() {
        MutableClock clock = new MutableClock();
        MetadataDocumentCache cache = new MetadataDocumentCache(clock, 10);
        cache.put(DOCUMENT.clientId(), DOCUMENT, Duration.ofSeconds(60));

        clock.now = NOW.plusSeconds(59);
        assertThat(cache.get(DOCUMENT.clientId())).contains(DOCUMENT);
        clock.now = NOW.plusSeconds(60);
        assertThat(cache.get(DOCUMENT.clientId())).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void put_zeroLifetime_dropsTheEarlierEntry() {
        MetadataDocumentCache cache = new MetadataDocumentCache(new MutableClock(), 10);
        cache.put(DOCUMENT.clientId(), DOCUMENT, Duration.ofSeconds(60));

        cache.put(DOCUMENT.clientId(), DOCUMENT, Duration.ZERO);

        assertThat(cache.get(DOCUMENT.clientId())).isEmpty();
    }

    @Test
    void put_beyondMaxEntries_evictsTheOldest() {
        MetadataDocumentCache cache = new MetadataDocumentCache(new MutableClock(), 2);
        cache.put("https://a.example/c", DOCUMENT, Duration.ofSeconds(60));
        cache.put("https://b.example/c", DOCUMENT, Duration.ofSeconds(60));
        cache.put("https://a.example/c", DOCUMENT, Duration.ofSeconds(60));

        cache.put("https://c.example/c", DOCUMENT, Duration.ofSeconds(60));

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("https://b.example/c")).isEmpty();
        assertThat(cache.get("https://a.example/c")).isPresent();
        assertThat(cache.get("https://c.example/c")).isPresent();
    }

    private static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
