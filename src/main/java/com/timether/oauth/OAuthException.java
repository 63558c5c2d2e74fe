package com.timether.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;

/** A refused OAuth request, carrying its RFC error code, a safe description and the HTTP status. */
public final class OAuthException extends RuntimeException {
    private final ErrorObject error;

    public OAuthException(ErrorObject code, String description) {
        super(code.getCode() + ": " + description);
        this.error = code.setDescription(description);
    }

    /** The protocol error object, with its description and HTTP status. */
    public ErrorObject error() {
        return error;
    }
}
