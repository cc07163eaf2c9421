package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.monitor.DriftStatus;
import io.batchscore.core.monitor.ModelComparison;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import io.batchscore.spark.SparkScoring;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dated scoring run: validate, read, score, write to staging, report, move into place. The
 * previous output stays as it was until the new one is complete; on failure the staging folder is
 * removed.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  private static void checkNotCancelled(java.util.function.BooleanSupplier cancelled) {
    if (cancelled.getAsBoolean()) {
      throw new java.util.concurrent.CancellationException(
          "the run was cancelled; nothing was committed");
    }
  }

  public static JobResult run(JobOptions o, SparkSession spark)
      throws SpecException, ModelLoadException, IOException {
    return run(o, spark, () -> false);
  }

  /**
   * Runs the job; {@code cancelled} is asked between its Spark jobs, so a run cancelled (by a
   * stopping scheduler) after its write finished starts no further job and commits nothing: {@code
   * cancelAllJobs} only stops jobs already running, and one submitted while Spark shuts down can
   * hang until its RPC timeout.
   */
  public static JobResult run(
      JobOptions o, SparkSession spark, java.util.function.BooleanSupplier cancelled)
      throws SpecException, ModelLoadException, IOException {
    long start = System.nanoTime();
    Instant started = Instant.now();
    String problem = o.check();
    if (problem != null) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new JobOptions()), problem);
    }
    ScoringSpec spec = ScoringSpec.load(Path.of(o.spec));
    if (o.shadowOutput != null
        && spec.challengers().stream().noneMatch(c -> c.mode() == Challenger.Mode.SHADOW)) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(new JobOptions()),
          "--shadow-output needs a spec with a shadow challenger (challengers: - mode: shadow)");
    }
    SparkContext sc = spark.sparkContext();
    org.apache.hadoop.fs.Path reports = new org.apache.hadoop.fs.Path(o.reportsRoot());
    FileSystem reportsFs = reports.getFileSystem(sc.hadoopConfiguration());
    reports = reportsFs.makeQualified(reports);
    RunOutput out;
    DateLock lock;
    if (o.outputTable != null) {
      // The table's format commits the write; the lock (beside the reports) keeps one run of a
      // date at a time, as for folders.
      out =
          new TableOutput(
              spark, o.template(o.outputTable), TableFormat.parse(o.tableFormat), o.runDate());
      lock = DateLock.acquire(reportsFs, reports, o.runDate());
    } else {
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(o.template(o.output));
      FileSystem fs = root.getFileSystem(sc.hadoopConfiguration());
      root = fs.makeQualified(root);
      out = new DatedOutput(spark, fs, root, o.runDate());
      lock = DateLock.acquire(fs, root, o.runDate());
    }
    try (lock) {
      return run(o, spark, cancelled, spec, out, reportsFs, reports, lock, start, started);
    }
  }

  private static JobResult run(
      JobOptions o,
      SparkSession spark,
      java.util.function.BooleanSupplier cancelled,
      ScoringSpec spec,
      RunOutput out,
      FileSystem fs,
      org.apache.hadoop.fs.Path reports,
      DateLock lock,
      long start,
      Instant started)
      throws SpecException, ModelLoadException, IOException {
    String date = o.runDate().toString();
    SparkContext sc = spark.sparkContext();
    out.prepare(o.mode);
    if (o.runsTable != null) {
      RunsTable.check(spark, o.template(o.runsTable), TableFormat.parse(o.tableFormat));
    }

    String label = "batchscore " + spec.name() + " run_date=" + date;
    sc.setJobGroup("batchscore-" + spec.name() + "-" + date, label, false);
    RunMonitor monitor = RunMonitor.open(fs, reports, spec, o.runDate());
    sc.setJobDescription(label + ": read input schema");
    Dataset<Row> input = read(spark, o, spec);
    long planning = System.nanoTime();
    SparkScoring.Prepared prepared =
        SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB);
    double driverSetupMillis = (System.nanoTime() - planning) / 1e6;
    monitor.check(prepared.plan());
    String what = label + " (" + spec.name() + " v" + prepared.plan().modelVersion() + ")";
    ShadowOutput shadows = ShadowOutput.open(o, spark, prepared);
    try {
      sc.setJobDescription(what + ": score and write");
      long scoring = System.nanoTime();
      Dataset<Row> rows = out.shape(shadows == null ? prepared.scored() : shadows.published());
      if (out.commitsOnWrite()) {
        checkNotCancelled(cancelled);
        lock.check();
      }
      out.write(rows, o.mode);
      if (shadows != null) {
        sc.setJobDescription(what + ": write the shadows' columns");
        shadows.write();
      }
      double scoreSeconds = (System.nanoTime() - scoring) / 1e9;
      checkNotCancelled(cancelled);
      sc.setJobDescription(what + ": run report");
      long scored = out.rowsWritten();
      ObjectNode report = RunReport.JSON.createObjectNode();
      report.put("runDate", date);
      report.put("startedAt", started.toString());
      report.put("finishedAt", Instant.now().toString());
      ObjectNode model = report.putObject("model");
      model.put("name", spec.name());
      model.put("version", prepared.plan().modelVersion());
      model.put("sha256", prepared.plan().model().sha256());
      ScoringSpec bound = prepared.plan().spec();
      model.put(
          "path",
          bound.modelPath().contains("://")
              ? bound.modelPath()
              : bound.resolvedModelPath().toString());
      model.put("engine", spec.engine().specName());
      model.put("device", spec.device().toString());
      List<ModelComparison> comparisons = prepared.metrics().comparisons.value();
      // A shadow's prediction profiles are the run's own columns: take them from the merged one.
      comparisons.forEach(c -> c.withRunProfile(prepared.metrics().profile.value()));
      RunReport.challengers(report, prepared.plan(), comparisons);
      report.put("input", o.table != null ? "table " + o.table : o.template(o.input));
      report.put("output", out.location());
      report.put("mode", o.mode.optionName());
      ObjectNode stats = RunReport.JSON.createObjectNode();
      Profile profile = prepared.metrics().profile.value();
      RunReport.predictions(stats, profile, prepared.plan().outputColumns());
      long gathered = prepared.metrics().rowsScored.value();
      if (gathered != scored) {
        // A recomputed stage runs its tasks' accumulators again; the files hold each row once.
        stats.put(
            "predictionsNote",
            "statistics were gathered over "
                + gathered
                + " scored rows (tasks ran again); "
                + scored
                + " rows were written");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      RunReport.rows(report, prepared.metrics(), scored, seconds, scoreSeconds);
      RunReport.setup(report, prepared.metrics(), driverSetupMillis);
      report.setAll(stats);
      DriftStatus status = monitor.compare(profile, report);
      checkNotCancelled(cancelled);
      lock.check();
      if (shadows != null) {
        // the shadows' partition first: a published date always has its shadows beside it
        shadows.commit(o.mode);
        report.put("shadowOutput", shadows.partition().toString());
      }
      out.commit(o.mode);
      String json = RunReport.toJson(report);
      String reportPath =
          o.report != null
              ? o.template(o.report)
              : new org.apache.hadoop.fs.Path(reports, "run_date=" + date + "/report.json")
                  .toString();
      org.apache.hadoop.fs.Path reportFile = new org.apache.hadoop.fs.Path(reportPath);
      writeText(fs, reportFile, json);
      Map<String, String> about = new LinkedHashMap<>();
      about.put("model", spec.name() + " v" + prepared.plan().modelVersion());
      about.put("modelSha256", prepared.plan().model().sha256());
      about.put("runDate", date);
      about.put("input", report.get("input").asText());
      Map<String, String> summary = new LinkedHashMap<>(about);
      summary.put(
          "rows read / scored / rejected",
          report.get("rows").get("read").asLong()
              + " / "
              + scored
              + " / "
              + report.get("rows").get("rejected").asLong());
      summary.put("output", out.location());
      monitor.write(
          reportFile,
          label + " v" + prepared.plan().modelVersion(),
          about,
          summary,
          status,
          comparisons);
      if (o.runsTable != null) {
        sc.setJobDescription(what + ": append to the runs table");
        String runs = o.template(o.runsTable);
        try {
          RunsTable.append(spark, runs, TableFormat.parse(o.tableFormat), report, json, reportPath);
        } catch (RuntimeException e) {
          throw new IOException(
              "the run committed "
                  + out.location()
                  + " and its report "
                  + reportPath
                  + ", but its row could not be appended to the runs table "
                  + runs
                  + ": "
                  + e.getMessage(),
              e);
        }
      }
      long rejected = report.get("rows").get("rejected").asLong();
      LOG.info(
          "{}: {} rows scored, {} rejected, {} rows/s, batch p50 {} ms p99 {} ms; output {}; report {}",
          label,
          scored,
          rejected,
          report.get("rowsPerSecond").asLong(),
          report.get("batchLatencyMs").get("p50").asDouble(),
          report.get("batchLatencyMs").get("p99").asDouble(),
          out.location(),
          reportPath);
      if (status != DriftStatus.OK) {
        LOG.warn("{}: drift status {} (report {})", label, status.label(), reportPath);
      }
      return new JobResult(out.location(), reportPath, json, scored, rejected, seconds, status);
    } catch (Throwable e) {
      // Spark throws its checked SparkException from Scala code without declaring it: catch all.
      out.abort();
      if (shadows != null) {
        shadows.abort();
      }
      throw e;
    } finally {
      if (shadows != null) {
        shadows.release();
      }
      sc.clearJobGroup();
    }
  }

  private static Dataset<Row> read(SparkSession spark, JobOptions o, ScoringSpec spec)
      throws ModelLoadException {
    Dataset<Row> df;
    if (o.table != null) {
      df = spark.table(o.table);
    } else {
      String path = o.template(o.input);
      DataFrameReader r = spark.read().format(o.format);
      o.readOptions.forEach(r::option);
      StructType typed = CsvInput.typed(spark, o, path, spec);
      if (typed != null) {
        r.schema(typed);
        if (!CsvInput.named(o, "mode")) {
          r.option("mode", "FAILFAST");
        }
      }
      df = r.load(path);
    }
    if (o.filter != null) {
      df = df.filter(o.template(o.filter));
    }
    if (o.partitions != null) {
      df = df.repartition(o.partitions);
    }
    return df;
  }

  private static void writeText(FileSystem fs, org.apache.hadoop.fs.Path p, String text)
      throws IOException {
    try (OutputStream os = fs.create(p, true)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
