package io.batchscore.spark.job;

import io.batchscore.core.Models;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSignature;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.model.ValueInfo;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.spark.ModelFiles;
import io.batchscore.spark.SparkTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A CSV input read without a schema: Spark would read every column as text, and a spec feeding them
 * to a float input would fail with a type error per column. The job reads it, as the CLI does, with
 * the models' types for the columns they are fed and text for the rest, in FAILFAST mode: a value
 * that is not a number stops the run with exit 4 and the malformed record. A read that names its
 * own schema, {@code inferSchema} or {@code mode} is left as it is.
 */
final class CsvInput {
  private CsvInput() {}

  /** The schema to read the input with, or null when the job reads it as the user said. */
  static StructType typed(SparkSession spark, JobOptions o, String path, ScoringSpec spec)
      throws ModelLoadException {
    if (o.table != null || !"csv".equalsIgnoreCase(o.format) || named(o, "inferSchema")) {
      return null;
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<ScoringSpec> models = new ArrayList<>(List.of(spec));
    spec.challengers().stream().map(Challenger::spec).forEach(models::add);
    Map<String, StructField> typed = new HashMap<>();
    for (ScoringSpec s : models) {
      ScoringSpec r = ModelFiles.resolveVersion(s, conf);
      ModelSignature sig;
      try {
        sig =
            Models.inspect(ModelSource.of(ModelFiles.localPath(r.modelPath(), r.baseDir(), conf)))
                .signature();
      } catch (ModelLoadException e) {
        throw Models.explained(r, e);
      }
      for (InputBinding b : s.inputs()) {
        ValueInfo in = sig.input(b.input());
        if (in == null || !b.fromColumnList()) {
          continue; // reported when the spec is bound
        }
        for (String c : b.columns()) {
          typed.putIfAbsent(
              c,
              new StructField(c, SparkTypes.sparkType(in.elementType()), true, Metadata.empty()));
        }
      }
    }
    StructType header =
        spark.read().format("csv").options(o.readOptions).load(path).schema(); // the header only
    StructType out = new StructType();
    for (StructField f : header.fields()) {
      out = out.add(typed.getOrDefault(f.name(), f));
    }
    return out;
  }

  /** Whether the user gave a read option, whatever its case. */
  static boolean named(JobOptions o, String option) {
    String want = option.toLowerCase(Locale.ROOT);
    return o.readOptions.keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(want));
  }
}
