package com.timether.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A caller stranded in the queue parks for good; a separate thread turns that into a failure rather than a hang.
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoalescerTest {

    @Test
    void get_aloneOnAnIdleCoalescer_runsItsOwnLookupAtOnce() {
        List<Set<Integer>> batches = new ArrayList<>();
        Coalescer<Integer, String> coalescer = new Coalescer<>(
                keys -> {
                    batches.add(Set.copyOf(keys));
                    return answers(keys);
                },
                1,
                16);

        assertThat(coalescer.get(7)).isEqualTo("answer 7");
        assertThat(coalescer.get(8)).isEqualTo("answer 8");
        assertThat(batches).containsExactly(Set.of(7), Set.of(8));
    }

    @Test
    void get_whileALookupRuns_waitsAndSharesTheNextLookup() throws Exception {
        HeldFirst lookup = new HeldFirst(CoalescerTest::answers);
        Coalescer<Integer, String> coalescer = new Coalescer<>(lookup, 1, 16);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = lookup.startFirst(threads, coalescer);
            List<Future<String>> waiting = new ArrayList<>();
            for (int key = 1; key <= 5; key++) {
                int k = key;
                waiting.add(threads.submit(() -> coalescer.get(k)));
            }
            lookup.releaseOnce(coalescer, 5);

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer 0");
            for (int key = 1; key <= 5; key++) {
                assertThat(waiting.get(key - 1).get(10, TimeUnit.SECONDS)).isEqualTo("answer " + key);
            }
        }
        assertThat(lookup.batches).containsExactly(Set.of(0), Set.of(1, 2, 3, 4, 5));
    }

    @Test
    void get_sameKeyTwiceInABatch_looksItUpOnce() throws Exception {
        HeldFirst lookup = new HeldFirst(CoalescerTest::answers);
        Coalescer<Integer, String> coalescer = new Coalescer<>(lookup, 1, 16);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = lookup.startFirst(threads, coalescer);
            Future<String> a = threads.submit(() -> coalescer.get(3));
            Future<String> b = threads.submit(() -> coalescer.get(3));
            lookup.releaseOnce(coalescer, 2);

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer 0");
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("answer 3");
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("answer 3");
        }
        assertThat(lookup.batches).containsExactly(Set.of(0), Set.of(3));
    }

    @Test
    void get_keyTheLookupLeavesOut_isAnsweredWithNull() {
        Coalescer<Integer, String> coalescer = new Coalescer<>(keys -> Map.of(), 1, 16);

        assertThat(coalescer.get(1)).isNull();
    }

    @Test
    void get_lookupFails_everyCallerInTheBatchGetsTheFailureAndTheNextLookupRuns() throws Exception {
        HeldFirst lookup = new HeldFirst(keys -> {
            if (keys.contains(99)) {
                throw new IllegalStateException("database down for keys " + keys);
            }
            return answers(keys);
        });
        Coalescer<Integer, String> coalescer = new Coalescer<>(lookup, 1, 16);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> first = lookup.startFirst(threads, coalescer);
            Future<String> doomed = threads.submit(() -> coalescer.get(99));
            Future<String> companion = threads.submit(() -> coalescer.get(5));
            lookup.releaseOnce(coalescer, 2);

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer 0");
            for (Future<String> failed : List.of(doomed, companion)) {
                assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("database down for keys")
                        .hasMessageContaining("99")
                        .hasMessageContaining("5");
            }
        }
        assertThat(coalescer.get(6)).isEqualTo("answer 6");
    }

    @Test
    void get_manyCallersAgainstFewPermits_everyCallerGetsItsOwnAnswerAndNoneIsStranded() throws Exception {
        int callers = 64;
        int callsEach = 500;
        int maxInFlight = 2;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Map<Integer, Integer> batchSizes = new ConcurrentHashMap<>();
        Coalescer<Integer, String> coalescer = new Coalescer<>(
                keys -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    batchSizes.merge(keys.size(), 1, Integer::sum);
                    Thread.onSpinWait();
                    running.decrementAndGet();
                    return answers(keys);
                },
                maxInFlight,
                8);

        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < callers; caller++) {
                int key = caller;
                results.add(threads.submit(() -> {
                    int right = 0;
                    for (int i = 0; i < callsEach; i++) {
                        if (("answer " + key).equals(coalescer.get(key))) {
                            right++;
                        }
                    }
                    return right;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(callsEach);
            }
        }
        assertThat(mostRunning.get()).isBetween(1, maxInFlight);
        assertThat(batchSizes.keySet()).allSatisfy(size -> assertThat(size).isBetween(1, 8));
    }

    @Test
    void new_withoutPermitsOrBatchRoom_isRefused() {
        assertThatThrownBy(() -> new Coalescer<Integer, String>(CoalescerTest::answers, 0, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInFlight and maxBatch must be at least 1; got 0 and 8");
    }

    /**
     * A lookup that records every batch and holds the one for key 0 until released, so that calls made meanwhile
     * queue behind it; other batches get {@code then}'s answer.
     */
    private static final class HeldFirst implements Function<Set<Integer>, Map<Integer, String>> {
        final List<Set<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final Function<Set<Integer>, Map<Integer, String>> then;

        HeldFirst(Function<Set<Integer>, Map<Integer, String>> then) {
            this.then = then;
        }

        @Override
        public Map<Integer, String> apply(Set<Integer> keys) {
            batches.add(Set.copyOf(keys));
            if (keys.contains(0)) {
                started.countDown();
                await(released);
                return answers(keys);
            }
            return then.apply(keys);
        }

        /** Calls for key 0 on a thread of its own and returns once its lookup is running. */
        Future<String> startFirst(ExecutorService threads, Coalescer<Integer, String> coalescer) throws Exception {
            Future<String> first = threads.submit(() -> coalescer.get(0));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            return first;
        }

        /** Lets the held lookup end once {@code queued} calls wait behind it. */
        void releaseOnce(Coalescer<?, ?> coalescer, int queued) throws InterruptedException {
            waitUntilQueued(coalescer, queued);
            released.countDown();
        }
    }

    private static Map<Integer, String> answers(Set<Integer> keys) {
        Map<Integer, String> answers = new HashMap<>();
        for (Integer key : keys) {
            answers.put(key, "answer " + key);
        }
        return answers;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the lookup");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntilQueued(Coalescer<?, ?> coalescer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (coalescer.queued() < count) {
            assertThat(System.nanoTime())
                    .as("callers queued before the deadline")
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
