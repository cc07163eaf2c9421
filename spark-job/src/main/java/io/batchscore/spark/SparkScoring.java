package io.batchscore.spark;

import static org.apache.spark.sql.functions.col;

import io.batchscore.core.Models;
import io.batchscore.core.OutputColumn;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.column.ColumnType;
import io.batchscore.core.column.ElementType;
import io.batchscore.core.column.InputSchema;
import io.batchscore.core.model.ModelInfo;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Scores a DataFrame with a spec. On the driver, before any data is read, the spec is bound to the
 * model's signature (read from the model where the driver finds it) and the DataFrame's schema
 * ({@link #bind}; every problem at once); the tasks get the bound plan. Features are cast to the
 * model's element types (vectors unpacked, decimals and narrow integers widened), and only the
 * columns the spec names are kept. The returned DataFrame scores lazily, partition by partition.
 */
public final class SparkScoring {
  /** Columns the job adds after the predictions. */
  public static final List<String> MODEL_COLUMNS =
      List.of("model_name", "model_version", "model_sha256", "scored_at");

  /**
   * Set to false to read rows instead of the scan's column vectors (the columnar path is used only
   * where it applies: a plain vectorized scan and features stored as the model takes them or as a
   * lossless widening).
   */
  public static final String COLUMNAR_CONF = "spark.batchscore.columnar";

  private SparkScoring() {}

  /**
   * How the scored DataFrame is laid out, and whether its tasks profile what they score.
   *
   * @param passthroughAll every input column passes through (else the spec's passthrough list)
   * @param modelColumns the model's name, version, SHA-256 and the time follow the predictions
   * @param profile the tasks profile the features and predictions ({@link Prepared#metrics})
   */
  public record Layout(boolean passthroughAll, boolean modelColumns, boolean profile) {
    /** The job's layout: the spec's passthrough columns, predictions, model columns; profiled. */
    public static final Layout JOB = new Layout(false, true, true);

    /** An ML Transformer's layout: every input column, then the predictions. */
    public static final Layout TRANSFORMER = new Layout(true, false, false);

    /** The same layout, profiled or not. */
    public Layout withProfile(boolean on) {
      return new Layout(passthroughAll, modelColumns, on);
    }
  }

  /**
   * A prepared scoring: the scored DataFrame (lazy), the plan it scores with, its counters, and
   * whether tasks read the scan's column vectors (true) or rows.
   */
  public record Prepared(
      Dataset<Row> scored, ScoringPlan plan, ScoreMetrics metrics, boolean columnar) {}

  /**
   * Binds a spec to its model and a DataFrame's schema, on the driver, before any data is read: the
   * model is found where the driver sees it (a local path, a file shipped with {@code --files}, or
   * copied from a Hadoop file system), its pin checked and its signature read, and the spec checked
   * against both (every problem at once). With the Transformer's layout every input column passes
   * through, so the spec's own passthrough list is left out.
   *
   * @throws ModelLoadException the model cannot be found, read, or is not the one pinned
   * @throws SpecException the spec does not fit the model or the DataFrame's columns
   */
  public static ScoringPlan bind(
      SparkSession spark, StructType schema, ScoringSpec spec, Layout layout)
      throws SpecException, ModelLoadException {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    spec = ModelFiles.resolveVersion(spec, conf);
    Path local = ModelFiles.localPath(spec.modelPath(), spec.baseDir(), conf);
    // The pin is checked here, before any input is read, and again where each executor loads.
    ModelSource source = ModelSource.of(local);
    ModelInfo model;
    try {
      source.checkPin(spec.modelSha256());
      model = Models.inspect(source);
    } catch (ModelLoadException e) {
      throw Models.explained(spec, e);
    }
    ScoringSpec bound =
        layout.passthroughAll() ? spec.toBuilder().clearPassthrough().build() : spec;
    return ScoringPlan.bind(bound, model, SparkTypes.inputSchema(schema), ModelFiles.locator(conf));
  }

  /**
   * Binds the spec ({@link #bind}) and returns the DataFrame that scores the input with it, lazily,
   * partition by partition. Features are cast to the model's element types (vectors unpacked,
   * decimals and narrow integers widened) and only the columns the layout needs are read.
   */
  public static Prepared prepare(
      SparkSession spark, Dataset<Row> input, ScoringSpec spec, Layout layout)
      throws SpecException, ModelLoadException {
    StructType schema = input.schema();
    ScoringPlan scoring = bind(spark, schema, spec, layout);
    InputSchema inputSchema = scoring.inputSchema();
    List<OutputColumn> outputs = scoring.outputColumns();

    // Projection: passthrough columns as they are, then each feature cast to its model type.
    List<String> passthrough =
        layout.passthroughAll() ? List.of(schema.fieldNames()) : scoring.passthrough();
    List<Column> projection = new ArrayList<>();
    for (String p : passthrough) {
      projection.add(col(quote(p)));
    }
    Map<String, ElementType> targets = scoring.featureColumns();
    TaskPlan plan = new TaskPlan();
    plan.scoring = scoring;
    int f = 0;
    plan.featureNames = new String[targets.size()];
    plan.featureOrdinals = new int[targets.size()];
    plan.featureTypes = new ElementType[targets.size()];
    plan.featureIsArray = new boolean[targets.size()];
    for (Map.Entry<String, ElementType> e : targets.entrySet()) {
      DataType t = schema.apply(e.getKey()).dataType();
      boolean array = !inputSchema.type(e.getKey()).isScalar();
      projection.add(cast(col(quote(e.getKey())), t, e.getValue()).alias("__bs_f" + f));
      plan.featureNames[f] = e.getKey();
      plan.featureOrdinals[f] = passthrough.size() + f;
      plan.featureTypes[f] = e.getValue();
      plan.featureIsArray[f] = array;
      f++;
    }

    StructType out = new StructType();
    plan.passthroughOrdinals = new int[passthrough.size()];
    plan.passthroughTypes = new DataType[passthrough.size()];
    for (int i = 0; i < passthrough.size(); i++) {
      StructField field = schema.apply(passthrough.get(i));
      out = out.add(field);
      plan.passthroughOrdinals[i] = i;
      plan.passthroughTypes[i] = field.dataType();
    }
    plan.predictionColumns = new String[outputs.size()];
    for (int i = 0; i < outputs.size(); i++) {
      OutputColumn oc = outputs.get(i);
      out = out.add(oc.name(), SparkTypes.sparkType(oc.type()), false);
      plan.predictionColumns[i] = oc.name();
    }
    if (layout.modelColumns()) {
      out =
          out.add("model_name", DataTypes.StringType, false)
              .add("model_version", DataTypes.StringType, false)
              .add("model_sha256", DataTypes.StringType, false)
              .add("scored_at", DataTypes.TimestampType, false);
    }
    plan.outputSchema = out;
    plan.modelColumns = layout.modelColumns();
    // The executors need the Hadoop configuration only to fetch a model from a Hadoop file system
    // (hdfs://, s3a://...); broadcasting it took a quarter of prepare's time (~6 ms a query).
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> hadoopConf =
        ModelFiles.anyRemote(spec)
            ? jsc.broadcast(
                new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()))
            : null;
    ScoreMetrics metrics =
        new ScoreMetrics(spark.sparkContext(), "batchscore." + scoring.modelName());
    plan.profile = layout.profile();

    SparkInternals.ColumnarSource source =
        Boolean.parseBoolean(spark.conf().get(COLUMNAR_CONF, "true"))
            ? columnar(input, passthrough, plan)
            : null;
    Broadcast<TaskPlan> shipped = jsc.broadcast(plan);
    RDD<InternalRow> scored;
    // The tasks' profiles merge into one: each samples its share (the partitions are known here,
    // and cached in the RDD for the run).
    if (source != null) {
      RDD<ColumnarBatch> batches = source.batches();
      scored =
          batches
              .toJavaRDD()
              .mapPartitions(
                  new PartitionScorer<ColumnarBatch>(
                      shipped, metrics, hadoopConf, tasks(batches, plan.profile)))
              .rdd();
    } else {
      // Built only here: the columnar path reads the scan itself (analysing this projection
      // took a tenth of prepare's time on the sample spec).
      Dataset<Row> projected = input.select(projection.toArray(new Column[0]));
      RDD<InternalRow> rows = SparkInternals.toInternalRdd(projected);
      scored =
          rows.toJavaRDD()
              .mapPartitions(
                  new PartitionScorer<InternalRow>(
                      shipped, metrics, hadoopConf, tasks(rows, plan.profile)))
              .rdd();
    }
    Dataset<Row> df = SparkInternals.fromInternalRdd(spark, scored, out);
    return new Prepared(df, scoring, metrics, plan.columnar);
  }

  /** The RDD's partitions when its tasks profile (listing an input's splits), else 1. */
  private static int tasks(RDD<?> rdd, boolean profile) {
    return profile ? rdd.getNumPartitions() : 1;
  }

  /**
   * Points the plan at the input's vectorized scan when the input is a plain scan and every feature
   * can be read from column vectors as it is stored; null (the row path) otherwise.
   */
  private static SparkInternals.ColumnarSource columnar(
      Dataset<Row> input, List<String> passthrough, TaskPlan plan) {
    StructType schema = input.schema();
    int f = plan.featureNames.length;
    DataType[] sources = new DataType[f];
    for (int i = 0; i < f; i++) {
      sources[i] = schema.apply(plan.featureNames[i]).dataType();
      if (!ColumnarBatchReader.canRead(sources[i], plan.featureTypes[i], plan.featureIsArray[i])) {
        return null;
      }
    }
    java.util.LinkedHashSet<String> read = new java.util.LinkedHashSet<>(passthrough);
    read.addAll(List.of(plan.featureNames));
    SparkInternals.ColumnarSource source =
        SparkInternals.columnarSource(
            input.select(read.stream().map(c -> col(quote(c))).toArray(Column[]::new)));
    if (source == null) {
      return null;
    }
    int[] features = new int[f];
    for (int i = 0; i < f; i++) {
      features[i] = source.columns().indexOf(plan.featureNames[i]);
    }
    int[] pass = new int[passthrough.size()];
    for (int i = 0; i < pass.length; i++) {
      pass[i] = source.columns().indexOf(passthrough.get(i));
    }
    if (java.util.stream.IntStream.concat(
            java.util.Arrays.stream(features), java.util.Arrays.stream(pass))
        .anyMatch(i -> i < 0)) {
      return null;
    }
    plan.columnar = true;
    plan.featureOrdinals = features;
    plan.featureSourceTypes = sources;
    plan.passthroughOrdinals = pass;
    return source;
  }

  private static Column cast(Column c, DataType from, ElementType target) {
    DataType to = SparkTypes.sparkType(target);
    if (from instanceof VectorUDT) {
      Column arr =
          org.apache.spark.ml.functions.vector_to_array(
              c, target == ElementType.FLOAT ? "float32" : "float64");
      return arr.cast(DataTypes.createArrayType(to));
    }
    if (from instanceof ArrayType) {
      return c.cast(DataTypes.createArrayType(to));
    }
    ColumnType ct = SparkTypes.columnType(from);
    return ct != null
            && ct.element() == target
            && !(from instanceof org.apache.spark.sql.types.DecimalType)
            && !(from instanceof org.apache.spark.sql.types.ShortType)
            && !(from instanceof org.apache.spark.sql.types.ByteType)
        ? c
        : c.cast(to);
  }

  /** Quotes a column name for {@code col()} so dots and spaces are taken literally. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
