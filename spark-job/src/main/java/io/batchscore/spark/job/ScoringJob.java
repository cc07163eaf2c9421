package io.batchscore.spark.job;

import io.batchscore.core.monitor.DriftStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The spark-submit main class:
 *
 * <pre>
 * spark-submit --class io.batchscore.spark.job.ScoringJob batchscore-job.jar \
 *   --spec spec.yaml --input features/ds=${run_date} --output predictions --run-date 2026-11-24
 * </pre>
 *
 * Exit codes: 0 ok, 1 runtime failure, 2 usage, 3 invalid spec, 4 bad input, 5 model load, 6 output
 * conflict, 7 drift (with {@code --fail-on-drift}, after the run is committed). No master is set
 * here unless {@code --master} is given: spark-submit decides.
 */
@Command(
    name = "batchscore-job",
    mixinStandardHelpOptions = true,
    version = "batchscore 0.1.0",
    description =
        "Score a dated input with an ONNX model and write predictions partitioned by run date.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:runtime failure",
      "2:usage error",
      "3:invalid spec, or spec does not fit model, input or output table",
      "4:bad input data",
      "5:model cannot be loaded / device unavailable",
      "6:output partition exists (error-if-exists), or another run of the date holds its lock",
      "7:the run drifted (with --fail-on-drift); its output and report are committed"
    })
public final class ScoringJob implements Callable<Integer> {
  @Mixin public JobOptions options = new JobOptions();

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  /** A session to run in instead of creating (and stopping) one: for embedding and tests. */
  SparkSession provided;

  public ScoringJob() {}

  /** A job that runs in an existing session and leaves it running. */
  public static ScoringJob inSession(SparkSession spark) {
    ScoringJob j = new ScoringJob();
    j.provided = spark;
    return j;
  }

  public static void main(String[] args) {
    int code = commandLine(new ScoringJob()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The job's command line with its error handling, for the main class and for tests. */
  public static CommandLine commandLine(ScoringJob job) {
    CommandLine cl = new CommandLine(job);
    cl.setExecutionExceptionHandler(JobErrors.handler("batchscore-job", () -> job.verbose));
    return cl;
  }

  @Override
  public Integer call() throws Exception {
    String problem = options.check();
    if (problem != null) {
      throw new CommandLine.ParameterException(commandSpec.commandLine(), problem);
    }
    return execute(options, provided, commandSpec.commandLine().getOut());
  }

  /**
   * Runs the job in {@code provided} (left running), or in a session made here from the options
   * (master from --master, else from spark-submit) and stopped at the end. Prints a summary.
   */
  public static int execute(JobOptions options, SparkSession provided, PrintWriter out)
      throws Exception {
    SparkSession spark = provided;
    if (spark == null) {
      SparkSession.Builder b =
          EmbeddedSpark.builder(
              options.master,
              "batchscore " + options.runDate() + " " + options.spec,
              options.sparkUi);
      options.conf.forEach(b::config);
      spark = b.getOrCreate();
    }
    try {
      JobResult r = JobRunner.run(options, spark);
      out.printf(
          "scored %d rows (%d rejected) in %.1f s -> %s%nreport: %s%ndrift: %s%n",
          r.rowsScored(),
          r.rowsRejected(),
          r.seconds(),
          r.partition(),
          r.reportPath(),
          r.status().label());
      out.flush();
      return options.failOnDrift && r.status() == DriftStatus.DRIFT
          ? ExitCodes.DRIFT
          : ExitCodes.OK;
    } finally {
      if (provided == null) {
        spark.stop();
      }
    }
  }
}
