package io.batchscore.cli;

import io.batchscore.core.BadInputException;
import io.batchscore.core.BatchScorer;
import io.batchscore.core.RowRejection;
import io.batchscore.core.ScoreResult;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.io.ReadAhead;
import io.batchscore.io.TableReader;
import io.batchscore.io.WriteBehind;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local scoring loop of {@code score} and {@code profile}: the next batch is read on a thread
 * of its own ({@link ReadAhead}) while this one is scored, and the scored batch is written on
 * another ({@link WriteBehind}, which may discard it) while the next is scored.
 */
final class LocalRun {
  private LocalRun() {}

  /** A writer that keeps nothing: for a run that only profiles. */
  static final WriteBehind.Opener DISCARD =
      () ->
          new io.batchscore.io.TableWriter() {
            @Override
            public void write(io.batchscore.core.column.ColumnBatch batch) {}

            @Override
            public void close() {}
          };

  /** What a run read, scored and rejected, and where its time went. */
  record Counts(
      long rowsIn,
      long scored,
      Map<String, Long> rejected,
      long readNanos,
      long scoreNanos,
      long writeNanos) {
    long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Scores every batch of {@code reader} and hands it to {@code behind}; finishes {@code behind}
   * (its writer closed) before returning, and aborts it on a failure.
   *
   * @param inputName the input, for messages that name a bad row
   */
  static Counts run(
      BatchScorer scorer, TableReader reader, WriteBehind behind, Progress bar, String inputName)
      throws IOException {
    long rowsIn = 0;
    long scored = 0;
    Map<String, Long> rejected = new TreeMap<>();
    long read = 0;
    long scoring = 0;
    long write = 0;
    boolean done = false;
    ReadAhead ahead = new ReadAhead(reader, scorer.rowsPerCall());
    try {
      ColumnBatch batch;
      long t0 = System.nanoTime();
      while ((batch = ahead.next(scorer.rowsPerCall())) != null) {
        long t1 = System.nanoTime();
        ScoreResult r;
        try {
          r = scorer.score(batch);
        } catch (BadInputException e) {
          throw e.withRowOffset(rowsIn, "input " + inputName + ", rows counted from 0");
        }
        long t2 = System.nanoTime();
        behind.write(r.columns());
        long t3 = System.nanoTime();
        read += t1 - t0;
        scoring += t2 - t1;
        write += t3 - t2;
        t0 = t3;
        for (RowRejection rj : r.rejections()) {
          rejected.merge(rj.reason() + ":" + rj.column(), 1L, Long::sum);
        }
        rowsIn += batch.rowCount();
        scored += r.rowsScored();
        bar.update(rowsIn);
      }
      long t1 = System.nanoTime();
      read += t1 - t0;
      // Closes the writer, which flushes the last row group: a failure here must not leave a
      // partial file either.
      behind.finish();
      write += System.nanoTime() - t1;
      done = true;
    } finally {
      ahead.close();
      bar.clear();
      if (!done) {
        behind.abort();
      }
    }
    return new Counts(rowsIn, scored, rejected, read, scoring, write);
  }
}
