package io.batchscore.cli;

import io.batchscore.cli.io.TableReader;
import io.batchscore.core.ExitCodes;
import io.batchscore.core.Problem;
import io.batchscore.core.SpecException;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.Models;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code batchscore validate}: checks a spec against its model and an input file; scores nothing. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a spec against its model and (optionally) an input file's schema; list every problem.")
final class ValidateCommand implements Callable<Integer> {
  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "Scoring spec (YAML or JSON).")
  Path spec;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Parquet or CSV file whose columns to check.")
  Path input;

  @Option(names = "--input-format", paramLabel = "parquet|csv", description = "Default: from the file name.")
  String inputFormat;

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  @Override
  public Integer call() throws Exception {
    ScoringSpec s = ScoringSpec.load(spec);
    ModelInfo model = Models.inspect(s.resolvedModelPath());
    List<Problem> problems = new ArrayList<>();
    if (input != null) {
      try (TableReader r = LocalInput.open(input, inputFormat, s, model.signature())) {
        problems.addAll(LocalInput.unreadable(r, s));
        problems.addAll(SpecValidator.validate(s, model.signature(), r.schema()));
      }
    } else {
      problems.addAll(SpecValidator.validate(s, model.signature(), null));
    }
    if (!problems.isEmpty()) {
      throw new SpecException(s.origin(), problems);
    }
    PrintWriter out = commandSpec.commandLine().getOut();
    out.printf("spec %s fits model %s (sha256 %s)%s%n", spec, s.resolvedModelPath(),
        model.sha256().substring(0, 12), input == null ? "" : " and input " + input);
    out.flush();
    return ExitCodes.OK;
  }
}
