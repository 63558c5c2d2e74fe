package com.timether.platform.text;

import java.util.Optional;

/** An enum whose stored and displayed name is its constant name in lower case ({@code PAST_DUE} is past_due). */
public interface StoredName {

    /** The constant's name, as {@link Enum#name()}. */
    String name();

    /** The constant's position, as {@link Enum#ordinal()}. */
    int ordinal();

    /** The stored and displayed name. */
    default String value() {
        return StoredNames.of(getClass()).value(ordinal());
    }

    /** The constant of {@code type} whose stored name is {@code value}. */
    static <E extends Enum<E> & StoredName> Optional<E> parse(Class<E> type, String value) {
        return Optional.ofNullable(type.cast(StoredNames.of(type).constant(value)));
    }

    /** The constant of {@code type} whose stored name is {@code value}; a value the schema allows always parses. */
    static <E extends Enum<E> & StoredName> E require(Class<E> type, String value) {
        return parse(type, value)
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown " + type.getSimpleName() + " '" + value + "'; allowed: " + allowed(type)));
    }

    /** The allowed stored names of {@code type}, comma separated, for error messages. */
    static <E extends Enum<E> & StoredName> String allowed(Class<E> type) {
        return StoredNames.of(type).allowed();
    }
}
