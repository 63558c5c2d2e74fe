package com.timether.platform.db;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Runs the keyed lookups of concurrent callers together, so that many callers share one database round trip.
 *
 * <p>A caller queues its key. If fewer than {@code maxInFlight} lookups are running, it takes the queue (its own key
 * and whatever else waits, up to {@code maxBatch} keys) and runs one lookup for all of it; otherwise it waits. When a
 * lookup ends, the caller that ran it hands the next batch to the caller at the head of the queue and returns, so no
 * caller runs lookups for others longer than one batch. A lookup always starts after every key in it was queued, so
 * each caller sees data at least as fresh as its call: coalescing never serves an answer read before the call began.
 * A single caller on an idle coalescer runs its lookup at once, without waiting for company.
 *
 * @param <K> the key; equal keys in one batch are looked up once
 * @param <V> the answer for one key; a key the lookup leaves out of its map is answered with {@code null}
 */
public final class Coalescer<K, V> {
    private final Function<Set<K>, Map<K, V>> lookup;
    private final int maxBatch;
    private final Semaphore inFlight;
    private final ConcurrentLinkedQueue<Call<K, V>> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param lookup answers a set of keys at once; it runs on a caller's thread
     * @param maxInFlight how many lookups may run at the same time
     * @param maxBatch the most keys one lookup is given
     */
    public Coalescer(Function<Set<K>, Map<K, V>> lookup, int maxInFlight, int maxBatch) {
        if (maxInFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException(
                    "maxInFlight and maxBatch must be at least 1; got " + maxInFlight + " and " + maxBatch);
        }
        this.lookup = lookup;
        this.maxBatch = maxBatch;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * The answer for {@code key}, from a lookup that started after this call did.
     *
     * @throws RuntimeException what the lookup threw, for every caller in its batch
     */
    public V get(K key) {
        Call<K, V> call = new Call<>(key, Thread.currentThread());
        queue.add(call);
        if (inFlight.tryAcquire()) {
            lead(queue.poll());
        }
        boolean isInterrupted = false;
        while (!call.isDone()) {
            if (call.promoted) {
                call.promoted = false;
                lead(call);
                continue;
            }
            LockSupport.park(this);
            // A waiter keeps waiting when interrupted: leaving would strand the batch handed to it.
            isInterrupted |= Thread.interrupted();
        }
        if (isInterrupted) {
            Thread.currentThread().interrupt();
        }
        return call.answer();
    }

    /** How many calls wait for a lookup to take them; counts the queue, so for tests and diagnostics only. */
    int queued() {
        return queue.size();
    }

    /** Runs one batch headed by {@code first} (null when others took the queue), holding a permit, then hands on. */
    private void lead(Call<K, V> first) {
        try {
            if (first != null) {
                run(first);
            }
        } finally {
            inFlight.release();
            handOn();
        }
    }

    private void run(Call<K, V> first) {
        List<Call<K, V>> batch = new ArrayList<>();
        Set<K> keys = new LinkedHashSet<>();
        batch.add(first);
        keys.add(first.key);
        Call<K, V> next;
        while (keys.size() < maxBatch && (next = queue.poll()) != null) {
            batch.add(next);
            keys.add(next.key);
        }
        Map<K, V> answers;
        try {
            answers = lookup.apply(keys);
        } catch (RuntimeException | Error e) {
            // Not thrown here: the caller running this batch may have its own key in another batch, and every
            // caller in this one learns of the failure from its own call.
            for (Call<K, V> call : batch) {
                call.fail(e);
            }
            return;
        }
        for (Call<K, V> call : batch) {
            call.answer(answers.get(call.key));
        }
    }

    /**
     * Gives a free permit to the caller at the head of the queue. The queue is read again after every release, so a
     * caller that queued while all permits were taken is never left waiting with no lookup to come.
     */
    private void handOn() {
        while (!queue.isEmpty() && inFlight.tryAcquire()) {
            Call<K, V> next = queue.poll();
            if (next != null) {
                next.promoted = true;
                LockSupport.unpark(next.thread);
                return;
            }
            inFlight.release();
        }
    }

    private static final class Call<K, V> {
        private static final Object PENDING = new Object();

        final K key;
        final Thread thread;
        /** Set by the caller that hands this one a permit: it is to run the next batch itself. */
        volatile boolean promoted;

        private volatile Object outcome = PENDING;

        Call(K key, Thread thread) {
            this.key = key;
            this.thread = thread;
        }

        boolean isDone() {
            return outcome != PENDING;
        }

        void answer(V value) {
            outcome = new Answer<>(value);
            LockSupport.unpark(thread);
        }

        void fail(Throwable cause) {
            outcome = new Failure(cause);
            LockSupport.unpark(thread);
        }

        @SuppressWarnings("unchecked")
        V answer() {
            return switch (outcome) {
                case Answer<?> a -> (V) a.value();
                case Failure f when f.cause() instanceof RuntimeException e -> throw e;
                case Failure f when f.cause() instanceof Error e -> throw e;
                default -> throw new IllegalStateException("no outcome for a finished call: " + outcome);
            };
        }
    }

    private record Answer<V>(V value) {}

    private record Failure(Throwable cause) {}
}
