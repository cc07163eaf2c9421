package io.batchscore.cli;

import io.batchscore.core.Models;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.io.TableReader;
import io.batchscore.spark.job.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code batchscore validate}: checks a spec against its model and an input file; scores nothing.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Check a spec against its model and (optionally) an input file's schema; list every problem.")
final class ValidateCommand implements Callable<Integer> {
  @Option(
      names = "--spec",
      required = true,
      paramLabel = "FILE",
      description = "Scoring spec (YAML or JSON).")
  Path spec;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "FILE",
      description = "Parquet or CSV file whose columns to check.")
  Path input;

  @Option(
      names = "--input-format",
      paramLabel = "parquet|csv",
      description = "Default: from the file name.")
  String inputFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    ScoringSpec s = Models.resolveVersion(ScoringSpec.load(spec));
    ModelInfo model = Models.inspect(s);
    ScoringPlan plan;
    if (input != null) {
      try (TableReader r = LocalInput.open(input, inputFormat, s, model.signature())) {
        plan = ScoringPlan.bind(s, model, r.schema());
      }
    } else {
      plan = ScoringPlan.bind(s, model, null);
    }
    PrintWriter out = commandSpec.commandLine().getOut();
    out.printf(
        "spec %s fits model %s (version %s, sha256 %s)%s%n",
        spec,
        plan.spec().resolvedModelPath(),
        plan.modelVersion(),
        model.sha256().substring(0, 12),
        input == null ? "" : " and input " + input);
    List<Challenger> cs = plan.spec().challengers();
    for (int i = 0; i < cs.size(); i++) {
      Challenger c = cs.get(i);
      ScoringPlan p = plan.challengers().get(i);
      out.printf(
          "  challenger %s (%s): model %s (version %s, sha256 %s)%n",
          c.name(),
          c.mode() == Challenger.Mode.CANARY
              ? "canary, " + c.share() + " of rows by " + c.key()
              : "shadow, columns " + c.prefix() + "*",
          p.spec().resolvedModelPath(),
          p.modelVersion(),
          p.model().sha256().substring(0, 12));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
