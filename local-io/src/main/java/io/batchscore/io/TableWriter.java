package io.batchscore.io;

import io.batchscore.core.column.ColumnBatch;
import java.io.Closeable;
import java.io.IOException;

/** Writes scored batches to a local file. */
public interface TableWriter extends Closeable {
  void write(ColumnBatch batch) throws IOException;
}
