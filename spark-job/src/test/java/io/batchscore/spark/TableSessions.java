package io.batchscore.spark;

import io.batchscore.spark.job.TableFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The settings of a session that writes the table formats as a user's cluster configures them: both
 * formats' SQL extensions, Delta's catalog as the session catalog (Delta tables named by path,
 * {@code delta.`/p`}), and an Iceberg Hadoop catalog {@code lake} in a warehouse folder.
 */
final class TableSessions {
  private TableSessions() {}

  static String[] settings(Path warehouse) {
    List<String> s = new ArrayList<>();
    conf(warehouse)
        .forEach(
            (k, v) -> {
              s.add(k);
              s.add(v);
            });
    return s.toArray(new String[0]);
  }

  /** The settings as a map: for --conf arguments of a child process. */
  static java.util.Map<String, String> conf(Path warehouse) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,"
            + "io.delta.sql.DeltaSparkSessionExtension");
    m.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    m.put("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog");
    m.put("spark.sql.catalog.lake.type", "hadoop");
    m.put("spark.sql.catalog.lake.warehouse", warehouse.resolve("iceberg").toUri().toString());
    // other processes commit to the same tables: read each table's latest metadata
    m.put("spark.sql.catalog.lake.cache-enabled", "false");
    return m;
  }

  /** A table name of the format: lake.db.NAME, or delta.`WAREHOUSE/delta/NAME`. */
  static String table(TableFormat f, Path warehouse, String name) {
    return f == TableFormat.ICEBERG
        ? "lake.db." + name
        : "delta.`" + warehouse.resolve("delta").resolve(name) + "`";
  }

  /** Where a table's files are. */
  static Path folder(TableFormat f, Path warehouse, String name) {
    return f == TableFormat.ICEBERG
        ? warehouse.resolve("iceberg").resolve("db").resolve(name)
        : warehouse.resolve("delta").resolve(name);
  }

  static String provider(SparkSession spark, String table) {
    for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + table).collectAsList()) {
      if ("Provider".equalsIgnoreCase(String.valueOf(r.get(0)).trim())) {
        return String.valueOf(r.get(1)).trim().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** The table's partition columns, from DESCRIBE TABLE's partitioning section. */
  static List<String> partitionColumns(SparkSession spark, String table) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (Row r : spark.sql("DESCRIBE TABLE " + table).collectAsList()) {
      String name = String.valueOf(r.get(0)).trim();
      if (name.startsWith("#")) {
        if (!name.startsWith("# col_name")) {
          in = name.startsWith("# Partition");
        }
        continue;
      }
      if (in && !name.isEmpty() && !name.equals("col_name")) {
        out.add(name.startsWith("Part ") ? String.valueOf(r.get(1)).trim() : name);
      }
    }
    return out;
  }
}
