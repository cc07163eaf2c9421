package io.batchscore.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one call's chunks on several lanes at once: each lane (the calling thread, and one pooled
 * daemon thread per further lane) takes the next chunk from a shared counter, runs it, and writes
 * its result.
 *
 * <ul>
 *   <li><b>Order.</b> With {@code inOrder}, results are written in chunk order: a lane that has run
 *       chunk {@code c} waits until chunk {@code c - 1} is written, and takes no other chunk before
 *       its own is written (its result lives in the lane's buffers until then). So the writers see
 *       exactly the calls one lane would make. Without it, each lane writes as soon as its chunk
 *       has run (for writers that place every row at its own position).
 *   <li><b>Failures.</b> The first failure in chunk order is the one thrown, as it would be one
 *       chunk at a time; every lane stops taking chunks once one fails. A call that returns null
 *       gives the whole run up ({@link #run} returns false).
 *   <li><b>Quiet return.</b> {@link #run} returns only when no lane is still working, so the caller
 *       may reuse the lanes' state at once.
 * </ul>
 *
 * @param <L> a lane's state
 * @param <R> a chunk's result
 */
final class ChunkScheduler<L, R> implements AutoCloseable {
  /** Runs chunk {@code c} on a lane; null gives the run up. */
  interface Call<L, R> {
    R call(L lane, int chunk) throws Exception;
  }

  /** Writes chunk {@code c}'s result. */
  interface Write<R> {
    void write(R result, int chunk);
  }

  private final List<L> lanes;
  private final String threadName;
  private ExecutorService pool;

  ChunkScheduler(List<L> lanes, String threadName) {
    this.lanes = List.copyOf(lanes);
    this.threadName = threadName;
  }

  /**
   * Runs chunks {@code 0..count-1}. Returns true when every chunk was written, false when a call
   * gave the run up. Throws the first failure in chunk order: unchecked ones as they are, others
   * through {@code wrap}.
   */
  boolean run(
      int count,
      boolean inOrder,
      Call<L, R> call,
      Write<R> write,
      Function<Throwable, RuntimeException> wrap) {
    int extra = Math.min(lanes.size(), count) - 1;
    if (extra <= 0) {
      for (int c = 0; c < count; c++) {
        R r;
        try {
          r = call.call(lanes.get(0), c);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw wrap.apply(e);
        }
        if (r == null) {
          return false;
        }
        write.write(r, c);
      }
      return true;
    }
    Run run = new Run(count, inOrder, call, write);
    List<Future<?>> helpers = new ArrayList<>(extra);
    for (int l = 1; l <= extra; l++) {
      L lane = lanes.get(l);
      helpers.add(pool().submit(() -> run.work(lane)));
    }
    run.work(lanes.get(0));
    boolean interrupted = false;
    for (Future<?> f : helpers) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          // The lanes still use their state: wait for them, then report the interrupt.
          interrupted = true;
          run.fail(-1, new ScoringException("interrupted while scoring", e));
        } catch (ExecutionException e) {
          run.fail(Integer.MAX_VALUE - 1, e.getCause());
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable failure = run.failure();
    if (failure == GIVEN_UP) {
      return false;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw wrap.apply(failure);
    }
    return true;
  }

  /** Marks a run a call gave up. */
  private static final RuntimeException GIVEN_UP =
      new RuntimeException("given up", null, false, false) {};

  /** One call's chunks, shared by its lanes. */
  private final class Run {
    private final int count;
    private final boolean inOrder;
    private final Call<L, R> call;
    private final Write<R> write;
    private final AtomicInteger next = new AtomicInteger();

    /** written[c] completes once chunk c is written (with inOrder); exceptionally once stopped. */
    private final CompletableFuture<?>[] written;

    private volatile boolean stop;
    private int failedChunk = Integer.MAX_VALUE; // guarded by this
    private Throwable failure; // guarded by this

    Run(int count, boolean inOrder, Call<L, R> call, Write<R> write) {
      this.count = count;
      this.inOrder = inOrder;
      this.call = call;
      this.write = write;
      this.written = new CompletableFuture<?>[inOrder ? count : 0];
      for (int c = 0; c < written.length; c++) {
        written[c] = new CompletableFuture<>();
      }
    }

    /** A lane's loop: take the next chunk, run it, write it in its turn. */
    void work(L lane) {
      while (!stop) {
        int c = next.getAndIncrement();
        if (c >= count) {
          return;
        }
        try {
          R r = call.call(lane, c);
          if (r == null) {
            fail(c, GIVEN_UP);
            return;
          }
          if (inOrder && c > 0) {
            written[c - 1].get(); // completed exceptionally, and so throws, once the run stops
          }
          if (stop) {
            return;
          }
          write.write(r, c);
          if (inOrder) {
            written[c].complete(null);
          }
        } catch (ExecutionException stopped) {
          return;
        } catch (InterruptedException e) {
          fail(c, new ScoringException("interrupted while scoring", e));
          return;
        } catch (Throwable t) {
          fail(c, t);
          return;
        }
      }
    }

    /** Records a failure (the earliest chunk's wins) and stops every lane. */
    synchronized void fail(int chunk, Throwable t) {
      if (chunk < failedChunk) {
        failedChunk = chunk;
        failure = t;
      }
      stop = true;
      for (CompletableFuture<?> f : written) {
        f.completeExceptionally(STOPPED);
      }
    }

    synchronized Throwable failure() {
      return failure;
    }
  }

  /** How a waiting lane learns the run stopped. */
  private static final RuntimeException STOPPED =
      new RuntimeException("stopped", null, false, false) {};

  /** The helper lanes' threads (daemon: an unclosed scorer does not keep the JVM alive). */
  private synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger id = new AtomicInteger(1);
      pool =
          Executors.newFixedThreadPool(
              lanes.size() - 1,
              r -> {
                Thread t = new Thread(r, threadName + "-" + id.getAndIncrement());
                t.setDaemon(true);
                return t;
              });
    }
    return pool;
  }

  /** Stops the helper threads. */
  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
