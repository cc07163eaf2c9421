package io.batchscore.core.spec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The scoring spec: which model, how columns feed its inputs, how its outputs become columns,
 * post-processing, batch size, engine, device and session options, the null policy and the columns
 * passed through. The Spark job, the ML Transformer and the CLI all take this one spec.
 *
 * <p>Immutable. Read one with {@link #load(Path)} or {@link #parse(String, String, Path)} (YAML or
 * JSON, one schema), or build one with {@link #builder()}. {@link #toJson()} writes the canonical
 * JSON form, which parses back to an equal spec.
 */
public final class ScoringSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default rows per engine call. */
  public static final int DEFAULT_BATCH_SIZE = 1024;

  private final String name;
  private final String version;
  private final String modelPath;
  private final String modelSha256;
  private final EngineKind engine;
  private final DeviceRequest device;
  private final int batchSize;
  private final SessionConfig session;
  private final List<InputBinding> inputs;
  private final List<OutputBinding> outputs;
  private final List<String> passthrough;
  private final NullPolicy nullPolicy;
  private final double fillValue;
  private final TextConfig text;
  private final Monitoring monitoring;
  private final List<Challenger> challengers;

  /** The folder relative paths resolve against, as a string: {@link Path} is not serializable. */
  private final String baseDir;

  private final String origin;

  private ScoringSpec(Builder b) {
    this.name = b.name;
    this.version = b.version;
    this.modelPath = Objects.requireNonNull(b.modelPath, "model path");
    this.modelSha256 = b.modelSha256;
    this.engine = b.engine;
    this.device = b.device;
    this.batchSize = b.batchSize;
    this.session = b.session;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.passthrough = List.copyOf(b.passthrough);
    this.nullPolicy = b.nullPolicy;
    this.fillValue = b.fillValue;
    this.text = b.text;
    this.monitoring = b.monitoring;
    this.challengers = List.copyOf(b.challengers);
    this.baseDir = b.baseDir == null ? null : b.baseDir.toString();
    this.origin = b.origin;
  }

  /** Reads a spec file (YAML, or JSON when the file is JSON). Relative paths resolve beside it. */
  public static ScoringSpec load(Path file) throws SpecException {
    return SpecParser.load(file);
  }

  /**
   * Parses spec text.
   *
   * @param origin a description for messages (a file name)
   * @param baseDir the folder relative model paths resolve against; null for the working folder
   */
  public static ScoringSpec parse(String text, String origin, Path baseDir) throws SpecException {
    return SpecParser.parse(text, origin, baseDir);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.version = version;
    b.modelPath = modelPath;
    b.modelSha256 = modelSha256;
    b.engine = engine;
    b.device = device;
    b.batchSize = batchSize;
    b.session = session;
    b.inputs.addAll(inputs);
    b.outputs.addAll(outputs);
    b.passthrough.addAll(passthrough);
    b.nullPolicy = nullPolicy;
    b.fillValue = fillValue;
    b.text = text;
    b.monitoring = monitoring;
    b.challengers.addAll(challengers);
    b.baseDir = baseDir();
    b.origin = origin;
    return b;
  }

  /** The text column and tokenizer feeding a text model, or null. */
  public TextConfig text() {
    return text;
  }

  /** The {@code monitoring} section: reference profile, features profiled, drift thresholds. */
  public Monitoring monitoring() {
    return monitoring;
  }

  /**
   * The models scored in the same pass beside this spec's own (the champion), in the spec's order;
   * empty for a one-model spec.
   */
  public List<Challenger> challengers() {
    return challengers;
  }

  /**
   * Every column a scoring pass reads: the champion's features ({@link #featureColumns}), then each
   * challenger's that the champion does not read, then the canary key; without duplicates.
   */
  public List<String> readColumns() {
    List<String> cols = featureColumns();
    for (Challenger c : challengers) {
      for (String f : c.spec().featureColumns()) {
        if (!cols.contains(f)) {
          cols.add(f);
        }
      }
      if (c.key() != null && !cols.contains(c.key())) {
        cols.add(c.key());
      }
    }
    return cols;
  }

  /** The reference profile's path resolved against the spec's folder, or null. */
  public Path resolvedReference() {
    return monitoring.resolvedReference(baseDir());
  }

  /** The tokenizer path resolved against the spec's folder, or null without text. */
  public Path resolvedTokenizerPath() {
    if (text == null) {
      return null;
    }
    Path p = Path.of(text.tokenizer());
    return p.isAbsolute() || baseDir == null ? p : baseDir().resolve(p).normalize();
  }

  /** The model's name for output rows and reports; the model file's base name if not given. */
  public String name() {
    if (name != null) {
      return name;
    }
    String file = Path.of(modelPath).getFileName().toString();
    return file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
  }

  /** The version given in the spec, or null (the model's own metadata version is used then). */
  public String version() {
    return version;
  }

  /** The model path as written in the spec (a local path, or a URI for the Spark job). */
  public String modelPath() {
    return modelPath;
  }

  /** The model path resolved against the spec's folder, for local files. */
  public Path resolvedModelPath() {
    Path p = Path.of(modelPath);
    return p.isAbsolute() || baseDir == null ? p : baseDir().resolve(p).normalize();
  }

  /** The SHA-256 the spec expects the model to have, or null. */
  public String modelSha256() {
    return modelSha256;
  }

  public EngineKind engine() {
    return engine;
  }

  public DeviceRequest device() {
    return device;
  }

  public int batchSize() {
    return batchSize;
  }

  public SessionConfig session() {
    return session;
  }

  public List<InputBinding> inputs() {
    return inputs;
  }

  public List<OutputBinding> outputs() {
    return outputs;
  }

  /** Columns copied from the input to the output unchanged (ids, keys). */
  public List<String> passthrough() {
    return passthrough;
  }

  public NullPolicy nullPolicy() {
    return nullPolicy;
  }

  /** The value used in place of null and NaN features under {@link NullPolicy#FILL}. */
  public double fillValue() {
    return fillValue;
  }

  /** The folder relative paths resolve against, or null. */
  public Path baseDir() {
    return baseDir == null ? null : Path.of(baseDir);
  }

  /** Where the spec came from, for messages. */
  public String origin() {
    return origin;
  }

  /** Every input column the spec reads, in binding order, without duplicates. */
  public List<String> featureColumns() {
    List<String> cols = new ArrayList<>();
    if (text != null) {
      cols.add(text.column());
    }
    for (InputBinding in : inputs) {
      for (String c : in.columns()) {
        if (!cols.contains(c)) {
          cols.add(c);
        }
      }
    }
    return cols;
  }

  /** The canonical JSON form of this spec; the model path is written resolved. */
  public String toJson() {
    return SpecParser.toJson(this);
  }

  @Override
  public String toString() {
    return "ScoringSpec(" + name() + " from " + origin + ")";
  }

  /** Builds a spec; {@link #build()} checks what can be checked without the model. */
  public static final class Builder {
    private String name;
    private String version;
    private String modelPath;
    private String modelSha256;
    private EngineKind engine = EngineKind.ORT;
    private DeviceRequest device = DeviceRequest.AUTO;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private SessionConfig session = SessionConfig.DEFAULTS;
    private final List<InputBinding> inputs = new ArrayList<>();
    private final List<OutputBinding> outputs = new ArrayList<>();
    private final List<String> passthrough = new ArrayList<>();
    private NullPolicy nullPolicy = NullPolicy.FAIL;
    private double fillValue = 0.0;
    private TextConfig text;
    private Monitoring monitoring = Monitoring.DEFAULTS;
    private final List<Challenger> challengers = new ArrayList<>();
    private Path baseDir;
    private String origin = "(built in code)";

    private Builder() {}

    /** A builder holding the same state, for a spec that differs from this one in a few fields. */
    Builder copy() {
      Builder c = snapshot().toBuilder();
      c.modelPath = modelPath;
      c.baseDir = baseDir;
      return c;
    }

    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public Builder version(String v) {
      this.version = v;
      return this;
    }

    public Builder model(String path) {
      this.modelPath = path;
      return this;
    }

    public Builder model(Path path) {
      this.modelPath = path.toString();
      return this;
    }

    public Builder modelSha256(String sha) {
      this.modelSha256 = sha;
      return this;
    }

    public Builder engine(EngineKind e) {
      this.engine = Objects.requireNonNull(e);
      return this;
    }

    public Builder device(DeviceRequest d) {
      this.device = Objects.requireNonNull(d);
      return this;
    }

    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    public Builder session(SessionConfig s) {
      this.session = Objects.requireNonNull(s);
      return this;
    }

    public Builder input(InputBinding b) {
      inputs.add(b);
      return this;
    }

    public Builder clearInputs() {
      inputs.clear();
      return this;
    }

    public Builder output(OutputBinding b) {
      outputs.add(b);
      return this;
    }

    public Builder clearOutputs() {
      outputs.clear();
      return this;
    }

    public Builder passthrough(String... columns) {
      passthrough.addAll(List.of(columns));
      return this;
    }

    public Builder clearPassthrough() {
      passthrough.clear();
      return this;
    }

    public Builder nullPolicy(NullPolicy p) {
      this.nullPolicy = Objects.requireNonNull(p);
      return this;
    }

    public Builder fillValue(double v) {
      this.fillValue = v;
      return this;
    }

    /** Feeds a text model from a text column through a tokenizer (null to remove). */
    public Builder text(TextConfig t) {
      this.text = t;
      return this;
    }

    /** The {@code monitoring} section ({@link Monitoring#DEFAULTS} when the spec has none). */
    public Builder monitoring(Monitoring m) {
      this.monitoring = Objects.requireNonNull(m);
      return this;
    }

    /** Adds a model scored in the same pass ({@link ScoringSpec#challengers}). */
    public Builder challenger(Challenger c) {
      challengers.add(Objects.requireNonNull(c));
      return this;
    }

    public Builder clearChallengers() {
      challengers.clear();
      return this;
    }

    public Builder baseDir(Path dir) {
      this.baseDir = dir;
      return this;
    }

    public Builder origin(String o) {
      this.origin = o;
      return this;
    }

    /** Builds the spec, or reports every structural problem at once. */
    public ScoringSpec build() throws SpecException {
      return build(List.of());
    }

    /** Builds, reporting {@code earlier} problems (from parsing) with the structural ones. */
    ScoringSpec build(List<io.batchscore.core.spec.Problem> earlier) throws SpecException {
      List<io.batchscore.core.spec.Problem> problems = new ArrayList<>(earlier);
      for (io.batchscore.core.spec.Problem p : SpecStructure.check(this.snapshot())) {
        // "inputs: at least one binding" says nothing new when inputs[0] was reported malformed
        boolean covered = earlier.stream().anyMatch(e -> e.where().startsWith(p.where()));
        if (!covered) {
          problems.add(p);
        }
      }
      if (!problems.isEmpty()) {
        throw new SpecException(origin, problems);
      }
      return new ScoringSpec(this);
    }

    /** A spec of the current state for structural checks; a missing model path reads as "". */
    private ScoringSpec snapshot() {
      String saved = modelPath;
      modelPath = modelPath == null ? "" : modelPath;
      try {
        return new ScoringSpec(this);
      } finally {
        modelPath = saved;
      }
    }
  }
}
