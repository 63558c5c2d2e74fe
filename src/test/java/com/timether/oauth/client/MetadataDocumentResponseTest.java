package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timether.oauth.client.MetadataDocumentResponse.BadResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataDocumentResponseTest {

    @Test
    void readHead_statusAndHeaders_areParsed() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-A: 1\r\nx-a:  2 \r\n\r\n");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("CONTENT-TYPE")).contains("application/json");
        assertThat(head.headers().get("x-a")).containsExactly("1", "2");
        assertThat(head.header("missing")).isEmpty();
    }

    @Test
    void readHead_statusWithoutReasonAndBareLineFeeds_isParsed() throws Exception {
        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(stream("HTTP/1.0 404\nA: b\n\n"));

        assertThat(head.status()).isEqualTo(404);
        assertThat(head.header("a")).contains("b");
    }

    @Test
    void readHead_interimResponses_areSkipped() throws Exception {
        InputStream in = stream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("link")).isEmpty();
        assertThat(new String(head.readBody(in, 5120), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "HTTP/2 200\\r\\n\\r\\n                      | invalid HTTP/1.1 status line",
                "HTTP/1.1 20 OK\\r\\n\\r\\n                  | invalid HTTP/1.1 status line",
                "<html>\\r\\n\\r\\n                          | invalid HTTP/1.1 status line",
                "HTTP/1.1 200 OK\\r\\nBad Name: x\\r\\n\\r\\n  | invalid header line",
                "HTTP/1.1 200 OK\\r\\nName : x\\r\\n\\r\\n     | invalid header line",
                "HTTP/1.1 200 OK\\r\\nA: x\\r\\n folded\\r\\n\\r\\n | invalid header line",
                "HTTP/1.1 200 OK\\r\\nNo colon\\r\\n\\r\\n     | invalid header line",
                "HTTP/1.1 200 OK\\r\\nA: x\\r\\n             | closed the connection before the response was complete"
            })
    void readHead_malformedHead_isRefused(String raw, String problem) {
        String unescaped = raw.strip().replace("\\r", "\r").replace("\\n", "\n");

        assertThatThrownBy(() -> MetadataDocumentResponse.readHead(stream(unescaped)))
                .isInstanceOf(BadResponseException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void readHead_tooManyHeaders_isRefused() {
        String raw = "HTTP/1.1 200 OK\r\n" + "A: b\r\n".repeat(101) + "\r\n";

        assertThatThrownBy(() -> MetadataDocumentResponse.readHead(stream(raw)))
                .hasMessage("sent more than 100 header lines");
    }

    @Test
    void readHead_overlongLine_isRefused() {
        String raw = "HTTP/1.1 200 OK\r\nA: " + "b".repeat(9000) + "\r\n\r\n";

        assertThatThrownBy(() -> MetadataDocumentResponse.readHead(stream(raw)))
                .hasMessage("sent a line longer than 8192 bytes");
    }

    @Test
    void readBody_contentLength_readsExactlyThatMany() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");

        byte[] body = MetadataDocumentResponse.readHead(in).readBody(in, 5120);

        assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void readBody_contentLengthOverTheLimit_isRefusedWithoutReading() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5121\r\n\r\n{}");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessage("is larger than 5120 bytes");
        assertThat(in.available()).isEqualTo(2);
    }

    @Test
    void readBody_shortBody_isRefused() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessage("ended after 2 of 10 announced bytes");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"Content-Length: 2\\r\\nContent-Length: 3", "Content-Length: -1", "Content-Length: 1e3"})
    void readBody_invalidContentLength_isRefused(String headers) throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\n" + headers.replace("\\r\\n", "\r\n") + "\r\n\r\n{}");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessageStartingWith("sent an invalid Content-Length");
    }

    @Test
    void readBody_untilClose_acceptsExactlyTheLimit() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(5120));

        assertThat(MetadataDocumentResponse.readHead(in).readBody(in, 5120)).hasSize(5120);
    }

    @Test
    void readBody_untilCloseOneByteOver_isRefused() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(5121) + "y".repeat(10_000));

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessage("is larger than 5120 bytes");
        assertThat(in.available()).isEqualTo(10_000);
    }

    @Test
    void readBody_chunkedWithExtensionsAndTrailers_isJoined() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 999\r\n\r\n"
                + "3;name=value\r\n{\"a\r\nA\r\n\":\"bcdefgh\r\n1\r\n}\r\n0\r\nTrailer: x\r\n\r\n");

        byte[] body = MetadataDocumentResponse.readHead(in).readBody(in, 5120);

        assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("{\"a\":\"bcdefgh}");
    }

    @Test
    void readBody_chunkedOverTheLimit_isRefusedBeforeReadingTheChunk() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "1000\r\n" + "x".repeat(4096)
                + "\r\n1001\r\n" + "x".repeat(4097) + "\r\n0\r\n\r\n");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessage("is larger than 5120 bytes");
        assertThat(in.available()).isEqualTo(4097 + 2 + 5);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"zz | invalid chunk size", "123456789 | invalid chunk size", "-1 | invalid chunk size"})
    void readBody_badChunkSize_isRefused(String size, String problem) throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size + "\r\n{}\r\n0\r\n\r\n");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessageContaining(problem);
    }

    @Test
    void readBody_chunkLongerThanDeclared_isRefused() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}}\r\n0\r\n\r\n");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120)).hasMessage("sent a chunk longer than its declared size");
    }

    @Test
    void readBody_otherTransferCoding_isRefused() throws Exception {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");

        MetadataDocumentResponse head = MetadataDocumentResponse.readHead(in);

        assertThatThrownBy(() -> head.readBody(in, 5120))
                .hasMessage("uses transfer coding [gzip, chunked]; only chunked is supported");
    }

    private static InputStream stream(String raw) {
        return new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
    }
}
