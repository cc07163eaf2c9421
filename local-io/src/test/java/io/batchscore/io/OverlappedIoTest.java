package io.batchscore.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.InputSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading ahead, writing behind and opening ahead keep the order of batches and of failures, and
 * close what they open.
 */
class OverlappedIoTest {

  private static ColumnBatch batch(long first, int rows) {
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = first + i;
    }
    return ColumnBatch.builder(rows).add("id", Column.ofLongs(ids)).build();
  }

  /**
   * Delivers {@code batches} batches of {@code rows} ids, then fails with {@code failure} (or
   * ends).
   */
  private static TableReader reader(int batches, int rows, IOException failure) {
    return new TableReader() {
      int given;

      @Override
      public InputSchema schema() {
        return InputSchema.builder().build();
      }

      @Override
      public long totalRows() {
        return (long) batches * rows;
      }

      @Override
      public ColumnBatch next(int maxRows) throws IOException {
        assertEquals(rows, maxRows, "the read-ahead asks for the row count it was given");
        if (given == batches) {
          if (failure != null) {
            throw failure;
          }
          return null;
        }
        return batch((long) rows * given++, rows);
      }

      @Override
      public void close() {}
    };
  }

  private static long firstId(ColumnBatch b) {
    return (b.column("id")).getLong(0);
  }

  @Test
  void readAheadDeliversEveryBatchInOrderThenTheEnd() throws Exception {
    ReadAhead ahead = new ReadAhead(reader(50, 10, null), 10);
    try {
      for (int i = 0; i < 50; i++) {
        ColumnBatch b = ahead.next(10);
        assertEquals(10L * i, firstId(b));
      }
      assertNull(ahead.next(10));
      assertNull(ahead.next(10), "the end stays the end");
    } finally {
      ahead.close();
    }
  }

  @Test
  void aReadFailureComesAfterTheBatchesReadBeforeIt() throws Exception {
    IOException bad = new IOException("in.parquet: cannot decode Parquet data");
    ReadAhead ahead = new ReadAhead(reader(3, 5, bad), 5);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(5L * i, firstId(ahead.next(5)));
      }
      assertSame(bad, assertThrows(IOException.class, () -> ahead.next(5)));
    } finally {
      ahead.close();
    }
  }

  @Test
  void closingStopsAReaderThatIsAhead() throws Exception {
    ReadAhead ahead = new ReadAhead(reader(1_000, 10, null), 10);
    ahead.next(10);
    ahead.close();
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.isAlive() && t.getName().equals("batchscore-read-ahead")),
        "the thread ended");
  }

  /** Records the first id of each batch; fails on the batch whose first id is {@code failAt}. */
  private static final class Recording implements TableWriter {
    final List<Long> written = new ArrayList<>();
    final long failAt;
    boolean closed;
    IOException closeFailure;

    Recording(long failAt) {
      this.failAt = failAt;
    }

    @Override
    public void write(ColumnBatch b) throws IOException {
      if (firstId(b) == failAt) {
        throw new IOException("disk full");
      }
      written.add(firstId(b));
    }

    @Override
    public void close() throws IOException {
      closed = true;
      if (closeFailure != null) {
        throw closeFailure;
      }
    }
  }

  @Test
  void writeBehindWritesEveryBatchInOrderBeforeFinishReturns() throws Exception {
    Recording w = new Recording(-1);
    WriteBehind behind = new WriteBehind(() -> w);
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      behind.write(batch(7L * i, 7));
      expected.add(7L * i);
    }
    behind.finish();
    assertEquals(expected, w.written);
    assertTrue(w.closed, "finish closes the writer, which completes the file");
  }

  @Test
  void theWriterIsOpenedOnTheWritingThread() throws Exception {
    Recording w = new Recording(-1);
    String[] openedOn = new String[1];
    WriteBehind behind =
        new WriteBehind(
            () -> {
              openedOn[0] = Thread.currentThread().getName();
              return w;
            });
    behind.write(batch(0, 3));
    behind.finish();
    assertEquals("batchscore-write-behind", openedOn[0]);
    assertEquals(List.of(0L), w.written);
  }

  @Test
  void aFailureToOpenTheWriterIsThrownByTheNextWriteOrByFinish() {
    IOException denied = new IOException("out.parquet: permission denied");
    WriteBehind behind =
        new WriteBehind(
            () -> {
              throw denied;
            });
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              for (int i = 0; i < 1_000; i++) {
                behind.write(batch(10L * i, 10));
              }
              behind.finish();
            });
    assertSame(denied, e);
    behind.abort(); // nothing was opened: nothing to close, and no error of its own
  }

  @Test
  void aFailureToCloseTheWriterIsThrownByFinish() throws Exception {
    Recording w = new Recording(-1);
    w.closeFailure = new IOException("disk full while flushing the last row group");
    WriteBehind behind = new WriteBehind(() -> w);
    behind.write(batch(0, 3));
    assertSame(w.closeFailure, assertThrows(IOException.class, behind::finish));
  }

  @Test
  void abortClosesTheWriterAndEndsTheThread() throws Exception {
    Recording w = new Recording(-1);
    WriteBehind behind = new WriteBehind(() -> w);
    behind.write(batch(0, 3));
    behind.abort();
    assertTrue(w.closed);
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.isAlive() && t.getName().equals("batchscore-write-behind")),
        "the thread ended");
  }

  @Test
  void openAheadHandsOverWhatItOpenedOrThrowsItsFailureAsThrown() throws Exception {
    Recording w = new Recording(-1);
    assertSame(w, OpenAhead.start("t", () -> w).take());
    IOException missing = new IOException("in.parquet: input file not found");
    OpenAhead<Recording> failing =
        OpenAhead.start(
            "t",
            () -> {
              throw missing;
            });
    assertSame(missing, assertThrows(IOException.class, failing::take));
    IllegalStateException bug = new IllegalStateException("bug");
    OpenAhead<Recording> unchecked =
        OpenAhead.start(
            "t",
            () -> {
              throw bug;
            });
    assertSame(bug, assertThrows(IllegalStateException.class, unchecked::take));
  }

  @Test
  void discardClosesWhatWasOpenedButNeverTaken() throws Exception {
    Recording untaken = new Recording(-1);
    OpenAhead.start("t", () -> untaken).discard();
    assertTrue(untaken.closed, "an input opened while the model failed is closed, not leaked");
    Recording taken = new Recording(-1);
    OpenAhead<Recording> o = OpenAhead.start("t", () -> taken);
    o.take();
    o.discard();
    assertTrue(!taken.closed, "once taken, the caller owns it");
    OpenAhead.start(
            "t",
            () -> {
              throw new IOException("in.parquet: input file not found");
            })
        .discard(); // the caller's own error is the one reported: discard stays quiet
  }

  @Test
  void aWriteFailureIsThrownToTheCallerAndNothingAfterItIsWritten() throws Exception {
    Recording w = new Recording(30);
    WriteBehind behind = new WriteBehind(() -> w);
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              for (int i = 0; i < 1_000; i++) {
                behind.write(batch(10L * i, 10));
              }
              behind.finish();
            });
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of(0L, 10L, 20L), w.written);
    assertThrows(IOException.class, behind::finish, "finish reports it too");
  }
}
