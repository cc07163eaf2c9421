package io.batchscore.spark.job;

import java.io.IOException;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run date's partition under an output root, replaced as a whole. A run writes into a hidden
 * staging folder ({@code _staging/}, ignored by Spark and Parquet readers) and only then moves it
 * into place:
 *
 * <ul>
 *   <li>overwrite: the old partition is renamed into {@code _trash/}, the staged one renamed into
 *       place, the old one deleted. A crash between the two renames is repaired by the next run of
 *       that date, which moves the old partition back before it starts.
 *   <li>append: the staged files are moved into the partition.
 *   <li>error-if-exists: the run stops before reading any data if the partition exists.
 * </ul>
 *
 * On HDFS and local file systems a rename is atomic, so a reader sees the old partition or the new
 * one, never part of one (during the instant between the two renames the date is absent). Object
 * stores without atomic rename (S3) do not give this guarantee.
 */
public final class DatedOutput implements RunOutput {
  private static final Logger LOG = LoggerFactory.getLogger(DatedOutput.class);

  private final FileSystem fs;
  private final Path root;
  private final String partitionName;
  private final Path staging;
  private final SparkSession spark;

  public DatedOutput(FileSystem fs, Path root, LocalDate date) {
    this(null, fs, root, date);
  }

  /** An output whose {@link #write} and {@link #rowsWritten} run in {@code spark}. */
  DatedOutput(SparkSession spark, FileSystem fs, Path root, LocalDate date) {
    this.spark = spark;
    this.fs = fs;
    this.root = root;
    this.partitionName = "run_date=" + date;
    this.staging = new Path(root, "_staging/" + partitionName + "." + UUID.randomUUID());
  }

  public Path partition() {
    return new Path(root, partitionName);
  }

  public Path staging() {
    return staging;
  }

  @Override
  public String location() {
    return partition().toString();
  }

  @Override
  public Dataset<Row> shape(Dataset<Row> scored) {
    return scored;
  }

  @Override
  public boolean commitsOnWrite() {
    return false;
  }

  /** Writes the rows into the staging folder. */
  @Override
  public void write(Dataset<Row> rows, WriteMode mode) {
    rows.write().mode(SaveMode.Overwrite).parquet(staging.toString());
  }

  /** Rows written, from the staged Parquet footers (no column is decoded). */
  @Override
  public long rowsWritten() throws IOException {
    return WrittenRows.count(spark, fs, staging);
  }

  /** Repairs an interrupted commit and applies error-if-exists; call before any work. */
  @Override
  public void prepare(WriteMode mode) throws IOException {
    Path part = partition();
    Path trash = new Path(root, "_trash");
    if (!fs.exists(part) && fs.exists(trash)) {
      for (FileStatus s : fs.listStatus(trash)) {
        if (s.getPath().getName().startsWith(partitionName + ".")) {
          LOG.warn("restoring {} from an interrupted run ({})", part, s.getPath());
          fs.rename(s.getPath(), part);
          break;
        }
      }
    }
    Path stagingRoot = new Path(root, "_staging");
    if (fs.exists(stagingRoot)) {
      for (FileStatus s : fs.listStatus(stagingRoot)) {
        if (s.getPath().getName().startsWith(partitionName + ".")) {
          LOG.warn("removing staging left by an earlier failed run: {}", s.getPath());
          fs.delete(s.getPath(), true);
        }
      }
    }
    if (mode == WriteMode.ERROR_IF_EXISTS && fs.exists(part)) {
      throw new OutputConflictException(
          "output partition " + part + " exists and --mode is error-if-exists");
    }
  }

  /** Moves the staged partition into place. */
  @Override
  public void commit(WriteMode mode) throws IOException {
    Path part = partition();
    if (mode == WriteMode.APPEND && fs.exists(part)) {
      for (FileStatus f : fs.listStatus(staging)) {
        String name = f.getPath().getName();
        if (name.startsWith("part-")) {
          rename(f.getPath(), new Path(part, name));
        }
      }
      fs.delete(staging, true);
      return;
    }
    if (mode == WriteMode.ERROR_IF_EXISTS && fs.exists(part)) {
      throw new OutputConflictException(
          "output partition " + part + " appeared during the run and --mode is error-if-exists");
    }
    Path old = null;
    if (fs.exists(part)) {
      old = new Path(root, "_trash/" + partitionName + "." + UUID.randomUUID());
      fs.mkdirs(old.getParent());
      rename(part, old);
    }
    fs.mkdirs(root);
    rename(staging, part);
    if (old != null) {
      fs.delete(old, true);
    }
    cleanEmpty(new Path(root, "_trash"));
    cleanEmpty(new Path(root, "_staging"));
  }

  /** Deletes the staging folder after a failure; the previous output is untouched. */
  @Override
  public void abort() {
    try {
      fs.delete(staging, true);
      cleanEmpty(new Path(root, "_staging"));
    } catch (IOException e) {
      LOG.warn("could not remove staging {}: {}", staging, e.getMessage());
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  private void cleanEmpty(Path dir) throws IOException {
    if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }
}
