package com.timether.platform.db;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the keyed lookups of concurrent callers together, so that many callers share one database round trip.
 *
 * <p>A caller queues its key and waits. A few worker threads of the coalescer's own each take whatever is queued (up
 * to {@code maxBatch} keys), run one lookup for all of it, answer every caller in the batch, and take the next. A
 * lookup always starts after every key in it was queued, so each caller sees data at least as fresh as its call:
 * coalescing never serves an answer read before the call began. A lone caller on an idle coalescer is taken at once.
 *
 * <p>The workers are platform threads, not virtual ones: a lookup holds a pooled connection and every caller of its
 * batch waits on it, so its thread must not queue for a carrier behind the callers it is about to answer. Measured in
 * {@code bench/tokens.sh}: at 64 callers on two cores, lookups on the callers' own virtual threads had a p99 of
 * 4.3 ms, on two platform workers 2.5-3.4 ms. The workers are daemon threads that wait for work without using CPU.
 *
 * @param <K> the key; equal keys in one batch are looked up once
 * @param <V> the answer for one key; a key the lookup leaves out of its map is answered with {@code null}
 */
public final class Coalescer<K, V> {
    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private final Function<Set<K>, Map<K, V>> lookup;
    private final Consumer<Map<K, V>> afterAnswers;
    private final int maxBatch;
    private final LinkedBlockingQueue<Call<K, V>> queue = new LinkedBlockingQueue<>();

    /**
     * @param name names the worker threads
     * @param lookup answers a set of keys at once; it runs on a worker thread
     * @param afterAnswers runs on the same worker with the lookup's answers once every caller of the batch has them,
     *     before the worker takes its next batch: for work the callers need not wait for. What it throws is logged.
     * @param workers how many lookups may run at the same time
     * @param maxBatch the most keys one lookup is given
     */
    public Coalescer(
            String name,
            Function<Set<K>, Map<K, V>> lookup,
            Consumer<Map<K, V>> afterAnswers,
            int workers,
            int maxBatch) {
        if (workers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException(
                    "workers and maxBatch must be at least 1; got " + workers + " and " + maxBatch);
        }
        this.lookup = lookup;
        this.afterAnswers = afterAnswers;
        this.maxBatch = maxBatch;
        for (int i = 1; i <= workers; i++) {
            Thread.ofPlatform().daemon().name(name + "-" + i).start(this::work);
        }
    }

    /** A coalescer with nothing to do after the answers. */
    public Coalescer(String name, Function<Set<K>, Map<K, V>> lookup, int workers, int maxBatch) {
        this(name, lookup, answers -> {}, workers, maxBatch);
    }

    /**
     * The answer for {@code key}, from a lookup that started after this call did.
     *
     * @throws RuntimeException what the lookup threw, for every caller in its batch
     */
    public V get(K key) {
        Call<K, V> call = new Call<>(key, Thread.currentThread());
        queue.add(call);
        boolean isInterrupted = false;
        while (!call.isDone()) {
            LockSupport.park(this);
            // A caller keeps waiting when interrupted: a worker may already hold its key, and answers it in any case.
            isInterrupted |= Thread.interrupted();
        }
        if (isInterrupted) {
            Thread.currentThread().interrupt();
        }
        return call.answer();
    }

    /** How many calls wait for a worker to take them; counts the queue, so for tests and diagnostics only. */
    int queued() {
        return queue.size();
    }

    private void work() {
        List<Call<K, V>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                log.warn(
                        "{} was interrupted and stops; the other workers go on",
                        Thread.currentThread().getName());
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            run(batch);
            batch.clear();
        }
    }

    private void run(List<Call<K, V>> batch) {
        Set<K> keys = new LinkedHashSet<>();
        for (Call<K, V> call : batch) {
            keys.add(call.key);
        }
        Map<K, V> answers;
        try {
            answers = lookup.apply(keys);
        } catch (RuntimeException | Error e) {
            // Every caller in the batch learns of the failure from its own call; the worker goes on to the next.
            for (Call<K, V> call : batch) {
                call.fail(e);
            }
            return;
        }
        for (Call<K, V> call : batch) {
            call.answer(answers.get(call.key));
        }
        try {
            afterAnswers.accept(answers);
        } catch (RuntimeException e) {
            log.warn("the work after a lookup's answers failed; the callers have their answers", e);
        }
    }

    private static final class Call<K, V> {
        private static final Object PENDING = new Object();

        final K key;
        final Thread thread;

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
