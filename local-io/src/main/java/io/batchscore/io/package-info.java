/**
 * Local tabular I/O without Spark: {@link io.batchscore.io.TableReader}s of Parquet (a file or a
 * folder of part files; only the selected columns decoded, a page at a time for flat numbers) and
 * CSV (FastCSV), {@link io.batchscore.io.TableWriter}s of both, and the read-ahead and write-behind
 * threads that overlap them with scoring. Batches are scoring-core's {@code ColumnBatch}es. Bad
 * files are {@code BadInputException}s naming the file, and where it applies the row group, column
 * and line. Knows nothing of Spark or the command line.
 */
package io.batchscore.io;
