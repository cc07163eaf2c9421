package io.batchscore.spark.job;

import io.batchscore.core.OutputColumn;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.spec.Challenger;
import io.batchscore.spark.SparkScoring;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The job's {@code --shadow-output}: the shadow challengers' columns, with the spec's passthrough
 * columns and {@code scored_at}, written to their own dated folder from the same scoring pass, so
 * that adding a shadow leaves the published output's columns as they were. The scored rows are
 * persisted (memory, then disk) between the two writes, so the input is read and scored once.
 */
final class ShadowOutput {
  private final Dataset<Row> scored;
  private final List<String> shadowColumns;
  private final List<String> kept;
  private final DatedOutput out;

  private ShadowOutput(
      Dataset<Row> scored, List<String> shadowColumns, List<String> kept, DatedOutput out) {
    this.scored = scored;
    this.shadowColumns = shadowColumns;
    this.kept = kept;
    this.out = out;
  }

  /** The columns the spec's shadows write, as published (under their prefixes). */
  static List<String> shadowColumns(ScoringPlan plan) {
    List<String> out = new ArrayList<>();
    List<Challenger> cs = plan.spec().challengers();
    for (int i = 0; i < cs.size(); i++) {
      if (cs.get(i).mode() == Challenger.Mode.SHADOW) {
        for (OutputColumn c : plan.challengers().get(i).outputColumns()) {
          out.add(cs.get(i).publishedName(c.name()));
        }
      }
    }
    return out;
  }

  /** Null without {@code --shadow-output}; else the shadows' dated folder, prepared. */
  static ShadowOutput open(JobOptions o, SparkSession spark, SparkScoring.Prepared prepared)
      throws IOException {
    if (o.shadowOutput == null) {
      return null;
    }
    Path root = new Path(o.template(o.shadowOutput));
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    DatedOutput out = new DatedOutput(fs, fs.makeQualified(root), o.runDate());
    out.prepare(o.mode);
    List<String> shadows = shadowColumns(prepared.plan());
    List<String> kept = new ArrayList<>(prepared.plan().passthrough());
    kept.addAll(shadows);
    kept.add("scored_at");
    return new ShadowOutput(
        prepared.scored().persist(StorageLevel.MEMORY_AND_DISK()), shadows, kept, out);
  }

  /** The rows to publish: every column but the shadows'. */
  Dataset<Row> published() {
    return scored.drop(shadowColumns.toArray(new String[0]));
  }

  /** Writes the shadows' columns of the same (persisted) rows to their staging folder. */
  void write() {
    List<Column> cols = new ArrayList<>();
    for (String c : kept) {
      cols.add(functions.col("`" + c.replace("`", "``") + "`"));
    }
    scored
        .select(cols.toArray(new Column[0]))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.staging().toString());
  }

  void commit(WriteMode mode) throws IOException {
    out.commit(mode);
  }

  void abort() {
    out.abort();
  }

  /** The date's partition of the shadows' folder. */
  Path partition() {
    return out.partition();
  }

  /** Drops the persisted rows. */
  void release() {
    scored.unpersist(false);
  }
}
