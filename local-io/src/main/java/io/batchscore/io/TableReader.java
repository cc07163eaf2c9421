package io.batchscore.io;

import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.column.InputSchema;
import java.io.Closeable;
import java.io.IOException;

/** Reads a local table file in batches of columns, holding one batch at a time. */
public interface TableReader extends Closeable {
  /** The columns this reader can deliver, known before any row is read. */
  InputSchema schema();

  /** Total rows when known from metadata (Parquet), else -1. */
  long totalRows();

  /**
   * For progress when the rows are not known up front: bytes consumed so far, bytes in all, and the
   * rows those bytes held; -1 where unknown.
   */
  default long[] bytesProgress() {
    return new long[] {-1, -1, -1};
  }

  /** The next batch of at most {@code maxRows} rows of the selected columns, or null at the end. */
  ColumnBatch next(int maxRows) throws IOException;
}
