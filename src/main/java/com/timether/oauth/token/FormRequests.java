package com.timether.oauth.token;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.timether.oauth.OAuthException;
import io.javalin.http.Context;

/** Reads the form body of the token and revocation endpoints. */
public final class FormRequests {
    private FormRequests() {}

    /** The parameters of a form POST; anything but a form is refused (RFC 6749 section 3.2). */
    public static TokenParameters parameters(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded");
        }
        try {
            return new TokenParameters(ctx.formParamMap());
        } catch (RuntimeException e) {
            throw new OAuthException(OAuth2Error.INVALID_REQUEST, "the form body could not be parsed");
        }
    }
}
