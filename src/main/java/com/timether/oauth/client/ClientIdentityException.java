package com.timether.oauth.client;

/** A client that cannot be identified; the message is safe to show and says what is wrong. */
public final class ClientIdentityException extends Exception {
    public ClientIdentityException(String message) {
        super(message);
    }

    public ClientIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
