package io.batchscore.cli;

import io.batchscore.spark.job.JobErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code batchscore} command. */
@Command(
    name = "batchscore",
    mixinStandardHelpOptions = true,
    version = "batchscore 0.1.0",
    description = "Batch scoring with ONNX models: local files without Spark, or the Spark job.",
    subcommands = {
      InspectCommand.class,
      ValidateCommand.class,
      InitCommand.class,
      ScoreCommand.class,
      ProfileCommand.class,
      DriftCommand.class,
      RunCommand.class,
      ScheduleCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:runtime failure",
      "2:usage error",
      "3:invalid spec, or spec does not fit model, input or output table",
      "4:bad input data (unreadable file, bad value, null/NaN under the fail policy)",
      "5:model cannot be loaded / device unavailable",
      "6:output exists (score without --overwrite, run with --mode error-if-exists),"
          + " or another run of the date or another scheduler holds the lock",
      "7:the run drifted (with --fail-on-drift); its output and report are written"
    })
public final class Main implements Runnable {
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    Logging.chooseFor(args);
    System.exit(commandLine().execute(args));
  }

  /** The command line with batchscore's error handling: message, exit code, stack if --verbose. */
  public static CommandLine commandLine() {
    Main main = new Main();
    CommandLine cl = new CommandLine(main);
    cl.setExecutionExceptionHandler(JobErrors.handler("batchscore", () -> main.verbose));
    return cl;
  }
}
