package io.batchscore.core;

/**
 * The exit codes of the {@code batchscore} command and the Spark job's main class. Documented in
 * the README; the mapping from exceptions lives here so every entry point agrees.
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
   * The output is in the way: the run date's partition exists under mode {@code error-if-exists},
   * or another run holds the scheduler's lock.
   */
  public static final int OUTPUT_CONFLICT = 6;

  private ExitCodes() {}

  /** The exit code for an exception, looking through causes for one of ours. */
  public static int forException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SpecException) {
        return INVALID_SPEC;
      }
      if (c instanceof BadInputException) {
        return BAD_INPUT;
      }
      if (c instanceof ModelLoadException) {
        return MODEL_LOAD;
      }
      if (c == c.getCause()) {
        break;
      }
    }
    return RUNTIME_FAILURE;
  }
}
