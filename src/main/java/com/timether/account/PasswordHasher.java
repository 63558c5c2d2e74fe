package com.timether.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Argon2id password hashing at OWASP's recommended minimum cost (19 MiB, two iterations, one lane).
 *
 * <p>Hashing is deliberately expensive, so at most a bounded number of hashes run at once: a flood of
 * sign-ins queues here instead of taking every core from the rest of the server.
 */
public final class PasswordHasher {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final Argon2Function ARGON2 =
            Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, 32, Argon2.ID);

    private final Semaphore slots;
    private final String decoyHash;

    public PasswordHasher() {
        this(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    PasswordHasher(int concurrentHashes) {
        this.slots = new Semaphore(concurrentHashes, true);
        this.decoyHash = hash("timether-decoy-password");
    }

    /** A self-describing Argon2id hash with a random salt. */
    public String hash(String password) {
        return withSlot(
                () -> Password.hash(password).addRandomSalt(16).with(ARGON2).getResult());
    }

    /** Whether {@code password} matches {@code hash}. */
    public boolean matches(String password, String hash) {
        return withSlot(() -> Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash)));
    }

    /** Spends the same work as a real check, so an unknown account cannot be told apart by timing. */
    public void matchDecoy(String password) {
        matches(password, decoyHash);
    }

    private <T> T withSlot(java.util.function.Supplier<T> work) {
        try {
            if (!slots.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new HasherBusyException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HasherBusyException();
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    /** No hashing slot came free in time: the server is flooded with sign-ins. */
    public static final class HasherBusyException extends RuntimeException {
        HasherBusyException() {
            super("Too many sign-ins at once; no password check could start within 10 seconds");
        }
    }
}
