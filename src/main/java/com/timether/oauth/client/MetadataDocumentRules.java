package com.timether.oauth.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The content rules for a fetched client ID metadata document (draft-ietf-oauth-client-id-metadata-document-02
 * section 4) plus Timether's own: public clients only (PRODUCT section 4) and the redirect URI rules of
 * {@link RedirectUris}. Fields not named here are ignored, as RFC 7591 section 2 asks of unknown metadata.
 */
final class MetadataDocumentRules {
    static final int MAX_CLIENT_NAME = 100;
    private static final Set<String> SHARED_SECRET_METHODS =
            Set.of("client_secret_basic", "client_secret_post", "client_secret_jwt");
    /** JWK members that only private or symmetric keys carry (RFC 7518 section 6). */
    private static final Set<String> PRIVATE_KEY_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    // Duplicate names are refused: two client_id members could be read differently by two parsers.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MetadataDocumentRules() {}

    /** Parses and checks {@code body} fetched from {@code url}; the exception names the field and value at fault. */
    static ClientMetadataDocument validate(MetadataDocumentUrl url, byte[] body) throws ClientIdentityException {
        String where = "client_id document at " + MetadataDocumentUrl.shorten(url.value());
        JsonNode document;
        try {
            document = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ClientIdentityException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new ClientIdentityException(where + " is not a JSON object");
        }
        Optional<String> problem = clientIdProblem(url, document)
                .or(() -> secretProblem(document))
                .or(() -> privateKeyProblem(document))
                .or(() -> flowProblem(document));
        if (problem.isPresent()) {
            throw new ClientIdentityException(where + ": " + problem.get());
        }
        List<String> redirectUris = redirectUris(where, document);
        String clientName = clientName(where, url, document);
        Optional<String> clientUri = clientUri(where, document);
        return new ClientMetadataDocument(url.value(), clientName, redirectUris, clientUri);
    }

    /** Section 4: client_id equals the URL by simple string comparison (RFC 3986 section 6.2.1). */
    private static Optional<String> clientIdProblem(MetadataDocumentUrl url, JsonNode document) {
        JsonNode clientId = document.get("client_id");
        if (clientId == null || !clientId.isString()) {
            return Optional.of("client_id is missing or not a string; it must equal the URL");
        }
        if (!clientId.stringValue().equals(url.value())) {
            return Optional.of(
                    "client_id '" + MetadataDocumentUrl.shorten(clientId.stringValue()) + "' does not equal the URL");
        }
        return Optional.empty();
    }

    /** Section 4.1: no shared secrets; PRODUCT section 4: public clients, so only "none". */
    private static Optional<String> secretProblem(JsonNode document) {
        for (String field : List.of("client_secret", "client_secret_expires_at")) {
            if (document.has(field)) {
                return Optional.of(field + " must not be present; a metadata document cannot carry a secret");
            }
        }
        JsonNode method = document.get("token_endpoint_auth_method");
        if (method == null || method.isString() && method.stringValue().equals("none")) {
            return Optional.empty();
        }
        String value = method.isString() ? MetadataDocumentUrl.shorten(method.stringValue()) : method.toString();
        if (SHARED_SECRET_METHODS.contains(value)) {
            return Optional.of("token_endpoint_auth_method '" + value
                    + "' needs a shared secret, which a metadata document cannot establish; only 'none' is allowed");
        }
        return Optional.of("token_endpoint_auth_method '" + value
                + "' is not supported; Timether serves public clients, so only 'none' is allowed");
    }

    /**
     * The flows a document declares, when it declares them (RFC 7591 section 2 defaults to the code flow): they must
     * be the ones Timether serves, the same rule dynamic registration applies.
     */
    private static Optional<String> flowProblem(JsonNode document) {
        JsonNode grants = document.get("grant_types");
        if (grants != null && !hasOnly(grants, Set.of("authorization_code", "refresh_token"), "authorization_code")) {
            return Optional.of("grant_types " + shortened(grants)
                    + " must include authorization_code and may add refresh_token only");
        }
        JsonNode responses = document.get("response_types");
        if (responses != null && !hasOnly(responses, Set.of("code"), "code")) {
            return Optional.of("response_types " + shortened(responses) + " must be [\"code\"]");
        }
        return Optional.empty();
    }

    /** Whether {@code values} is an array of strings from {@code allowed} that holds {@code required}. */
    private static boolean hasOnly(JsonNode values, Set<String> allowed, String required) {
        if (!values.isArray()) {
            return false;
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode value : values.values()) {
            if (!value.isString() || !allowed.contains(value.stringValue())) {
                return false;
            }
            strings.add(value.stringValue());
        }
        return strings.contains(required);
    }

    private static String shortened(JsonNode value) {
        return MetadataDocumentUrl.shorten(value.toString());
    }

    /** Section 4.1: only public keys may be published. */
    private static Optional<String> privateKeyProblem(JsonNode document) {
        JsonNode keys = document.path("jwks").path("keys");
        for (JsonNode key : keys.isArray() ? keys.values() : List.<JsonNode>of()) {
            for (String member : PRIVATE_KEY_MEMBERS) {
                if (key.has(member)) {
                    return Optional.of("jwks contains private or symmetric key material (member '" + member + "')");
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> redirectUris(String where, JsonNode document) throws ClientIdentityException {
        JsonNode uris = document.get("redirect_uris");
        if (uris == null || !uris.isArray() || uris.isEmpty()) {
            throw new ClientIdentityException(
                    where + ": redirect_uris is missing or empty; a non-empty array of strings is required");
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            JsonNode uri = uris.get(i);
            if (!uri.isString()) {
                throw new ClientIdentityException(where + ": redirect_uris[" + i + "] is not a string");
            }
            Optional<String> problem = RedirectUris.problem(uri.stringValue());
            if (problem.isPresent()) {
                throw new ClientIdentityException(where + ": redirect_uris[" + i + "]: " + problem.get());
            }
            result.add(uri.stringValue());
        }
        return result;
    }

    /** The name for the consent page: printable, at most 100 characters, else the URL's host. */
    private static String clientName(String where, MetadataDocumentUrl url, JsonNode document)
            throws ClientIdentityException {
        JsonNode name = document.get("client_name");
        if (name == null || name.isNull()) {
            return url.displayHost();
        }
        if (!name.isString()) {
            throw new ClientIdentityException(where + ": client_name is not a string");
        }
        String value = name.stringValue().strip();
        if (value.codePointCount(0, value.length()) > MAX_CLIENT_NAME) {
            throw new ClientIdentityException(where + ": client_name '" + MetadataDocumentUrl.shorten(value)
                    + "' is longer than " + MAX_CLIENT_NAME + " characters");
        }
        // Bidirectional overrides are refused too: they can make a name read as another on the consent page.
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || isBidiControl(c))) {
            throw new ClientIdentityException(
                    where + ": client_name '" + MetadataDocumentUrl.shorten(value) + "' contains control characters");
        }
        return value.isEmpty() ? url.displayHost() : value;
    }

    /** client_uri is shown as a link, so only an https URL is accepted (section 8.6: known schemes only). */
    private static Optional<String> clientUri(String where, JsonNode document) throws ClientIdentityException {
        JsonNode uri = document.get("client_uri");
        if (uri == null || uri.isNull()) {
            return Optional.empty();
        }
        String value = uri.isString() ? uri.stringValue() : uri.toString();
        if (!uri.isString() || !isHttpsUrl(value)) {
            throw new ClientIdentityException(where + ": client_uri '" + MetadataDocumentUrl.shorten(value)
                    + "' must be an https URL with a host");
        }
        return Optional.of(value);
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return value.length() <= MetadataDocumentUrl.MAX_LENGTH
                    && "https".equals(uri.getScheme())
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061c
                || c == 0x200e
                || c == 0x200f
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
