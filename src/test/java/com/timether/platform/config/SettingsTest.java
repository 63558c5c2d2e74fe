package com.timether.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @Test
    void from_emptyEnvironment_usesSafeLocalDefaults() {
        Settings settings = Settings.from(Map.of());

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.apiUrl()).isEqualTo("http://localhost:8080");
        assertThat(settings.appUrl()).isEqualTo("http://localhost:8080");
        assertThat(settings.mcpResource()).isEqualTo("http://localhost:8080/mcp");
        assertThat(settings.database()).isEmpty();
        assertThat(settings.dataDir())
                .isEqualTo(Path.of("data").toAbsolutePath().normalize());
        assertThat(settings.mcpEnabled()).isTrue();
        assertThat(settings.smtp()).isEmpty();
        assertThat(settings.isAppSecure()).isFalse();
    }

    @Test
    void from_blankValues_countAsUnset() {
        Settings settings =
                Settings.from(Map.of("TIMETHER_PORT", "  ", "TIMETHER_API_URL", "", "TIMETHER_SMTP_HOST", " "));

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.apiUrl()).isEqualTo("http://localhost:8080");
        assertThat(settings.smtp()).isEmpty();
    }

    @Test
    void from_portOnly_isUsedInDefaultOrigins() {
        Settings settings = Settings.from(Map.of("TIMETHER_PORT", "9191"));

        assertThat(settings.port()).isEqualTo(9191);
        assertThat(settings.apiUrl()).isEqualTo("http://localhost:9191");
        assertThat(settings.appUrl()).isEqualTo("http://localhost:9191");
    }

    @Test
    void from_productionValues_areRead() {
        Settings settings = Settings.from(Map.ofEntries(
                Map.entry("TIMETHER_HOST", "0.0.0.0"),
                Map.entry("TIMETHER_PORT", "0"),
                Map.entry("TIMETHER_API_URL", "https://api.timether.com"),
                Map.entry("TIMETHER_APP_URL", "https://app.timether.com"),
                Map.entry("TIMETHER_DATABASE_URL", "jdbc:postgresql://db.internal:5432/timether"),
                Map.entry("TIMETHER_DATABASE_USER", "timether"),
                Map.entry("TIMETHER_DATABASE_PASSWORD", "s3cret"),
                Map.entry("TIMETHER_DATA_DIR", "/var/lib/timether/../timether"),
                Map.entry("TIMETHER_MCP_ENABLED", "off"),
                Map.entry("TIMETHER_SMTP_HOST", "smtp.example.com"),
                Map.entry("TIMETHER_SMTP_PORT", "465"),
                Map.entry("TIMETHER_SMTP_USER", "mailer"),
                Map.entry("TIMETHER_SMTP_PASSWORD", "mail-secret"),
                Map.entry("TIMETHER_SMTP_FROM", "Timether <hello@timether.com>")));

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.port()).isZero();
        assertThat(settings.mcpResource()).isEqualTo("https://api.timether.com/mcp");
        assertThat(settings.appUrl()).isEqualTo("https://app.timether.com");
        assertThat(settings.isAppSecure()).isTrue();
        assertThat(settings.database())
                .contains(new Settings.ExternalDatabase(
                        "jdbc:postgresql://db.internal:5432/timether", "timether", "s3cret"));
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/timether"));
        assertThat(settings.mcpEnabled()).isFalse();
        assertThat(settings.smtp())
                .contains(new Settings.Smtp(
                        "smtp.example.com", 465, "mailer", "mail-secret", "Timether <hello@timether.com>"));
    }

    @Test
    void from_smtpHostOnly_defaultsPortAndSender() {
        Settings settings = Settings.from(Map.of("TIMETHER_SMTP_HOST", "smtp.example.com"));

        assertThat(settings.smtp()).hasValueSatisfying(smtp -> {
            assertThat(smtp.port()).isEqualTo(587);
            assertThat(smtp.from()).isEqualTo("Timether <no-reply@localhost>");
        });
    }

    @ParameterizedTest
    @CsvSource({"true,true", "1,true", "YES,true", "On,true", "false,false", "0,false", "no,false", "OFF,false"})
    void from_mcpSwitchSpellings_areAccepted(String value, boolean expected) {
        assertThat(Settings.from(Map.of("TIMETHER_MCP_ENABLED", value)).mcpEnabled())
                .isEqualTo(expected);
    }

    @Test
    void from_outputChecks_offByDefaultAndReadFromTheVariable() {
        assertThat(Settings.from(Map.of()).mcpChecksOutputs()).isFalse();
        assertThat(Settings.from(Map.of("TIMETHER_MCP_CHECK_OUTPUTS", "true")).mcpChecksOutputs())
                .isTrue();
        assertRefused(
                Map.of("TIMETHER_MCP_CHECK_OUTPUTS", "sometimes"),
                "TIMETHER_MCP_CHECK_OUTPUTS",
                "must be true or false",
                "sometimes");
    }

    @Test
    void from_callsPerMinute_defaultsTo600AndReadsTheVariable() {
        assertThat(Settings.from(Map.of()).mcpCallsPerMinute()).isEqualTo(600);
        assertThat(Settings.from(Map.of("TIMETHER_MCP_CALLS_PER_MINUTE", "90000"))
                        .mcpCallsPerMinute())
                .isEqualTo(90000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1000001", "many"})
    void from_badCallsPerMinute_namesVariableAndRange(String value) {
        assertRefused(
                Map.of("TIMETHER_MCP_CALLS_PER_MINUTE", value),
                "TIMETHER_MCP_CALLS_PER_MINUTE",
                "whole number from 1 to 1000000",
                value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "80.5", "-1", "65536", "99999999999", "0x50"})
    void from_badPort_namesVariableAndRange(String value) {
        assertRefused(Map.of("TIMETHER_PORT", value), "TIMETHER_PORT", "whole number from 0 to 65535", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "smtp", "-25"})
    void from_badSmtpPort_namesVariableAndRange(String value) {
        var env = Map.of("TIMETHER_SMTP_HOST", "smtp.example.com", "TIMETHER_SMTP_PORT", value);

        assertRefused(env, "TIMETHER_SMTP_PORT", "whole number from 1 to 65535", value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://api.example.com/mcp",
                "https://api.example.com/",
                "https://api.example.com?x=1",
                "https://api.example.com#top",
                "ftp://api.example.com",
                "api.example.com",
                "localhost:8080",
                "https://",
                "http://exa mple.com"
            })
    void from_badApiOrigin_namesVariableAndWhatIsAllowed(String value) {
        assertRefused(Map.of("TIMETHER_API_URL", value), "TIMETHER_API_URL", "must be an origin", value);
    }

    @Test
    void from_badAppOrigin_namesAppVariable() {
        assertRefused(
                Map.of("TIMETHER_APP_URL", "https://app.example.com/signin"),
                "TIMETHER_APP_URL",
                "scheme, host and optional port; no path",
                "https://app.example.com/signin");
    }

    @Test
    void from_originWithUserInfo_isRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> Settings.from(Map.of("TIMETHER_API_URL", "https://admin:hunter22@api.example.com")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TIMETHER_API_URL must be an origin")
                .hasMessageContaining("api.example.com")
                .hasMessageNotContaining("hunter22");
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "enabled", "2", "y"})
    void from_badMcpSwitch_namesVariableAndTrueOrFalse(String value) {
        assertRefused(Map.of("TIMETHER_MCP_ENABLED", value), "TIMETHER_MCP_ENABLED", "must be true or false", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres://db.internal/timether", "jdbc:mysql://db.internal/timether", "timether"})
    void from_badDatabaseUrl_namesVariableAndPrefix(String value) {
        assertRefused(Map.of("TIMETHER_DATABASE_URL", value), "TIMETHER_DATABASE_URL", "jdbc:postgresql://", value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:mysql://db.internal/timether?user=timether&password=hunter22",
                "postgresql://timether:hunter22@db.internal:5432/timether"
            })
    void from_badDatabaseUrlWithPassword_isRefusedWithoutEchoingThePassword(String value) {
        assertThatThrownBy(() -> Settings.from(Map.of("TIMETHER_DATABASE_URL", value)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TIMETHER_DATABASE_URL must start with jdbc:postgresql://")
                .hasMessageContaining("db.internal")
                .hasMessageNotContaining("hunter22");
    }

    private static void assertRefused(Map<String, String> env, String variable, String allowed, String value) {
        assertThatThrownBy(() -> Settings.from(env))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(variable + " ")
                .hasMessageContaining(allowed)
                .hasMessageContaining("'" + value.strip() + "'");
    }
}
