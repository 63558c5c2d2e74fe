package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.oauth.OAuthException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The form parameters of a token or revocation request; RFC 6749 section 3.2 forbids repeating one. */
public record TokenParameters(Map<String, List<String>> form) {

    /** A parameter that must be present once. */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new OAuthException(OAuth2Error.INVALID_REQUEST, name + " is required"));
    }

    /** A parameter that may be present once. */
    public Optional<String> optional(String name) {
        List<String> values = form.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, name + " must not be repeated");
        }
        return values.stream().findFirst().filter(v -> !v.isEmpty());
    }
}
