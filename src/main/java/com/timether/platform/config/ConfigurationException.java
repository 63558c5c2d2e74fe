package com.timether.platform.config;

/** A configuration value that is missing or not allowed; its message names the variable and what is allowed. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
