package io.batchscore.io;

import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.InputSchema;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the next batch on a thread of its own while the caller scores and writes the last one, so
 * reading (decompression and decoding, one core) overlaps the rest instead of leaving the other
 * cores idle. Batches, the end, and a failure arrive in the order the reader produced them; a
 * failure is thrown by the {@link #next} call that reaches it, so the rows before it are scored as
 * without read-ahead. At most two batches are held beyond the one being scored.
 *
 * <p>Every batch has the same row count limit, given up front. {@link #close} stops the thread and
 * waits for it; it does not close the wrapped reader, whose owner does.
 */
public final class ReadAhead implements TableReader {
  private static final Object END = new Object();

  private final TableReader reader;
  private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private boolean ended;

  public ReadAhead(TableReader reader, int rowsPerBatch) {
    this.reader = reader;
    this.thread = new Thread(() -> produce(rowsPerBatch), "batchscore-read-ahead");
    thread.setDaemon(true);
    thread.start();
  }

  private void produce(int rows) {
    try {
      while (true) {
        ColumnBatch b;
        try {
          b = reader.next(rows);
        } catch (IOException | RuntimeException | Error e) {
          ready.put(e);
          return;
        }
        ready.put(b == null ? END : b);
        if (b == null) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: stop reading
    }
  }

  @Override
  public InputSchema schema() {
    return reader.schema();
  }

  @Override
  public long totalRows() {
    return reader.totalRows();
  }

  @Override
  public long[] bytesProgress() {
    return reader.bytesProgress();
  }

  /**
   * The next batch the thread read (the row limit was fixed at construction), or null at the end.
   */
  @Override
  public ColumnBatch next(int maxRows) throws IOException {
    if (ended) {
      return null;
    }
    Object o;
    try {
      o = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for input");
    }
    if (o == END) {
      ended = true;
      return null;
    }
    if (o instanceof Throwable t) {
      ended = true;
      rethrow(t);
    }
    return (ColumnBatch) o;
  }

  /**
   * Throws a failure caught on a stage thread as it was: an IOException, unchecked, or an Error.
   */
  static void rethrow(Throwable t) throws IOException {
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    throw (Error) t;
  }

  /** Stops the reading thread and waits for it; the wrapped reader stays open. */
  @Override
  public void close() {
    thread.interrupt();
    join(thread);
  }

  /**
   * Waits for {@code t} to end even if this thread is interrupted meanwhile (the interrupt is kept
   * for the caller): the stage thread still uses its reader or writer until it ends.
   */
  static void join(Thread t) {
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
