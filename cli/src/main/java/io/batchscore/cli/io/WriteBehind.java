package io.batchscore.cli.io;

import io.batchscore.core.column.ColumnBatch;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes batches on a thread of its own, in the order given, while the caller reads and scores
 * the next one. A write failure is thrown by the next {@link #write} or by {@link #finish}; after
 * one, nothing more is written. At most one batch waits beyond the one being written.
 *
 * <p>{@link #finish} waits until every batch is written; {@link #abort} stops the thread. Neither
 * closes the wrapped writer, whose owner does (closing flushes the last row group, which must
 * happen after the last batch and on one thread).
 */
public final class WriteBehind {
  private static final ColumnBatch END = ColumnBatch.builder(0).build();

  private final TableWriter writer;
  private final BlockingQueue<ColumnBatch> queue = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private volatile Throwable failure;

  public WriteBehind(TableWriter writer) {
    this.writer = writer;
    this.thread = new Thread(this::consume, "batchscore-write-behind");
    thread.setDaemon(true);
    thread.start();
  }

  private void consume() {
    try {
      while (true) {
        ColumnBatch b = queue.take();
        if (b == END) {
          return;
        }
        try {
          writer.write(b);
        } catch (IOException | RuntimeException | Error e) {
          failure = e;
          queue.clear(); // unblock a caller waiting to put
          return;
        }
      }
    } catch (InterruptedException e) {
      // aborted
    }
  }

  /** Queues a batch; throws the failure of an earlier write, if any. */
  public void write(ColumnBatch b) throws IOException {
    rethrow();
    try {
      while (!queue.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        rethrow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  /** Waits until every queued batch is written; throws the failure of any write. */
  public void finish() throws IOException {
    write(END);
    ReadAhead.join(thread);
    rethrow();
  }

  /** Stops writing (after a failure elsewhere) and waits for the thread. */
  public void abort() {
    thread.interrupt();
    ReadAhead.join(thread);
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t != null) {
      ReadAhead.rethrow(t);
    }
  }
}
