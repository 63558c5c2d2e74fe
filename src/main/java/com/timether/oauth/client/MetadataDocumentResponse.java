package com.timether.oauth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status line and headers of an HTTP/1.1 response (RFC 9112), read from a stream with hard bounds, plus the
 * body reader: Content-Length, chunked, or until the connection closes, never keeping more than a limit.
 *
 * <p>Hand-written because the fetch must go to one already-validated address (no second DNS lookup), which the JDK
 * HTTP client cannot do while still checking the certificate against the host name.
 *
 * @param status the final status code (interim 1xx responses are skipped)
 * @param headers header values by lower-case name, in arrival order
 */
record MetadataDocumentResponse(int status, Map<String, List<String>> headers) {
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_HEADER_LINES = 100;
    private static final int MAX_INTERIM = 5;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-9][0-9]{2})(?: .*)?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]{1,8}");

    /** A response we will not use; the message continues "client_id document at URL ...". */
    static final class BadResponseException extends IOException {
        BadResponseException(String message) {
            super(message);
        }
    }

    /** Reads the status line and headers, skipping interim 1xx responses other than 101. */
    static MetadataDocumentResponse readHead(InputStream in) throws IOException {
        for (int interim = 0; interim <= MAX_INTERIM; interim++) {
            MetadataDocumentResponse head = readOneHead(in);
            if (head.status() >= 200 || head.status() == 101) {
                return head;
            }
        }
        throw new BadResponseException("sent more than " + MAX_INTERIM + " interim responses");
    }

    /** The first value of header {@code name}, if present. */
    Optional<String> header(String name) {
        List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        return values.stream().findFirst();
    }

    /** All values of header {@code name}, split at commas (RFC 9110 section 5.3). */
    List<String> headerList(String name) {
        List<String> items = new ArrayList<>();
        for (String value : headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    /** The declared Content-Length, empty when absent or superseded by Transfer-Encoding (RFC 9112 section 6.3). */
    Optional<Long> contentLength() throws BadResponseException {
        if (headers.containsKey("transfer-encoding")) {
            return Optional.empty();
        }
        List<String> values = headerList("content-length");
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.stream().distinct().count() > 1 || !values.getFirst().matches("[0-9]{1,18}")) {
            throw new BadResponseException("sent an invalid Content-Length " + values);
        }
        return Optional.of(Long.parseLong(values.getFirst()));
    }

    /**
     * Reads the body that follows this head; refuses it once more than {@code limit} bytes arrive or are announced,
     * so at most {@code limit + 1} bytes are ever read.
     */
    byte[] readBody(InputStream in, int limit) throws IOException {
        List<String> codings = headerList("transfer-encoding");
        if (!codings.isEmpty()) {
            if (codings.size() != 1 || !codings.getFirst().equalsIgnoreCase("chunked")) {
                throw new BadResponseException("uses transfer coding " + codings + "; only chunked is supported");
            }
            return readChunked(in, limit);
        }
        Optional<Long> length = contentLength();
        if (length.isPresent()) {
            if (length.get() > limit) {
                throw tooLarge(limit);
            }
            return readExactly(in, length.get().intValue());
        }
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        return body;
    }

    private static MetadataDocumentResponse readOneHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        Matcher status = STATUS_LINE.matcher(statusLine);
        if (!status.matches()) {
            throw new BadResponseException(
                    "sent an invalid HTTP/1.1 status line '" + MetadataDocumentUrl.shorten(statusLine) + "'");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int count = 0; ; count++) {
            String line = readLine(in);
            if (line.isEmpty()) {
                return new MetadataDocumentResponse(Integer.parseInt(status.group(1)), headers);
            }
            if (count == MAX_HEADER_LINES) {
                throw new BadResponseException("sent more than " + MAX_HEADER_LINES + " header lines");
            }
            addHeader(headers, line);
        }
    }

    private static void addHeader(Map<String, List<String>> headers, String line) throws BadResponseException {
        int colon = line.indexOf(':');
        // RFC 9112 section 5.1 and 5.2: no space before the colon, and obsolete line folding is refused.
        if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
            throw new BadResponseException("sent an invalid header line '" + MetadataDocumentUrl.shorten(line) + "'");
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        headers.computeIfAbsent(name, n -> new ArrayList<>())
                .add(line.substring(colon + 1).strip());
    }

    private static byte[] readChunked(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            String size = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
            if (!CHUNK_SIZE.matcher(size).matches()) {
                throw new BadResponseException(
                        "sent an invalid chunk size '" + MetadataDocumentUrl.shorten(size) + "'");
            }
            long chunk = Long.parseLong(size, 16);
            if (chunk == 0) {
                // Trailers are not read: the connection is closed right after, and nothing in them is used.
                return body.toByteArray();
            }
            if (body.size() + chunk > limit) {
                throw tooLarge(limit);
            }
            body.write(readExactly(in, (int) chunk));
            if (!readLine(in).isEmpty()) {
                throw new BadResponseException("sent a chunk longer than its declared size");
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new BadResponseException("ended after " + bytes.length + " of " + length + " announced bytes");
        }
        return bytes;
    }

    /** Reads one line ending in CRLF (or a bare LF, RFC 9112 section 2.2) without its ending. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new BadResponseException("closed the connection before the response was complete");
            }
            if (line.size() == MAX_LINE) {
                throw new BadResponseException("sent a line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static BadResponseException tooLarge(int limit) {
        return new BadResponseException("is larger than " + limit + " bytes");
    }
}
