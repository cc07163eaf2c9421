package io.batchscore.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchscore.core.OutputColumn;
import io.batchscore.core.ScoringPlan;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.monitor.Profile;
import io.batchscore.core.spec.Challenger;
import io.batchscore.core.spec.DeviceRequest;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import io.batchscore.spark.ModelFiles;
import io.batchscore.spark.SparkScoring;
import io.batchscore.spark.SparkTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that scores with an ONNX model as a scoring spec describes: it
 * appends the spec's prediction columns to its input, in a {@code Pipeline} or alone. It uses the
 * same partition scorer and per-JVM model cache as the batch job.
 *
 * <p>Saved with {@link #write()} (or as a stage of a saved {@code PipelineModel}), the model file
 * is copied into the saved folder ({@code model/}) and the spec is rewritten to point at it, so the
 * saved transformer is complete on its own.
 *
 * <pre>{@code
 * OnnxScoringModel scorer = new OnnxScoringModel().setSpec(Files.readString(specFile));
 * Dataset<Row> scored = scorer.transform(features);
 * scorer.write().overwrite().save("hdfs:///models/churn-scorer");
 * }</pre>
 */
public final class OnnxScoringModel extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uid;
  private final Param<String> spec;
  private final IntParam batchSize;
  private final Param<String> device;
  private final IntParam intraOpThreads;
  private final StringArrayParam predictionCols;

  public OnnxScoringModel() {
    this(Identifiable$.MODULE$.randomUID("onnxScoring"));
  }

  public OnnxScoringModel(String uid) {
    this.uid = uid;
    this.spec =
        new Param<>(this, "spec", "the scoring spec (JSON or YAML), with an absolute model path");
    this.batchSize =
        new IntParam(
            this,
            "batchSize",
            "rows per model call; overrides the spec's batchSize",
            ParamValidators.gtEq(1));
    this.device =
        new Param<>(
            this,
            "device",
            "auto, cpu, cuda or cuda:N; overrides the spec's device",
            (scala.Function1<String, Object>) OnnxScoringModel::validDevice);
    this.intraOpThreads =
        new IntParam(
            this,
            "intraOpThreads",
            "ONNX Runtime intra-op threads per model call; overrides the spec's"
                + " session.intraOpThreads",
            ParamValidators.gtEq(1));
    this.predictionCols =
        new StringArrayParam(
            this,
            "predictionCols",
            "names of the spec's prediction columns, one per output binding in the spec's order;"
                + " overrides the spec's column names");
  }

  private static Object validDevice(String d) {
    try {
      DeviceRequest.parse(d);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The scoring spec param. */
  public Param<String> spec() {
    return spec;
  }

  /** Sets the spec text (JSON or YAML); relative model paths resolve against the working folder. */
  public OnnxScoringModel setSpec(String text) {
    set(spec, text);
    return this;
  }

  /** Sets the spec from a parsed spec (its model path is written resolved). */
  public OnnxScoringModel setSpec(ScoringSpec s) {
    return setSpec(s.toJson());
  }

  public String getSpec() {
    return $(spec);
  }

  public IntParam batchSize() {
    return batchSize;
  }

  /** Rows per model call (as SynapseML's {@code setMiniBatchSize}): overrides the spec's. */
  public OnnxScoringModel setBatchSize(int rows) {
    set(batchSize, rows);
    return this;
  }

  /** The rows per model call the transformer scores with: the Param when set, else the spec's. */
  public int getBatchSize() {
    return isSet(batchSize) ? (Integer) $(batchSize) : parsedSpec().batchSize();
  }

  public Param<String> device() {
    return device;
  }

  /** {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}: overrides the spec's device. */
  public OnnxScoringModel setDevice(String d) {
    set(device, d);
    return this;
  }

  /** The device the transformer asks for: the Param when set, else the spec's. */
  public String getDevice() {
    return isSet(device) ? $(device) : parsedSpec().device().toString();
  }

  public IntParam intraOpThreads() {
    return intraOpThreads;
  }

  /** ONNX Runtime's intra-op threads per model call: overrides the spec's. */
  public OnnxScoringModel setIntraOpThreads(int n) {
    set(intraOpThreads, n);
    return this;
  }

  /**
   * The intra-op threads per model call: the Param when set, else the spec's, else 0 (each task
   * uses its CPU share, {@code spark.task.cpus}).
   */
  public int getIntraOpThreads() {
    if (isSet(intraOpThreads)) {
      return (Integer) $(intraOpThreads);
    }
    Integer n = parsedSpec().session().intraOpThreads();
    return n == null ? 0 : n;
  }

  public StringArrayParam predictionCols() {
    return predictionCols;
  }

  /** Names of the prediction columns, one per output binding of the spec, in its order. */
  public OnnxScoringModel setPredictionCols(String... names) {
    set(predictionCols, names);
    return this;
  }

  /** The prediction columns' names: the Param when set, else the spec's. */
  public String[] getPredictionCols() {
    return isSet(predictionCols)
        ? $(predictionCols)
        : parsedSpec().outputs().stream().map(o -> o.column()).toArray(String[]::new);
  }

  private ScoringSpec parsedSpec() {
    try {
      return ScoringSpec.parse($(spec), "spec of " + uid, null);
    } catch (SpecException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The spec with the Params that are set in place of its own values. */
  ScoringSpec effectiveSpec() {
    ScoringSpec s = parsedSpec();
    if (!isSet(batchSize) && !isSet(device) && !isSet(intraOpThreads) && !isSet(predictionCols)) {
      return s;
    }
    ScoringSpec.Builder b = s.toBuilder();
    if (isSet(batchSize)) {
      b.batchSize((Integer) $(batchSize));
    }
    if (isSet(device)) {
      b.device(DeviceRequest.parse($(device)));
    }
    if (isSet(intraOpThreads)) {
      b.session(s.session().withIntraOpThreads((Integer) $(intraOpThreads)));
    }
    if (isSet(predictionCols)) {
      String[] names = $(predictionCols);
      if (names.length != s.outputs().size()) {
        throw new IllegalArgumentException(
            "predictionCols has "
                + names.length
                + " names but the spec has "
                + s.outputs().size()
                + " output bindings ("
                + s.outputs().stream().map(o -> o.column()).toList()
                + ")");
      }
      b.clearOutputs();
      for (int i = 0; i < names.length; i++) {
        b.output(s.outputs().get(i).withColumn(names[i]));
      }
    }
    try {
      return b.build();
    } catch (SpecException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    @SuppressWarnings("unchecked")
    Dataset<Row> df = (Dataset<Row>) dataset;
    try {
      return SparkScoring.prepare(
              df.sparkSession(), df, effectiveSpec(), SparkScoring.Layout.TRANSFORMER)
          .scored();
    } catch (SpecException | ModelLoadException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Scores a dataset and returns the profile of what it scored, its features and predictions (an
   * action: the dataset is read and scored once, nothing is kept): the same profile the job stores
   * beside a run's report, to compare with a reference ({@code Drift.compare}) or to save as one
   * ({@code Profiles.write}).
   */
  public Profile profile(Dataset<?> dataset) {
    @SuppressWarnings("unchecked")
    Dataset<Row> df = (Dataset<Row>) dataset;
    try {
      SparkScoring.Prepared p =
          SparkScoring.prepare(
              df.sparkSession(),
              df,
              effectiveSpec(),
              SparkScoring.Layout.TRANSFORMER.withProfile(true));
      p.scored().count();
      return p.metrics().profile.value().copy();
    } catch (SpecException | ModelLoadException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    try {
      ScoringPlan plan =
          SparkScoring.bind(
              SparkSession.active(), schema, effectiveSpec(), SparkScoring.Layout.TRANSFORMER);
      StructType out = schema;
      for (OutputColumn c : plan.outputColumns()) {
        out = out.add(c.name(), SparkTypes.sparkType(c.type()), false);
      }
      return out;
    } catch (SpecException | ModelLoadException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public OnnxScoringModel copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<OnnxScoringModel> read() {
    return new Reader();
  }

  public static OnnxScoringModel load(String path) {
    return read().load(path);
  }

  /** Saves params in Spark's DefaultParamsWriter layout and copies the model file alongside. */
  private static final class Writer extends MLWriter {
    private final OnnxScoringModel instance;

    Writer(OnnxScoringModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      try {
        Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
        // saved with the Params applied: the loaded transformer scores as this one
        ScoringSpec s = ModelFiles.resolveVersion(instance.effectiveSpec(), conf);
        Path local = ModelFiles.localPath(s.modelPath(), s.baseDir(), conf);
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = root.getFileSystem(conf);
        String fileName = copy(local, fs, new org.apache.hadoop.fs.Path(root, "model"));
        ScoringSpec.Builder saved =
            s.toBuilder().model("model/" + fileName).baseDir(null).clearChallengers();
        // Each challenger's model goes into challengers/<name>/: the folder stays whole.
        for (Challenger c : s.challengers()) {
          ScoringSpec cs = ModelFiles.resolveVersion(c.spec(), conf);
          Path file = ModelFiles.localPath(cs.modelPath(), cs.baseDir(), conf);
          String dir = "challengers/" + c.name();
          String name = copy(file, fs, new org.apache.hadoop.fs.Path(root, dir));
          saved.challenger(
              new Challenger(
                  c.name(),
                  c.mode(),
                  c.share(),
                  c.key(),
                  c.prefix(),
                  cs.toBuilder().model(dir + "/" + name).baseDir(null).build()));
        }
        String relSpec = saved.build().toJson();
        ObjectNode meta = JSON.createObjectNode();
        meta.put("class", OnnxScoringModel.class.getName());
        meta.put("timestamp", System.currentTimeMillis());
        meta.put("sparkVersion", sparkSession().version());
        meta.put("uid", instance.uid());
        meta.putObject("paramMap").put("spec", relSpec);
        meta.putObject("defaultParamMap");
        try (OutputStream out =
            fs.create(new org.apache.hadoop.fs.Path(root, "metadata/part-00000"), true)) {
          out.write((JSON.writeValueAsString(meta) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException | ModelLoadException | SpecException e) {
        throw new IllegalStateException(
            "cannot save " + instance.uid() + " to " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Copies a model file and its external weight files, which stay beside it, into {@code dir};
   * returns the model file's name.
   */
  private static String copy(Path model, FileSystem fs, org.apache.hadoop.fs.Path dir)
      throws IOException, ModelLoadException {
    for (Path f : ModelSource.of(model).files()) {
      String rel = model.getParent().relativize(f).toString().replace('\\', '/');
      try (InputStream in = Files.newInputStream(f);
          OutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, rel), true)) {
        in.transferTo(out);
      }
    }
    return model.getFileName().toString();
  }

  /**
   * A saved folder's model path, which must name a file inside the folder: a relative path that
   * never climbs out of it. A folder is data that users copy around; loading it must not read a
   * model from anywhere else.
   */
  static String inside(String modelPath) throws IOException {
    String p = modelPath.replace('\\', '/');
    Path rel = Path.of(p).normalize();
    // A scheme (hdfs:, file:) or a drive is a ':'; an absolute path or '..' leaves the folder.
    if (p.startsWith("/")
        || p.contains(":")
        || rel.isAbsolute()
        || rel.startsWith("..")
        || rel.toString().isEmpty()) {
      throw new IOException(
          "its model path '"
              + modelPath
              + "' points outside the saved folder;"
              + " a saved OnnxScoringModel loads only the model inside it (model/...)");
    }
    return rel.toString();
  }

  /** A saved model path ({@link #inside}) as a path or URI under the saved folder. */
  private static String within(org.apache.hadoop.fs.Path root, String modelPath)
      throws IOException {
    org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(root, inside(modelPath));
    return model.toUri().getScheme() != null && model.toUri().getScheme().equals("file")
        ? model.toUri().getPath()
        : model.toString();
  }

  /** Loads a saved transformer; the spec's model paths point into the saved folder. */
  private static final class Reader extends MLReader<OnnxScoringModel> {
    @Override
    public OnnxScoringModel load(String path) {
      try {
        Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = root.getFileSystem(conf);
        root = fs.makeQualified(root);
        JsonNode meta;
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(root, "metadata/part-00000"))) {
          meta = JSON.readTree(in);
        }
        JsonNode specText = meta.path("paramMap").path("spec");
        if (!specText.isTextual()) {
          throw new IOException("metadata/part-00000 has no paramMap.spec");
        }
        ScoringSpec s = ScoringSpec.parse(specText.asText(), path, null);
        String modelRef = within(root, s.modelPath());
        ScoringSpec.Builder loaded = s.toBuilder().model(modelRef).clearChallengers();
        for (Challenger c : s.challengers()) {
          loaded.challenger(
              new Challenger(
                  c.name(),
                  c.mode(),
                  c.share(),
                  c.key(),
                  c.prefix(),
                  c.spec().toBuilder().model(within(root, c.spec().modelPath())).build()));
        }
        OnnxScoringModel m = new OnnxScoringModel(meta.get("uid").asText());
        return m.setSpec(loaded.build());
      } catch (IOException | SpecException | RuntimeException e) {
        throw new IllegalStateException(
            "cannot load an OnnxScoringModel from " + path + ": " + e.getMessage(), e);
      }
    }
  }
}
