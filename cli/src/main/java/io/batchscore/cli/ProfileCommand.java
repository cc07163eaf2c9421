package io.batchscore.cli;

import io.batchscore.core.BatchScorer;
import io.batchscore.core.Models;
import io.batchscore.core.ScorerOptions;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.monitor.Profiles;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.io.TableReader;
import io.batchscore.io.WriteBehind;
import io.batchscore.spark.job.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code batchscore profile}: scores a local file (the training data, usually) and writes its
 * profile, the reference later runs are compared with. Writes no predictions.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Score a local Parquet or CSV file (no Spark) and write the profile of its features and"
            + " predictions: the reference for drift (the spec's monitoring.reference).")
final class ProfileCommand implements Callable<Integer> {
  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Scoring spec.")
  Path spec;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE",
      description = "Parquet file or folder of part files, or CSV.")
  Path input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The profile to write (JSON), e.g. training.profile.json.")
  Path output;

  @Option(
      names = "--input-format",
      paramLabel = "parquet|csv",
      description = "Default: from the file name.")
  String inputFormat;

  @Option(names = "--threads", paramLabel = "N", description = "Cores to score on (default: all).")
  Integer threads;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    ScoringSpec s = Models.resolveVersion(ScoringSpec.load(spec));
    int share = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (share < 1) {
      throw new CommandLine.ParameterException(
          commandSpec.commandLine(), "--threads must be at least 1");
    }
    ModelInfo model = Models.inspect(s);
    Profile profile;
    LocalRun.Counts counts;
    ScoringPlan plan;
    try (TableReader reader = LocalInput.open(input, inputFormat, s, model.signature())) {
      plan = ScoringPlan.bind(s, model, reader.schema());
      ScorerOptions opts =
          ScorerOptions.builder().cpuShare(share).concurrency(share).profile(true).build();
      try (BatchScorer scorer = BatchScorer.open(plan, opts)) {
        WriteBehind discard = new WriteBehind(LocalRun.DISCARD);
        counts =
            LocalRun.run(
                scorer,
                reader,
                discard,
                new Progress(commandSpec.commandLine().getErr(), false, reader),
                input.toString());
        profile = scorer.profile();
      }
    }
    Map<String, String> about = LocalMonitor.about(plan, input.toString());
    Profiles.write(output, profile, about);
    PrintWriter out = commandSpec.commandLine().getOut();
    out.printf(
        "profiled %,d rows (%,d scored, %,d rejected), %d columns, in %.2f s -> %s%n",
        counts.rowsIn(),
        counts.scored(),
        counts.rejectedTotal(),
        profile.columns().size(),
        (System.nanoTime() - start) / 1e9,
        output);
    out.flush();
    return ExitCodes.OK;
  }
}
