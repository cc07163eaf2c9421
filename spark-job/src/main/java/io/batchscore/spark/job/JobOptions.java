package io.batchscore.spark.job;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The options of a scoring run, shared by the spark-submit main class ({@link ScoringJob}), the
 * CLI's {@code run} and {@code schedule}, and checked against the Airflow DAG's arguments.
 *
 * <p>{@code --input}, {@code --filter}, {@code --output} and {@code --report} may contain {@code
 * ${run_date}} (yyyy-MM-dd) and {@code ${run_date_nodash}} (yyyyMMdd).
 */
public class JobOptions {
  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description = "Scoring spec (YAML or JSON) on the driver's file system.")
  public String spec;

  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "Input path (templated), read with --format. Give this or --table.")
  public String input;

  @Option(
      names = "--table",
      paramLabel = "NAME",
      description = "Read a catalog table instead of a path.")
  public String table;

  @Option(
      names = "--format",
      defaultValue = "parquet",
      paramLabel = "FORMAT",
      description = "Spark data source format of --input: parquet (default), csv, orc, json, ...")
  public String format = "parquet";

  @Option(
      names = "--read-option",
      paramLabel = "KEY=VALUE",
      description = "Data source option, repeatable (e.g. header=true for csv).")
  public Map<String, String> readOptions = new LinkedHashMap<>();

  @Option(
      names = "--filter",
      paramLabel = "SQL",
      description = "Row filter, a SQL expression (templated), e.g. \"ds = '$${run_date}'\".")
  public String filter;

  @Option(
      names = "--output",
      paramLabel = "PATH",
      description =
          "Output root; rows go to PATH/run_date=YYYY-MM-DD/ as Parquet. Give this or"
              + " --output-table.")
  public String output;

  @Option(
      names = "--output-table",
      paramLabel = "NAME",
      description =
          "Write to a catalog table (Iceberg or Delta) partitioned by run_date instead of"
              + " folders: a run replaces (or appends to) its date in one atomic commit. Needs"
              + " --reports-dir.")
  public String outputTable;

  @Option(
      names = "--table-format",
      paramLabel = "FORMAT",
      description =
          "iceberg or delta: the format of the tables the run creates (--output-table,"
              + " --runs-table) when they do not exist yet.")
  public String tableFormat;

  @Option(
      names = "--reports-dir",
      paramLabel = "PATH",
      description =
          "Where run reports and profiles go, PATH/run_date=YYYY-MM-DD/ (templated); default"
              + " OUTPUT/_reports. Required with --output-table.")
  public String reportsDir;

  @Option(
      names = "--runs-table",
      paramLabel = "NAME",
      description =
          "Also append one row per run (its counts, drift status and report) to this catalog"
              + " table, created when missing.")
  public String runsTable;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Spark setting for a session the job starts itself (run, schedule, --master),"
              + " repeatable: e.g. a catalog for --output-table.")
  public Map<String, String> conf = new LinkedHashMap<>();

  @Option(
      names = "--shadow-output",
      paramLabel = "PATH",
      description =
          "Write the shadow challengers' columns to PATH/run_date=YYYY-MM-DD/ (Parquet, with the"
              + " spec's passthrough columns and scored_at) instead of beside the champion's;"
              + " --output then keeps the champion's columns only.")
  public String shadowOutput;

  @Option(
      names = "--run-date",
      paramLabel = "YYYY-MM-DD",
      converter = DateConverter.class,
      description = "The run's date (default: today, UTC).")
  public LocalDate runDate;

  @Option(
      names = "--mode",
      defaultValue = "overwrite",
      converter = ModeConverter.class,
      paramLabel = "MODE",
      description = "overwrite (default: replace the date's partition), append, error-if-exists.")
  public WriteMode mode = WriteMode.OVERWRITE;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "Repartition the input into N partitions before scoring.")
  public Integer partitions;

  @Option(
      names = "--report",
      paramLabel = "PATH",
      description =
          "Run report path (templated); default OUTPUT/_reports/run_date=DATE/report.json.")
  public String report;

  @Option(
      names = "--fail-on-drift",
      description =
          "Exit with code 7 when the run's drift status is drift, after its output, profile and"
              + " report are committed (the predictions stay available).")
  public boolean failOnDrift;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master when not launched by spark-submit (e.g. local[2]).")
  public String master;

  @Option(
      names = "--spark-ui",
      description =
          "Serve Spark's web UI during a local run (off by default: a local run listens on"
              + " 127.0.0.1 only; the UI listens on SPARK_LOCAL_IP, which bin/batchscore sets to it).")
  public boolean sparkUi;

  /** The root of the run reports and profiles: --reports-dir, else OUTPUT/_reports. */
  public String reportsRoot() {
    return reportsDir != null
        ? template(reportsDir)
        : template(output).replaceAll("/+$", "") + "/_reports";
  }

  /** The run date, today (UTC) when not given. */
  public LocalDate runDate() {
    return runDate != null ? runDate : LocalDate.now(ZoneOffset.UTC);
  }

  /** Replaces {@code ${run_date}} and {@code ${run_date_nodash}} in a template. */
  public String template(String s) {
    if (s == null) {
      return null;
    }
    LocalDate d = runDate();
    return s.replace("${run_date}", d.toString())
        .replace("${run_date_nodash}", d.format(DateTimeFormatter.BASIC_ISO_DATE));
  }

  /** Checks option combinations picocli cannot; returns a message or null. */
  public String check() {
    if (spec == null) {
      return "--spec is required";
    }
    if ((output == null) == (outputTable == null)) {
      return "give exactly one of --output or --output-table";
    }
    if (outputTable != null && reportsDir == null) {
      return "--output-table needs --reports-dir (where run reports and profiles go)";
    }
    if (outputTable != null && shadowOutput != null) {
      return "--shadow-output writes folders; it cannot be combined with --output-table";
    }
    if (tableFormat != null && TableFormat.parse(tableFormat) == null) {
      return "--table-format must be iceberg or delta, not '" + tableFormat + "'";
    }
    if ((input == null) == (table == null)) {
      return "give exactly one of --input or --table";
    }
    if (partitions != null && partitions < 1) {
      return "--partitions must be at least 1";
    }
    return null;
  }

  /** Parses yyyy-MM-dd. */
  public static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a date of the form YYYY-MM-DD");
      }
    }
  }

  /** Parses a write mode. */
  public static final class ModeConverter implements ITypeConverter<WriteMode> {
    @Override
    public WriteMode convert(String value) {
      try {
        return WriteMode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not one of overwrite, append, error-if-exists");
      }
    }
  }
}
