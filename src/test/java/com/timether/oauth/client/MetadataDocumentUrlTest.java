package com.timether.oauth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetadataDocumentUrlTest {

    @Test
    void parse_plainUrl_givesHostPortAndPath() throws Exception {
        MetadataDocumentUrl url = MetadataDocumentUrl.parse("https://client.example/oauth/client.json");

        assertThat(url.host()).isEqualTo("client.example");
        assertThat(url.port()).isEqualTo(443);
        assertThat(url.authority()).isEqualTo("client.example");
        assertThat(url.path()).isEqualTo("/oauth/client.json");
        assertThat(url.isIpLiteral()).isFalse();
    }

    @Test
    void parse_ipv6LiteralWithPort_stripsBracketsForTheHostOnly() throws Exception {
        MetadataDocumentUrl url = MetadataDocumentUrl.parse("https://[2001:db8::1]:8443/c.json");

        assertThat(url.host()).isEqualTo("2001:db8::1");
        assertThat(url.port()).isEqualTo(8443);
        assertThat(url.authority()).isEqualTo("[2001:db8::1]:8443");
        assertThat(url.displayHost()).isEqualTo("[2001:db8::1]");
        assertThat(url.isIpLiteral()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://client.example/c.json       | must start with https://",
                "HTTPS://client.example/c.json      | must start with https://",
                "https://client.example             | must contain a path",
                "https://client.example/            | must contain a path",
                "https://client.example/c.json#x    | must not contain a fragment",
                "https://client.example/c.json#     | must not contain a fragment",
                "https://user@client.example/c.json | must not contain user info",
                "https://u:p@client.example/c.json  | must not contain user info",
                "https://client.example/a/./c.json  | must not contain '.' or '..'",
                "https://client.example/a/../c.json | must not contain '.' or '..'",
                "https://client.example/a/..        | must not contain '.' or '..'",
                "https://client.example/%2e%2e/c    | must not contain '.' or '..'",
                "https://client.example/%2E/c       | must not contain '.' or '..'",
                "https://client.example/.%2e/c      | must not contain '.' or '..'",
                "https://client.example/c.json?x=1  | must not contain a query",
                "https://client.example/c.json?     | must not contain a query",
                "https://client.example:0/c.json    | must name a host",
                "https:///c.json                    | must name a host",
                "https://exa_mple.com/c.json        | must name a host",
                "https://client.example/c json      | must be printable ASCII",
                "https://client.éxample/c.json      | must be printable ASCII",
                "https://client.example/c%zz        | is not a valid URL"
            })
    void parse_brokenRule_isRefusedNamingTheRule(String clientId, String rule) {
        assertThatThrownBy(() -> MetadataDocumentUrl.parse(clientId))
                .isInstanceOf(ClientIdentityException.class)
                .hasMessageContaining("client_id '")
                .hasMessageContaining(rule);
    }

    @Test
    void parse_dotsInsideASegment_areAllowed() throws Exception {
        assertThat(MetadataDocumentUrl.parse("https://client.example/a..b/.well-known/c.json")
                        .path())
                .isEqualTo("/a..b/.well-known/c.json");
    }

    @Test
    void parse_tooLong_isRefused() {
        String clientId = "https://client.example/" + "a".repeat(2000);

        assertThatThrownBy(() -> MetadataDocumentUrl.parse(clientId))
                .hasMessage("client_id must be 1 to 2000 characters");
    }

    @Test
    void parse_controlCharacter_isRefusedAndNotEchoedRaw() {
        assertThatThrownBy(() -> MetadataDocumentUrl.parse("https://client.example/c\r\nX: y"))
                .hasMessage("client_id 'https://client.example/c??X: y' must be printable ASCII without spaces");
    }

    @Test
    void shorten_longValue_keepsAHundredCharacters() {
        assertThat(MetadataDocumentUrl.shorten("x".repeat(500))).hasSize(100).endsWith("...");
    }
}
