package io.batchscore.core;

import io.batchscore.core.column.ColumnBatch;
import java.util.List;

/**
 * The result of scoring a batch: the passthrough and prediction columns for the rows that were
 * scored, which input rows those are, and the rows rejected under the {@code skip} policy.
 */
public final class ScoreResult {
  private final int rowsIn;
  private final ColumnBatch columns;
  private final int[] keptRows;
  private final List<RowRejection> rejections;

  ScoreResult(int rowsIn, ColumnBatch columns, int[] keptRows, List<RowRejection> rejections) {
    this.rowsIn = rowsIn;
    this.columns = columns;
    this.keptRows = keptRows;
    List<RowRejection> sorted = new java.util.ArrayList<>(rejections);
    sorted.sort(java.util.Comparator.comparingInt(RowRejection::row));
    this.rejections = List.copyOf(sorted);
  }

  /** Rows in the batch as given. */
  public int rowsIn() {
    return rowsIn;
  }

  /** Rows scored (= rows in the output). */
  public int rowsScored() {
    return columns.rowCount();
  }

  /** Passthrough columns, then prediction columns, one row per scored input row. */
  public ColumnBatch columns() {
    return columns;
  }

  /**
   * The input row of each output row, or null when every row was scored (output row = input row).
   */
  public int[] keptRows() {
    return keptRows;
  }

  /** The input row of output row {@code i}. */
  public int inputRow(int i) {
    return keptRows == null ? i : keptRows[i];
  }

  public List<RowRejection> rejections() {
    return rejections;
  }
}
