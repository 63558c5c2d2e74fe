package com.timether.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.timether.platform.config.Settings;
import com.timether.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrowserTest {
    private final SessionStore sessions = new SessionStore(TestDatabase.get().jdbi());

    @Test
    void cookieHeader_httpsAppOrigin_isSecureHostOnlyCookie() {
        Settings settings = Settings.from(Map.of("TIMETHER_APP_URL", "https://app.timether.com"));
        Browser browser = new Browser(sessions, settings.isAppSecure());

        String header = browser.cookieHeader("value", 60);

        assertThat(header)
                .startsWith("__Host-timether_session=value;")
                .contains("; Path=/", "; Max-Age=60", "; HttpOnly", "; SameSite=Lax", "; Secure")
                .doesNotContain("Domain=");
    }

    @Test
    void cookieHeader_plainHttpLoopbackOrigin_isNotSecureButStillHttpOnlyAndLax() {
        Settings settings = Settings.from(Map.of("TIMETHER_APP_URL", "http://localhost:8080"));
        Browser browser = new Browser(sessions, settings.isAppSecure());

        String header = browser.cookieHeader("value", 0);

        assertThat(header)
                .startsWith("timether_session=value;")
                .contains("; Max-Age=0", "; HttpOnly", "; SameSite=Lax")
                .doesNotContain("Secure");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "//evil.example",
                "https://evil.example",
                "/\\evil.example",
                "\\/evil.example",
                "javascript:alert(1)",
                "/\nLocation: https://evil.example",
                "/\t/evil.example",
                "evil.example/account",
                ""
            })
    void safeReturnPath_offSiteOrOdd_becomesAccount(String candidate) {
        assertThat(Browser.safeReturnPath(candidate)).isEqualTo("/account");
    }

    @Test
    void safeReturnPath_null_becomesAccount() {
        assertThat(Browser.safeReturnPath(null)).isEqualTo("/account");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/account", "/account/integrations?x=1", "/oauth/authorize?client_id=a&state=b"})
    void safeReturnPath_localPath_isKept(String candidate) {
        assertThat(Browser.safeReturnPath(candidate)).isEqualTo(candidate);
    }
}
