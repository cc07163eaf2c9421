package io.batchscore.spark.job;

import io.batchscore.core.BadInputException;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.spec.SpecException;
import java.io.FileNotFoundException;

/**
 * Maps a failure of the job or of a {@code batchscore} command to its documented exit code ({@link
 * ExitCodes}) and a message without a stack trace: batchscore's own exceptions wherever they are in
 * the cause chain, then Spark's and Hadoop's signs of unreadable input.
 */
public final class JobErrors {
  private JobErrors() {}

  public static int exitCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SpecException) {
        return ExitCodes.INVALID_SPEC;
      }
      if (c instanceof BadInputException) {
        return ExitCodes.BAD_INPUT;
      }
      if (c instanceof ModelLoadException) {
        return ExitCodes.MODEL_LOAD;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutputConflictException) {
        return ExitCodes.OUTPUT_CONFLICT;
      }
      if (c instanceof UsageException) {
        return ExitCodes.USAGE;
      }
      if (isBadInput(c)) {
        return ExitCodes.BAD_INPUT;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return ExitCodes.RUNTIME_FAILURE;
  }

  /** Unreadable input: missing path or table, corrupt or mismatched Parquet, bad filter. */
  private static boolean isBadInput(Throwable c) {
    String cls = c.getClass().getName();
    String msg = String.valueOf(c.getMessage());
    return cls.equals("org.apache.spark.sql.AnalysisException")
        || cls.startsWith("org.apache.spark.sql.catalyst.parser.ParseException")
        || cls.equals("org.apache.parquet.io.ParquetDecodingException")
        || cls.endsWith("SchemaColumnConvertNotSupportedException")
        || c instanceof FileNotFoundException
        || msg.contains("is not a Parquet file")
        || msg.contains("FAILED_READ_FILE")
        || msg.contains("MALFORMED_RECORD_IN_PARSING")
        || msg.contains("PATH_NOT_FOUND");
  }

  /**
   * A picocli execution-exception handler: prints "{@code prefix}: message" (the stack trace only
   * when {@code verbose} says so) and returns the documented exit code.
   */
  public static picocli.CommandLine.IExecutionExceptionHandler handler(
      String prefix, java.util.function.BooleanSupplier verbose) {
    return (ex, cmd, parse) -> {
      java.io.PrintWriter err = cmd.getErr();
      err.println(prefix + ": " + message(ex));
      if (verbose.getAsBoolean()) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ex instanceof picocli.CommandLine.ParameterException ? ExitCodes.USAGE : exitCode(ex);
    };
  }

  /** The message to print: ours where there is one, else the first line of Spark's. */
  public static String message(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SpecException
          || c instanceof BadInputException
          || c instanceof ModelLoadException
          || c instanceof OutputConflictException
          || c instanceof UsageException) {
        return c.getMessage();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String malformed = malformed(t, root);
    if (malformed != null) {
      return malformed;
    }
    String first = firstLine(t.getMessage());
    String last = firstLine(root.getMessage());
    return root == t || first.contains(last) ? first : first + " (cause: " + last + ")";
  }

  /**
   * A CSV record Spark could not parse with the job's types (FAILFAST): the file, the value that is
   * not a number and the record as far as it was parsed; null for any other failure.
   */
  private static String malformed(Throwable t, Throwable root) {
    String file = null;
    String record = null;
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      java.util.regex.Matcher f =
          java.util.regex.Pattern.compile("while reading file (\\S+?)\\.?\\s").matcher(m);
      if (file == null && f.find()) {
        file = f.group(1);
      }
      int at = m.indexOf("detected in record parsing: ");
      if (m.contains("MALFORMED_RECORD_IN_PARSING") && at >= 0) {
        record = firstLine(m.substring(at + "detected in record parsing: ".length()));
      }
    }
    if (record == null) {
      return null;
    }
    return "a CSV record "
        + (file == null ? "" : "in " + file + " ")
        + "does not parse as the model's types: "
        + firstLine(root.getMessage())
        + "; the record as parsed: "
        + record
        + " (values that failed show as null)";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
