package io.batchscore.cli;

import io.batchscore.spark.job.JobOptions;
import io.batchscore.spark.job.ScoringJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code batchscore run}: the Spark job in this JVM (embedded local Spark), with the same options
 * as spark-submit. With no options it scores the bundled sample into {@code out/predictions}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Spark scoring job in this JVM (embedded local Spark; --master local[*] by default).",
      "With no options: the bundled breast-cancer sample into out/predictions."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin JobOptions options = new JobOptions();

  @CommandLine.Spec CommandLine.Model.CommandSpec commandSpec;

  /** Where the repository (sample-data/) is: bin/batchscore sets batchscore.home. */
  static Path home() {
    return Path.of(System.getProperty("batchscore.home", ".")).toAbsolutePath().normalize();
  }

  @Override
  public Integer call() throws Exception {
    if (options.spec == null && options.input == null && options.table == null) {
      Path sample = home().resolve("sample-data");
      options.spec = sample.resolve("specs/breast_cancer.yaml").toString();
      options.input = sample.resolve("data/breast_cancer.parquet").toString();
      if (options.output == null && options.outputTable == null) {
        options.output = Path.of("out/predictions").toAbsolutePath().toString();
      }
      commandSpec.commandLine().getOut().println("scoring the bundled sample: " + options.spec);
    }
    if (options.master == null) {
      options.master = "local[*]";
    }
    String problem = options.check();
    if (problem != null) {
      throw new CommandLine.ParameterException(commandSpec.commandLine(), problem);
    }
    return ScoringJob.execute(options, null, commandSpec.commandLine().getOut());
  }
}
