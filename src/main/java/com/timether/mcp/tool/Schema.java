package com.timether.mcp.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small builder for the JSON Schema objects tools declare as input and output. */
public final class Schema {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private final Map<String, Entity> ids = new LinkedHashMap<>();
    private final Map<String, Entity> idLists = new LinkedHashMap<>();

    private Schema() {}

    /** An empty object schema. */
    public static Schema object() {
        return new Schema();
    }

    /** A required property. */
    public Schema required(String name, Map<String, Object> property) {
        properties.put(name, property);
        required.add(name);
        return this;
    }

    /** An optional property. */
    public Schema optional(String name, Map<String, Object> property) {
        properties.put(name, property);
        return this;
    }

    /** A required id of a workspace record. */
    public Schema requiredId(String name, Entity entity, String description) {
        ids.put(name, entity);
        return required(name, id(description));
    }

    /** An optional id of a workspace record. */
    public Schema optionalId(String name, Entity entity, String description) {
        ids.put(name, entity);
        return optional(name, id(description));
    }

    /** An optional list of ids of workspace records. */
    public Schema optionalIds(String name, Entity entity, String description) {
        idLists.put(name, entity);
        return optional(name, arrayOf(id("An id"), description));
    }

    /** The id lists this schema takes, by argument name. */
    public Map<String, Entity> idLists() {
        return Map.copyOf(idLists);
    }

    /** The ids this schema takes, by argument name. */
    public Map<String, Entity> ids() {
        return Map.copyOf(ids);
    }

    /**
     * Lets the declared optional properties also take null, which clears the value they name: an update tool's way
     * to say "none" where leaving the argument out keeps the value.
     */
    public Schema clearable(String... names) {
        for (String name : names) {
            @SuppressWarnings("unchecked")
            Map<String, Object> declared = (Map<String, Object>) properties.get(name);
            Map<String, Object> property = new LinkedHashMap<>(declared);
            property.put("type", List.of(property.get("type"), "null"));
            property.put("description", property.get("description") + "; null clears it");
            properties.put(name, property);
        }
        return this;
    }

    /** The schema as a JSON-ready map. */
    public Map<String, Object> toMap() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new LinkedHashMap<>(properties));
        if (!required.isEmpty()) {
            schema.put("required", List.copyOf(required));
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    /** A string property of at most {@code max} characters. */
    public static Map<String, Object> string(String description, int max) {
        return Map.of("type", "string", "description", description, "maxLength", max);
    }

    /** A string property limited to {@code values}. */
    public static Map<String, Object> oneOf(String description, List<String> values) {
        return Map.of("type", "string", "description", description, "enum", values);
    }

    /** An integer property within bounds. */
    public static Map<String, Object> integer(String description, long min, long max) {
        return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
    }

    /** A boolean property. */
    public static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    /** A UUID string property. */
    public static Map<String, Object> id(String description) {
        return Map.of("type", "string", "format", "uuid", "description", description);
    }

    /** An array of items described by {@code item}. */
    public static Map<String, Object> arrayOf(Map<String, Object> item, String description) {
        return Map.of("type", "array", "description", description, "items", item);
    }

    /** A nullable property of any JSON type, for output schemas. */
    public static Map<String, Object> any(String description) {
        return Map.of("description", description);
    }

    /** A string property that may be null, for output schemas. */
    public static Map<String, Object> nullableString(String description) {
        return Map.of("type", List.of("string", "null"), "description", description);
    }

    /** An integer property that may be null, for output schemas. */
    public static Map<String, Object> nullableInteger(String description) {
        return Map.of("type", List.of("integer", "null"), "description", description);
    }

    /** An integer property, for output schemas. */
    public static Map<String, Object> number(String description) {
        return Map.of("type", "integer", "description", description);
    }
}
