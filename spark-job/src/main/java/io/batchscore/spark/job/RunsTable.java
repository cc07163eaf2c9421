package io.batchscore.spark.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job's {@code --runs-table}: one row per run, appended after the run committed, so a model's
 * history (its counts, speed and drift) is a SQL query away. The row holds the report's main
 * figures as columns, each column's drift status against the reference and the previous run as
 * maps, and the whole report as JSON.
 */
final class RunsTable {
  static final StructType SCHEMA =
      new StructType()
          .add("run_date", DataTypes.DateType, false)
          .add("started_at", DataTypes.TimestampType, false)
          .add("finished_at", DataTypes.TimestampType, false)
          .add("model_name", DataTypes.StringType, false)
          .add("model_version", DataTypes.StringType, true)
          .add("model_sha256", DataTypes.StringType, true)
          .add("input", DataTypes.StringType, true)
          .add("output", DataTypes.StringType, true)
          .add("mode", DataTypes.StringType, true)
          .add("rows_read", DataTypes.LongType, true)
          .add("rows_scored", DataTypes.LongType, true)
          .add("rows_rejected", DataTypes.LongType, true)
          .add("seconds", DataTypes.DoubleType, true)
          .add("rows_per_second", DataTypes.LongType, true)
          .add("drift_status", DataTypes.StringType, true)
          .add(
              "drift_reference",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
              true)
          .add(
              "drift_previous",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
              true)
          .add("report_path", DataTypes.StringType, true)
          .add("report", DataTypes.StringType, true);

  private RunsTable() {}

  /** Refuses a missing runs table without a format to create it; before the run reads data. */
  static void check(SparkSession spark, String name, TableFormat format) {
    TableOutput.existsOrCreatable(spark, name, format, "runs table");
  }

  /** Appends the run's row (creating the table when missing). */
  static void append(
      SparkSession spark,
      String name,
      TableFormat format,
      JsonNode report,
      String json,
      String reportPath) {
    Row row = row(report, json, reportPath);
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
    try {
      if (TableOutput.exists(spark, name)) {
        df.writeTo(name).append();
      } else {
        df.writeTo(name).using(format.provider()).create();
      }
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException
        | org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  static Row row(JsonNode report, String json, String reportPath) {
    JsonNode rows = report.path("rows");
    JsonNode model = report.path("model");
    return RowFactory.create(
        Date.valueOf(LocalDate.parse(report.path("runDate").asText())),
        Timestamp.from(Instant.parse(report.path("startedAt").asText())),
        Timestamp.from(Instant.parse(report.path("finishedAt").asText())),
        model.path("name").asText(),
        text(model.path("version")),
        text(model.path("sha256")),
        text(report.path("input")),
        text(report.path("output")),
        text(report.path("mode")),
        number(rows.path("read")),
        number(rows.path("scored")),
        number(rows.path("rejected")),
        report.path("durationSeconds").isNumber()
            ? report.path("durationSeconds").asDouble()
            : null,
        number(report.path("rowsPerSecond")),
        text(report.path("status")),
        statuses(report.path("drift").path("reference")),
        statuses(report.path("drift").path("previous")),
        reportPath,
        json);
  }

  /** Each column's status in one drift section ({@code columns: {name: {status}}}), or null. */
  private static Map<String, String> statuses(JsonNode section) {
    JsonNode columns = section.path("columns");
    if (!columns.isObject()) {
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    columns
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("status").asText()));
    return out;
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static Long number(JsonNode n) {
    return n.isNumber() ? n.asLong() : null;
  }
}
