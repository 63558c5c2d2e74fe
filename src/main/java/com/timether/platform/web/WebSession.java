package com.timether.platform.web;

import com.timether.account.User;
import java.util.Optional;

/**
 * A browser session: anonymous (it carries only the sign-in form's CSRF token) or signed in.
 *
 * @param cookie the raw cookie value; only its hash is stored
 * @param user the signed-in person, if any
 * @param csrfToken the token every form of this session must echo
 */
public record WebSession(String cookie, Optional<User> user, String csrfToken) {

    /** Whether a person is signed in. */
    public boolean isSignedIn() {
        return user.isPresent();
    }
}
