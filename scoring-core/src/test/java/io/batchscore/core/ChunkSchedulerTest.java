package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Chunks over lanes: the order writers see, the failure thrown, giving up, a quiet return. */
class ChunkSchedulerTest {
  /** A lane: its name, and the chunk whose result it holds until that is written. */
  static final class Lane {
    final String name;
    volatile int holding = -1;

    Lane(String name) {
      this.name = name;
    }
  }

  private static List<Lane> lanes(int n) {
    List<Lane> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Lane("lane " + i));
    }
    return out;
  }

  private static void jitter(Random r) {
    try {
      Thread.sleep(r.nextInt(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void inOrderWritersSeeEveryChunkInOrderAndALaneHoldsOneResultAtATime() {
    for (int laneCount : new int[] {1, 2, 3, 5}) {
      List<Lane> lanes = lanes(laneCount);
      List<Integer> written = Collections.synchronizedList(new ArrayList<>());
      Random random = new Random(laneCount);
      try (ChunkScheduler<Lane, Integer> s = new ChunkScheduler<>(lanes, "test")) {
        for (int round = 0; round < 5; round++) {
          written.clear();
          assertTrue(
              s.run(
                  40,
                  true,
                  (lane, c) -> {
                    assertEquals(
                        -1,
                        lane.holding,
                        lane.name + " took chunk " + c + " before writing " + lane.holding);
                    jitter(random);
                    lane.holding = c;
                    return c;
                  },
                  (r, c) -> {
                    assertEquals(r, c);
                    written.add(c);
                    lanes.stream().filter(l -> l.holding == c).forEach(l -> l.holding = -1);
                  },
                  RuntimeException::new));
          List<Integer> expected = new ArrayList<>();
          for (int c = 0; c < 40; c++) {
            expected.add(c);
          }
          assertEquals(expected, written, laneCount + " lanes");
        }
      }
    }
  }

  @Test
  void positionalWritersSeeEveryChunkOnceOnSeveralLanes() {
    List<Lane> lanes = lanes(3);
    ConcurrentHashMap<Integer, Integer> writes = new ConcurrentHashMap<>();
    CopyOnWriteArrayList<String> threads = new CopyOnWriteArrayList<>();
    Random random = new Random(7);
    try (ChunkScheduler<Lane, Integer> s = new ChunkScheduler<>(lanes, "test")) {
      assertTrue(
          s.run(
              60,
              false,
              (lane, c) -> {
                threads.addIfAbsent(Thread.currentThread().getName());
                jitter(random);
                return c;
              },
              (r, c) -> writes.merge(c, 1, Integer::sum),
              RuntimeException::new));
    }
    assertEquals(60, writes.size());
    assertTrue(writes.values().stream().allMatch(n -> n == 1));
    assertTrue(threads.size() > 1, "ran on more than one thread: " + threads);
  }

  @Test
  void theFailureOfTheEarliestChunkIsTheOneThrownAndEveryLaneStops() {
    List<Lane> lanes = lanes(3);
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException early = new IllegalStateException("chunk 3");
    try (ChunkScheduler<Lane, Integer> s = new ChunkScheduler<>(lanes, "test")) {
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () ->
                  s.run(
                      1000,
                      true,
                      (lane, c) -> {
                        calls.incrementAndGet();
                        if (c == 4) {
                          throw new IllegalStateException("chunk 4"); // fails first in time
                        }
                        if (c == 3) {
                          Thread.sleep(50);
                          throw early;
                        }
                        return c;
                      },
                      (r, c) -> {},
                      RuntimeException::new));
      assertSame(early, thrown);
    }
    assertTrue(calls.get() < 100, "lanes stopped taking chunks: " + calls.get());
  }

  @Test
  void aCheckedFailureIsWrappedAndACallThatGivesUpEndsTheRun() {
    try (ChunkScheduler<Lane, Integer> s = new ChunkScheduler<>(lanes(2), "test")) {
      java.io.IOException io = new java.io.IOException("disk");
      ScoringException e =
          assertThrows(
              ScoringException.class,
              () ->
                  s.run(
                      10,
                      false,
                      (lane, c) -> {
                        if (c == 5) {
                          throw io;
                        }
                        return c;
                      },
                      (r, c) -> {},
                      t -> new ScoringException("wrapped: " + t.getMessage(), t)));
      assertSame(io, e.getCause());
      List<Integer> written = Collections.synchronizedList(new ArrayList<>());
      assertFalse(
          s.run(
              10,
              true,
              (lane, c) -> c == 6 ? null : c,
              (r, c) -> written.add(c),
              RuntimeException::new));
      assertFalse(written.contains(6));
      assertTrue(
          s.run(3, true, (lane, c) -> c, (r, c) -> {}, RuntimeException::new),
          "usable again after");
    }
  }
}
