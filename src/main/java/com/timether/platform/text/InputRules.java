package com.timether.platform.text;

import com.timether.platform.error.DomainException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;
import java.util.regex.Pattern;

/** The shared rules for text a person or client types: each refusal names the field and what is allowed. */
public final class InputRules {
    private static final Pattern EMAIL = Pattern.compile("^[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+$");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private InputRules() {}

    /** A trimmed email in lower case, at most 254 characters, of the form name@domain.tld. */
    public static String email(String field, String value) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.length() > 254 || !EMAIL.matcher(trimmed).matches()) {
            throw DomainException.invalid(
                    field + " must be an email address such as name@example.com (at most 254 characters), got '"
                            + shorten(trimmed) + "'");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    /** A trimmed single-line name of 1 to {@code max} characters without control characters. */
    public static String name(String field, String value, int max) {
        String trimmed = value == null ? "" : value.strip();
        if (trimmed.isEmpty() || trimmed.length() > max) {
            throw DomainException.invalid(field + " must be 1 to " + max + " characters, got " + trimmed.length());
        }
        if (CONTROL.matcher(trimmed).find()) {
            throw DomainException.invalid(field + " must not contain control characters such as line breaks");
        }
        return trimmed;
    }

    /** An IANA time zone id such as Europe/Berlin. */
    public static ZoneId timeZone(String field, String value) {
        try {
            if (value == null || !value.contains("/") && !"UTC".equals(value)) {
                throw new DateTimeException("not a region id");
            }
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw DomainException.invalid(
                    field + " must be an IANA time zone such as Europe/Berlin or UTC, got '" + shorten(value) + "'");
        }
    }

    /** An ISO 4217 currency code in upper case, such as EUR. */
    public static String currency(String field, String value) {
        String code = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        try {
            if (code.length() != 3) {
                throw new IllegalArgumentException("length");
            }
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(
                    field + " must be an ISO 4217 currency code such as EUR or USD, got '" + shorten(value) + "'");
        }
    }

    /** A non-negative amount in minor units. */
    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw DomainException.invalid(field + " must be 0 or more (minor units, e.g. cents), got " + value);
        }
        return value;
    }

    /** The value cut to 60 characters, for echoing in an error message. */
    public static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
