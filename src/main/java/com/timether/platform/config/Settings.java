package com.timether.platform.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The process configuration, read from {@code TIMETHER_*} environment variables with safe local defaults.
 *
 * @param host address the HTTP server binds to
 * @param port HTTP port
 * @param apiUrl API origin, without a trailing slash
 * @param appUrl app origin, without a trailing slash
 * @param database external PostgreSQL, or empty for the embedded one
 * @param dataDir where the embedded database keeps its files
 * @param mcpEnabled global switch for the MCP feature
 * @param mcpCallsPerMinute how many MCP requests one connection may make a minute
 * @param mcpChecksOutputs whether every tool result is validated against the tool's output schema before it is sent
 * @param smtp outgoing mail, or empty to keep mail in the outbox only
 */
public record Settings(
        String host,
        int port,
        String apiUrl,
        String appUrl,
        Optional<ExternalDatabase> database,
        Path dataDir,
        boolean mcpEnabled,
        int mcpCallsPerMinute,
        boolean mcpChecksOutputs,
        Optional<Smtp> smtp) {

    /** Connection details of an operator-provided PostgreSQL. */
    public record ExternalDatabase(String url, String user, String password) {}

    /** Outgoing mail server. */
    public record Smtp(String host, int port, String user, String password, String from) {}

    /** The API origin's MCP resource identifier (PRODUCT section 1). */
    public String mcpResource() {
        return apiUrl + "/mcp";
    }

    /** Whether cookies must be {@code Secure}: whenever the app origin is HTTPS. */
    public boolean isAppSecure() {
        return appUrl.startsWith("https://");
    }

    /** Reads and validates the configuration; a bad value throws naming the variable. */
    public static Settings from(Map<String, String> env) {
        var reader = new Reader(env);
        int port = reader.integer("TIMETHER_PORT", 8080, 0, 65535);
        String apiUrl = reader.origin("TIMETHER_API_URL", "http://localhost:" + port);
        String appUrl = reader.origin("TIMETHER_APP_URL", apiUrl);
        return new Settings(
                reader.text("TIMETHER_HOST", "127.0.0.1"),
                port,
                apiUrl,
                appUrl,
                externalDatabase(reader),
                Path.of(reader.text("TIMETHER_DATA_DIR", "./data"))
                        .toAbsolutePath()
                        .normalize(),
                reader.bool("TIMETHER_MCP_ENABLED", true),
                reader.integer("TIMETHER_MCP_CALLS_PER_MINUTE", 600, 1, 1_000_000),
                reader.bool("TIMETHER_MCP_CHECK_OUTPUTS", false),
                smtp(reader));
    }

    private static Optional<ExternalDatabase> externalDatabase(Reader reader) {
        String url = reader.text("TIMETHER_DATABASE_URL", "");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new ConfigurationException(
                    "TIMETHER_DATABASE_URL must start with jdbc:postgresql://, got '" + masked(url) + "'");
        }
        return Optional.of(new ExternalDatabase(
                url, reader.text("TIMETHER_DATABASE_USER", ""), reader.text("TIMETHER_DATABASE_PASSWORD", "")));
    }

    private static Optional<Smtp> smtp(Reader reader) {
        String host = reader.text("TIMETHER_SMTP_HOST", "");
        if (host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Smtp(
                host,
                reader.integer("TIMETHER_SMTP_PORT", 587, 1, 65535),
                reader.text("TIMETHER_SMTP_USER", ""),
                reader.text("TIMETHER_SMTP_PASSWORD", ""),
                reader.text("TIMETHER_SMTP_FROM", "Timether <no-reply@localhost>")));
    }

    /** The value with its user info and any password parameter masked: an error message never echoes a secret. */
    private static String masked(String value) {
        return value.replaceAll("//[^/?#@]*@", "//***@").replaceAll("password=[^&]*", "password=***");
    }

    /** Typed access to the environment; each refusal names the variable and what is allowed. */
    private record Reader(Map<String, String> env) {

        String text(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        int integer(String name, int fallback, int min, int max) {
            String value = text(name, "");
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw new NumberFormatException("out of range");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigurationException(
                        name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
            }
        }

        boolean bool(String name, boolean fallback) {
            String value = text(name, "").toLowerCase(Locale.ROOT);
            return switch (value) {
                case "" -> fallback;
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new ConfigurationException(name + " must be true or false, got '" + value + "'");
            };
        }

        /** An origin: http or https, a host, an optional port, no path, query, fragment or user info. */
        String origin(String name, String fallback) {
            String value = text(name, fallback);
            String allowed = name + " must be an origin such as https://api.example.com or http://localhost:8080"
                    + " (scheme, host and optional port; no path), got '" + masked(value) + "'";
            try {
                URI uri = new URI(value);
                boolean isHttp = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
                boolean hasOnlyOrigin = uri.getHost() != null
                        && uri.getRawUserInfo() == null
                        && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                        && uri.getRawQuery() == null
                        && uri.getRawFragment() == null;
                if (!isHttp || !hasOnlyOrigin) {
                    throw new ConfigurationException(allowed);
                }
                return value;
            } catch (URISyntaxException e) {
                throw new ConfigurationException(allowed);
            }
        }
    }
}
