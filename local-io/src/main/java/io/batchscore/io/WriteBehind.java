package io.batchscore.io;

import io.batchscore.core.column.ColumnBatch;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Opens a writer, writes batches to it and closes it, all on a thread of its own, in the order
 * given, while the caller reads and scores the next batch. Opening the writer (Parquet's write path
 * is a few hundred classes) overlaps the first batch's read and score instead of delaying them.
 *
 * <p>A failure (opening, writing or closing) is thrown by the next {@link #write} or by {@link
 * #finish}; after one, nothing more is written. At most one batch waits beyond the one being
 * written. {@link #finish} returns once every batch is written and the writer closed (closing
 * flushes the last row group, so only then is the output complete); {@link #abort} stops the thread
 * and closes the writer without reporting its errors (the caller already has one and deletes the
 * output).
 */
public final class WriteBehind {
  /** Opens the writer; called once, on the writing thread. */
  @FunctionalInterface
  public interface Opener {
    TableWriter open() throws IOException;
  }

  private static final ColumnBatch END = ColumnBatch.builder(0).build();

  private final Opener opener;
  private final BlockingQueue<ColumnBatch> queue = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private volatile Throwable failure;

  /** Set by the thread; read by {@link #abort} only after the thread has ended. */
  private TableWriter writer;

  public WriteBehind(Opener opener) {
    this.opener = opener;
    this.thread = new Thread(this::consume, "batchscore-write-behind");
    thread.setDaemon(true);
    thread.start();
  }

  private void consume() {
    try {
      writer = opener.open();
      while (true) {
        ColumnBatch b = queue.take();
        if (b == END) {
          TableWriter w = writer;
          writer = null;
          w.close();
          return;
        }
        writer.write(b);
      }
    } catch (InterruptedException e) {
      // aborted
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      queue.clear(); // unblock a caller waiting to put
    }
  }

  /** Queues a batch; throws the failure of an earlier step, if any. */
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

  /** Waits until every queued batch is written and the writer closed; throws any failure. */
  public void finish() throws IOException {
    write(END);
    ReadAhead.join(thread);
    rethrow();
  }

  /**
   * Stops writing (after a failure elsewhere), waits for the thread, and closes the writer quietly.
   */
  public void abort() {
    thread.interrupt();
    ReadAhead.join(thread);
    TableWriter w = writer;
    writer = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException | RuntimeException e) {
        // the run already failed; its own error is the one to report
      }
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t != null) {
      ReadAhead.rethrow(t);
    }
  }
}
