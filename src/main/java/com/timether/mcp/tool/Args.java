package com.timether.mcp.tool;

import com.timether.platform.error.DomainException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The arguments of a tool call, read with their rules; every refusal names the argument and what is allowed. */
public final class Args {
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final Map<String, Object> values;
    private final java.util.Set<String> cleared;

    public Args(Map<String, Object> values) {
        this.values = values == null ? Map.of() : Map.copyOf(withoutNulls(values));
        this.cleared = values == null ? java.util.Set.of() : nullNames(values);
    }

    private static java.util.Set<String> nullNames(Map<String, Object> values) {
        var names = new java.util.HashSet<String>();
        values.forEach((k, v) -> {
            if (v == null) {
                names.add(k);
            }
        });
        return java.util.Set.copyOf(names);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> values) {
        var copy = new java.util.HashMap<String, Object>();
        values.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    /** The raw values. */
    public Map<String, Object> values() {
        return values;
    }

    /** Whether the argument was given. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The names of every argument given, with a value or as null. */
    public java.util.Set<String> given() {
        var names = new java.util.TreeSet<>(values.keySet());
        names.addAll(cleared);
        return names;
    }

    /** Whether the argument was given as null: clear the value (see {@link Schema#clearable}). */
    public boolean isCleared(String name) {
        return cleared.contains(name);
    }

    /** A required text of 1 to {@code max} characters, trimmed. */
    public String text(String name, int max) {
        return optionalText(name, max).orElseThrow(() -> DomainException.invalid(name + " is required"));
    }

    /** An optional text of 1 to {@code max} characters, trimmed. */
    public Optional<String> optionalText(String name, int max) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw DomainException.invalid(name + " must be a string");
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > max) {
            throw DomainException.invalid(name + " must be 1 to " + max + " characters, got " + trimmed.length());
        }
        if (CONTROL.matcher(trimmed).find()) {
            throw DomainException.invalid(name + " must not contain control characters");
        }
        return Optional.of(trimmed);
    }

    /** A required record id. */
    public UUID id(String name) {
        return optionalId(name).orElseThrow(() -> DomainException.invalid(name + " is required"));
    }

    /** An optional record id. */
    public Optional<UUID> optionalId(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(String.valueOf(value)));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(name + " must be an id such as 3f2b1c9e-8d4a-4c1b-9a7e-2d5f6a7b8c9d, got '"
                    + shorten(String.valueOf(value)) + "'");
        }
    }

    /** An optional list of record ids, at most {@code max}. */
    public Optional<java.util.List<UUID>> optionalIds(String name, int max) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof java.util.List<?> list) || list.size() > max) {
            throw DomainException.invalid(name + " must be a list of at most " + max + " ids");
        }
        java.util.List<UUID> ids = new java.util.ArrayList<>();
        for (Object element : list) {
            try {
                ids.add(UUID.fromString(String.valueOf(element)));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid(name + " must hold ids, got '" + shorten(String.valueOf(element)) + "'");
            }
        }
        return Optional.of(java.util.List.copyOf(new java.util.LinkedHashSet<>(ids)));
    }

    /** An optional boolean. */
    public Optional<Boolean> optionalBool(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean bool)) {
            throw DomainException.invalid(name + " must be true or false");
        }
        return Optional.of(bool);
    }

    /** An optional whole number within bounds. */
    public Optional<Long> optionalLong(String name, long min, long max) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw DomainException.invalid(name + " must be a whole number");
        }
        long whole = number.longValue();
        if (whole < min || whole > max) {
            throw DomainException.invalid(name + " must be from " + min + " to " + max + ", got " + whole);
        }
        return Optional.of(whole);
    }

    /** The page size: {@code limit}, default 50, at most 200. */
    public int limit() {
        return optionalLong("limit", 1, MAX_LIMIT).orElse((long) DEFAULT_LIMIT).intValue();
    }

    private static String shorten(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }
}
