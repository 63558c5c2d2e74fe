package com.timether.platform.error;

/** A request that the domain refuses; its message says what to change and is safe to show the caller. */
public final class DomainException extends RuntimeException {

    /** The broad kind of refusal; tools answer it as an isError result, pages with its HTTP status. */
    public enum Kind {
        INVALID(400),
        NOT_FOUND(404),
        CONFLICT(409),
        FORBIDDEN(403);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status a page answers this refusal with. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DomainException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The kind of refusal. */
    public Kind kind() {
        return kind;
    }

    /** A field whose value is not allowed. */
    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID, message);
    }

    /** Something that does not exist, or that the caller may not know exists. */
    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    /** A request that clashes with the current state. */
    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    /** An action this person may not take. */
    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, message);
    }
}
