package io.batchscore.spark.job;

/**
 * The exit codes of the Spark job's main class and of the {@code batchscore} command, which share
 * them. Documented in the README. The library itself has no exit codes: it throws typed exceptions,
 * which {@link JobErrors#exitCode} maps to these.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** An unexpected failure at run time (engine error, I/O error, a bug). */
  public static final int RUNTIME_FAILURE = 1;

  /** The command line was wrong: unknown option, missing argument. */
  public static final int USAGE = 2;

  /** The spec is wrong or does not fit the model or the input's schema. */
  public static final int INVALID_SPEC = 3;

  /** The input data is bad: unreadable file, bad value, null or NaN under the fail policy. */
  public static final int BAD_INPUT = 4;

  /** The model could not be loaded, or the device asked for is not available. */
  public static final int MODEL_LOAD = 5;

  /**
   * The output is in the way: {@code score}'s output exists or is a folder, the run date's
   * partition exists under mode {@code error-if-exists}, another run of the date holds its lock, or
   * another scheduler holds the scheduler's lock.
   */
  public static final int OUTPUT_CONFLICT = 6;

  /**
   * The run drifted and was asked to fail on it ({@code --fail-on-drift}): its output, profile and
   * report are committed; the code only tells a scheduler to look.
   */
  public static final int DRIFT = 7;

  private ExitCodes() {}
}
