package com.timether.platform.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The stored names of one {@link StoredName} enum, worked out once: rows are read by the thousand a second (every
 * token check parses five of them), and a lower-casing or a scan of the constants per read showed in allocation
 * profiles.
 */
final class StoredNames {
    private static final ClassValue<StoredNames> CACHE = new ClassValue<>() {
        @Override
        protected StoredNames computeValue(Class<?> type) {
            return new StoredNames(type);
        }
    };

    private final String[] values;
    private final Map<String, Object> byValue = new HashMap<>();
    private final String allowed;

    private StoredNames(Class<?> type) {
        Object[] constants = type.getEnumConstants();
        values = Arrays.stream(constants)
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        for (int i = 0; i < constants.length; i++) {
            byValue.put(values[i], constants[i]);
        }
        allowed = String.join(", ", values);
    }

    /** The names of the enum {@code type}, or of the enum that declares the constant class {@code type}. */
    static StoredNames of(Class<?> type) {
        return CACHE.get(type.isEnum() ? type : type.getSuperclass());
    }

    String value(int ordinal) {
        return values[ordinal];
    }

    /** The constant stored as {@code value}, or null. */
    Object constant(String value) {
        return byValue.get(value);
    }

    /** Every stored name, comma separated. */
    String allowed() {
        return allowed;
    }
}
