package io.batchscore.spark.job;

import io.batchscore.core.spec.SpecException;
import java.io.IOException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where a run's predictions go: a dated folder ({@link DatedOutput}, staged and renamed into place)
 * or a catalog table ({@link TableOutput}, committed by the table's format).
 */
interface RunOutput {
  /** Repairs and checks what is there (error-if-exists); before the run reads any data. */
  void prepare(WriteMode mode) throws IOException, SpecException;

  /** The scored rows as the output takes them; refuses rows that do not fit, before scoring. */
  Dataset<Row> shape(Dataset<Row> scored) throws SpecException;

  /** Whether {@link #write} makes the rows visible itself (a table's commit). */
  boolean commitsOnWrite();

  /** Scores and writes the rows: to staging for a folder, in one commit for a table. */
  void write(Dataset<Row> rows, WriteMode mode) throws IOException;

  /** The rows the run wrote, as a reader of the output will count them. */
  long rowsWritten() throws IOException;

  /** Makes the written rows visible (a folder's rename); nothing for a table. */
  void commit(WriteMode mode) throws IOException;

  /** Removes what a failed run wrote; the previous output is untouched. */
  void abort();

  /** The output as reports name it: the date's folder, or the table and the date. */
  String location();
}
