package io.batchscore.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes scoring specs. YAML and JSON share one schema (JSON is YAML). Every problem is
 * collected with where it is, so a user fixes a spec in one round.
 */
final class SpecParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final Set<String> TOP_KEYS =
      Set.of(
          "name",
          "version",
          "model",
          "engine",
          "device",
          "batchSize",
          "session",
          "inputs",
          "outputs",
          "passthrough",
          "nulls",
          "text",
          "monitoring",
          "challengers");
  private static final Set<String> CHALLENGER_KEYS =
      Set.of(
          "name", "mode", "share", "key", "prefix", "model", "version", "engine", "inputs",
          "outputs");
  private static final Set<String> MONITORING_KEYS =
      Set.of("reference", "features", "thresholds", "columns");
  private static final Set<String> MODEL_KEYS = Set.of("path", "sha256");
  private static final Set<String> SESSION_KEYS =
      Set.of("intraOpThreads", "interOpThreads", "optimization", "executionMode", "cuda", "config");
  private static final Set<String> INPUT_KEYS = Set.of("input", "columns", "column", "shape");
  private static final Set<String> OUTPUT_KEYS =
      Set.of(
          "output",
          "column",
          "transform",
          "labels",
          "k",
          "positiveClass",
          "scoresColumn",
          "normalize",
          "keepShape");
  private static final Set<String> TEXT_KEYS =
      Set.of(
          "column",
          "tokenizer",
          "maxLength",
          "truncation",
          "inputIds",
          "attentionMask",
          "tokenTypeIds");
  private static final Set<String> NULL_KEYS = Set.of("policy", "fill");

  private static final Logger LOG = LoggerFactory.getLogger(SpecParser.class);

  private SpecParser() {}

  static ScoringSpec load(Path file) throws SpecException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpecException(file.toString(), "spec file not found");
    } catch (IOException e) {
      throw new SpecException(file.toString(), "cannot read spec file: " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), dir);
  }

  static ScoringSpec parse(String text, String origin, Path baseDir) throws SpecException {
    LOG.debug("parsing the spec {}", origin);
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new SpecException(
          origin, List.of(new Problem(where, "not valid YAML or JSON: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new SpecException(origin, "cannot parse: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new SpecException(origin, "a spec is a mapping (YAML) or an object (JSON)");
    }
    Reader r = new Reader();
    ScoringSpec.Builder b = ScoringSpec.builder().origin(origin).baseDir(baseDir);
    r.unknownKeys(root, TOP_KEYS, "");
    r.text(root, "name", "name").ifPresent(b::name);
    if (root.has("version")) {
      b.version(root.get("version").asText());
    }
    readModel(r, root.get("model"), b);
    r.text(root, "engine", "engine")
        .ifPresent(
            s -> {
              try {
                b.engine(EngineKind.parse(s));
              } catch (IllegalArgumentException e) {
                r.add("engine", "'" + s + "' is not one of ort, djl");
              }
            });
    r.text(root, "device", "device")
        .ifPresent(
            s -> {
              try {
                b.device(DeviceRequest.parse(s));
              } catch (IllegalArgumentException e) {
                r.add("device", e.getMessage());
              }
            });
    r.integer(root, "batchSize", "batchSize").ifPresent(b::batchSize);
    readSession(r, root.get("session"), b);
    readText(r, root.get("text"), b);
    readInputs(r, root.get("inputs"), b, root.has("text"));
    readOutputs(r, root.get("outputs"), b);
    for (String c : r.textList(root.get("passthrough"), "passthrough")) {
      b.passthrough(c);
    }
    readNulls(r, root.get("nulls"), b);
    readMonitoring(r, root.get("monitoring"), b);
    readChallengers(r, root.get("challengers"), b, root.has("text"));
    return b.build(r.problems);
  }

  /**
   * Reads the {@code challengers} section: each entry is the champion's spec with its own name,
   * mode, model and, where given, version, engine, inputs and outputs. Problems are reported at
   * {@code challengers[i]...}.
   */
  private static void readChallengers(
      Reader r, JsonNode node, ScoringSpec.Builder b, boolean hasText) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      r.add("challengers", "expected a list of models ({name, mode, model})");
      return;
    }
    List<Challenger> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String at = "challengers[" + i + "]";
      JsonNode n = node.get(i);
      if (!n.isObject()) {
        r.add(at, "expected a mapping with 'name', 'mode' and 'model'");
        continue;
      }
      int before = r.problems.size();
      Reader cr = new Reader();
      cr.unknownKeys(n, CHALLENGER_KEYS, "");
      String name = cr.text(n, "name", "name").orElse(null);
      if (name == null || name.isBlank()) {
        cr.add("name", "missing: the challenger's name (used in reports and column names)");
      }
      Challenger.Mode mode = null;
      String m = cr.text(n, "mode", "mode").orElse(null);
      if (m == null) {
        cr.add("mode", "missing: shadow (every row, its own columns) or canary (a share of rows)");
      } else {
        try {
          mode = Challenger.Mode.parse(m);
        } catch (IllegalArgumentException e) {
          cr.add("mode", e.getMessage());
        }
      }
      double share = 0;
      JsonNode sn = n.get("share");
      if (sn != null && !sn.isNull()) {
        if (!sn.isNumber()) {
          cr.add("share", "expected a number in [0, 1], got '" + sn.asText() + "'");
        } else {
          share = sn.doubleValue();
        }
      }
      String key = cr.text(n, "key", "key").orElse(null);
      String prefix = cr.text(n, "prefix", "prefix").orElse(null);
      ScoringSpec.Builder cb =
          b.copy().clearChallengers().clearPassthrough().monitoring(Monitoring.DEFAULTS);
      cb.name(name).version(n.has("version") ? n.get("version").asText() : null).modelSha256(null);
      readModel(cr, n.get("model"), cb);
      cr.text(n, "engine", "engine")
          .ifPresent(
              s -> {
                try {
                  cb.engine(EngineKind.parse(s));
                } catch (IllegalArgumentException e) {
                  cr.add("engine", "'" + s + "' is not one of ort, djl");
                }
              });
      if (n.has("inputs")) {
        cb.clearInputs();
        readInputs(cr, n.get("inputs"), cb, hasText);
      }
      if (n.has("outputs")) {
        cb.clearOutputs();
        readOutputs(cr, n.get("outputs"), cb);
      }
      ScoringSpec spec = null;
      if (cr.problems.isEmpty()) {
        try {
          spec = cb.build();
        } catch (SpecException e) {
          cr.problems.addAll(e.problems());
        }
      }
      for (Problem p : cr.problems) {
        r.add(p.where().isEmpty() ? at : at + "." + p.where(), p.message());
      }
      if (r.problems.size() == before && mode != null) {
        out.add(
            mode == Challenger.Mode.SHADOW
                ? Challenger.shadow(name, prefix, spec)
                : Challenger.canary(name, share, key, spec));
        if (mode == Challenger.Mode.SHADOW && (n.has("share") || n.has("key"))) {
          r.add(at, "'share' and 'key' are for a canary; a shadow scores every row");
        }
        if (mode == Challenger.Mode.CANARY && n.has("prefix")) {
          r.add(at + ".prefix", "a canary publishes under the champion's column names");
        }
      }
    }
    out.forEach(b::challenger);
  }

  private static void readModel(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || node.isNull()) {
      r.add("model", "missing: give the model's path (model: path/to/model.onnx)");
    } else if (node.isTextual()) {
      b.model(node.asText());
    } else if (node.isObject()) {
      r.unknownKeys(node, MODEL_KEYS, "model");
      var path = r.text(node, "path", "model.path");
      if (path.isEmpty()) {
        r.add("model.path", "missing: the model's file path or URI");
      }
      path.ifPresent(b::model);
      r.text(node, "sha256", "model.sha256").ifPresent(b::modelSha256);
    } else {
      r.add("model", "expected a path or a mapping with 'path'");
    }
  }

  private static void readSession(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      r.add("session", "expected a mapping");
      return;
    }
    r.unknownKeys(node, SESSION_KEYS, "session");
    SessionConfig d = SessionConfig.DEFAULTS;
    Integer intra = r.integer(node, "intraOpThreads", "session.intraOpThreads").orElse(null);
    int inter = r.integer(node, "interOpThreads", "session.interOpThreads").orElse(1);
    String opt = r.text(node, "optimization", "session.optimization").orElse(d.optimization());
    if (!List.of("none", "basic", "extended", "all").contains(opt)) {
      r.add("session.optimization", "'" + opt + "' is not one of none, basic, extended, all");
    }
    String mode = r.text(node, "executionMode", "session.executionMode").orElse("sequential");
    if (!List.of("sequential", "parallel").contains(mode)) {
      r.add("session.executionMode", "'" + mode + "' is not one of sequential, parallel");
    }
    Map<String, String> cuda = r.textMap(node.get("cuda"), "session.cuda");
    Map<String, String> config = r.textMap(node.get("config"), "session.config");
    b.session(new SessionConfig(intra, inter, opt, mode.equals("parallel"), cuda, config));
  }

  private static void readText(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      r.add("text", "expected a mapping with 'column' and 'tokenizer'");
      return;
    }
    r.unknownKeys(node, TEXT_KEYS, "text");
    String column = r.text(node, "column", "text.column").orElse(null);
    if (column == null) {
      r.add("text.column", "missing: the text column");
    }
    String tokenizer = r.text(node, "tokenizer", "text.tokenizer").orElse(null);
    if (tokenizer == null) {
      r.add("text.tokenizer", "missing: the path of the model's tokenizer.json");
    }
    int max = r.integer(node, "maxLength", "text.maxLength").orElse(TextConfig.FROM_TOKENIZER);
    boolean truncation = !node.has("truncation") || node.get("truncation").asBoolean(true);
    b.text(
        new TextConfig(
            column == null ? "" : column,
            tokenizer == null ? "" : tokenizer,
            max,
            truncation,
            r.text(node, "inputIds", "text.inputIds").orElse("input_ids"),
            r.text(node, "attentionMask", "text.attentionMask").orElse("attention_mask"),
            r.text(node, "tokenTypeIds", "text.tokenTypeIds").orElse(null)));
  }

  private static void readInputs(Reader r, JsonNode node, ScoringSpec.Builder b, boolean hasText) {
    if (hasText && (node == null || node.isNull() || (node.isArray() && node.isEmpty()))) {
      return;
    }
    if (node == null || !node.isArray() || node.isEmpty()) {
      r.add("inputs", "expected a list of bindings, one per model input ({input, columns})");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = "inputs[" + i + "]";
      JsonNode n = node.get(i);
      if (!n.isObject()) {
        r.add(at, "expected a mapping with 'input' and 'columns' or 'column'");
        continue;
      }
      r.unknownKeys(n, INPUT_KEYS, at);
      String input = r.text(n, "input", at + ".input").orElse(null);
      if (input == null) {
        r.add(at + ".input", "missing: the model input this binding feeds");
      }
      boolean hasList = n.has("columns");
      boolean hasOne = n.has("column");
      if (hasList == hasOne) {
        r.add(at, "give either 'columns' (a list of scalar columns) or 'column' (one column)");
        continue;
      }
      InputBinding binding;
      if (hasList) {
        List<String> cols = expandRanges(r.textList(n.get("columns"), at + ".columns"), r, at);
        if (cols.isEmpty()) {
          r.add(at + ".columns", "expected at least one column");
        }
        binding = InputBinding.ofColumns(input == null ? "" : input, cols);
      } else {
        String col = r.text(n, "column", at + ".column").orElse("");
        binding = InputBinding.ofColumn(input == null ? "" : input, col);
      }
      if (n.has("shape")) {
        List<Integer> dims = r.intList(n.get("shape"), at + ".shape");
        binding = binding.withShape(dims.stream().mapToInt(Integer::intValue).toArray());
      }
      b.input(binding);
    }
  }

  private static final java.util.regex.Pattern RANGE =
      java.util.regex.Pattern.compile("^(.*)\\{(\\d+)\\.\\.(\\d+)\\}(.*)$");

  /** Expands {@code px{0..783}} into px0, px1, ... px783, in order. */
  static List<String> expandRanges(List<String> columns, Reader r, String at) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      java.util.regex.Matcher m = RANGE.matcher(c);
      if (!m.matches()) {
        out.add(c);
        continue;
      }
      long lo = Long.parseLong(m.group(2));
      long hi = Long.parseLong(m.group(3));
      if (hi < lo || hi - lo > 1_000_000) {
        r.add(
            at + ".columns", "range '" + c + "' must run upwards and hold at most 1,000,000 names");
        continue;
      }
      for (long i = lo; i <= hi; i++) {
        out.add(m.group(1) + i + m.group(4));
      }
    }
    return out;
  }

  private static void readOutputs(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      r.add("outputs", "expected a list of bindings ({output, column, transform})");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = "outputs[" + i + "]";
      JsonNode n = node.get(i);
      if (!n.isObject()) {
        r.add(at, "expected a mapping with 'output' and 'column'");
        continue;
      }
      r.unknownKeys(n, OUTPUT_KEYS, at);
      String output = r.text(n, "output", at + ".output").orElse(null);
      if (output == null) {
        r.add(at + ".output", "missing: the model output to read");
      }
      String column = r.text(n, "column", at + ".column").orElse(null);
      if (column == null) {
        r.add(at + ".column", "missing: the column to write");
      }
      Transform t = Transform.NONE;
      var ts = r.text(n, "transform", at + ".transform");
      if (ts.isPresent()) {
        try {
          t = Transform.parse(ts.get());
        } catch (IllegalArgumentException e) {
          r.add(
              at + ".transform",
              "'" + ts.get() + "' is not one of none, softmax, argmax, top_k, positive_class");
        }
      }
      List<String> labels = null;
      String labelsKey = null;
      JsonNode ln = n.get("labels");
      if (ln != null && ln.isObject()) {
        r.unknownKeys(ln, Set.of("metadata"), at + ".labels");
        labelsKey = r.text(ln, "metadata", at + ".labels.metadata").orElse(null);
      } else if (ln != null) {
        labels = r.textList(ln, at + ".labels");
      }
      int k = r.integer(n, "k", at + ".k").orElse(0);
      String positive = n.has("positiveClass") ? n.get("positiveClass").asText() : null;
      String scores = r.text(n, "scoresColumn", at + ".scoresColumn").orElse(null);
      boolean normalize = n.has("normalize") && n.get("normalize").asBoolean(false);
      boolean keepShape = n.has("keepShape") && n.get("keepShape").asBoolean(false);
      b.output(
          new OutputBinding(
              output == null ? "" : output,
              column == null ? "" : column,
              t,
              labels,
              labelsKey,
              k,
              positive,
              scores,
              normalize,
              keepShape));
    }
  }

  private static void readNulls(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || node.isNull()) {
      return;
    }
    String policy = null;
    if (node.isTextual()) {
      policy = node.asText();
    } else if (node.isObject()) {
      r.unknownKeys(node, NULL_KEYS, "nulls");
      policy = r.text(node, "policy", "nulls.policy").orElse("fail");
      if (node.has("fill")) {
        JsonNode f = node.get("fill");
        if (f.isNumber() || (f.isTextual() && f.asText().equalsIgnoreCase("nan"))) {
          b.fillValue(f.asDouble());
        } else {
          r.add("nulls.fill", "expected a number");
        }
      }
    } else {
      r.add("nulls", "expected fail, skip, fill, or {policy, fill}");
      return;
    }
    try {
      b.nullPolicy(NullPolicy.parse(policy));
    } catch (IllegalArgumentException e) {
      r.add("nulls", "'" + policy + "' is not one of fail, skip, fill");
    }
  }

  private static void readMonitoring(Reader r, JsonNode node, ScoringSpec.Builder b) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      r.add("monitoring", "expected a mapping (reference, features, thresholds, columns)");
      return;
    }
    r.unknownKeys(node, MONITORING_KEYS, "monitoring");
    String reference = r.text(node, "reference", "monitoring.reference").orElse(null);
    boolean features = true;
    JsonNode f = node.get("features");
    if (f != null && !f.isNull()) {
      if (!f.isBoolean()) {
        r.add("monitoring.features", "expected true or false");
      } else {
        features = f.asBoolean();
      }
    }
    Map<String, Monitoring.Threshold> thresholds =
        readThresholds(r, node.get("thresholds"), "monitoring.thresholds");
    Map<String, Map<String, Monitoring.Threshold>> columns = new java.util.LinkedHashMap<>();
    JsonNode cols = node.get("columns");
    if (cols != null && !cols.isNull()) {
      if (!cols.isObject()) {
        r.add("monitoring.columns", "expected a mapping from column to thresholds");
      } else {
        cols.fields()
            .forEachRemaining(
                e ->
                    columns.put(
                        e.getKey(),
                        readThresholds(r, e.getValue(), "monitoring.columns." + e.getKey())));
      }
    }
    b.monitoring(new Monitoring(reference, features, thresholds, columns));
  }

  private static Map<String, Monitoring.Threshold> readThresholds(
      Reader r, JsonNode node, String where) {
    Map<String, Monitoring.Threshold> out = new java.util.LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      r.add(where, "expected a mapping from metric to {warn, drift}");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = where + "." + e.getKey();
      if (!Monitoring.METRICS.contains(e.getKey())) {
        r.add(
            at,
            "unknown metric"
                + Problem.didYouMean(e.getKey(), Monitoring.METRICS)
                + "; known: "
                + new java.util.TreeSet<>(Monitoring.METRICS));
        continue;
      }
      JsonNode t = e.getValue();
      if (!t.isObject() || !t.path("warn").isNumber() || !t.path("drift").isNumber()) {
        r.add(at, "expected {warn: number, drift: number}");
        continue;
      }
      r.unknownKeys(t, Set.of("warn", "drift"), at);
      double warn = t.get("warn").asDouble();
      double drift = t.get("drift").asDouble();
      if (warn > drift) {
        r.add(at, "warn " + warn + " is above drift " + drift);
        continue;
      }
      out.put(e.getKey(), new Monitoring.Threshold(warn, drift));
    }
    return out;
  }

  static String toJson(ScoringSpec s) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("name", s.name());
    if (s.version() != null) {
      root.put("version", s.version());
    }
    ObjectNode model = root.putObject("model");
    model.put("path", resolvedForJson(s));
    if (s.modelSha256() != null) {
      model.put("sha256", s.modelSha256());
    }
    root.put("engine", s.engine().specName());
    root.put("device", s.device().toString());
    root.put("batchSize", s.batchSize());
    ObjectNode session = root.putObject("session");
    SessionConfig c = s.session();
    if (c.intraOpThreads() != null) {
      session.put("intraOpThreads", c.intraOpThreads());
    }
    session.put("interOpThreads", c.interOpThreads());
    session.put("optimization", c.optimization());
    session.put("executionMode", c.parallelExecution() ? "parallel" : "sequential");
    c.cudaOptions().forEach(session.putObject("cuda")::put);
    c.config().forEach(session.putObject("config")::put);
    writeInputs(s, root);
    writeOutputs(s, root);
    if (s.text() != null) {
      TextConfig t = s.text();
      ObjectNode tn = root.putObject("text");
      tn.put("column", t.column());
      tn.put(
          "tokenizer", s.baseDir() == null ? t.tokenizer() : s.resolvedTokenizerPath().toString());
      if (t.maxLength() != TextConfig.FROM_TOKENIZER) {
        tn.put("maxLength", t.maxLength());
      }
      tn.put("truncation", t.truncation());
      tn.put("inputIds", t.inputIds());
      tn.put("attentionMask", t.attentionMask());
      if (t.tokenTypeIds() != null) {
        tn.put("tokenTypeIds", t.tokenTypeIds());
      }
    }
    s.passthrough().forEach(root.putArray("passthrough")::add);
    root.putObject("nulls").put("policy", s.nullPolicy().specName()).put("fill", s.fillValue());
    Monitoring m = s.monitoring();
    if (!m.equals(Monitoring.DEFAULTS)) {
      ObjectNode mn = root.putObject("monitoring");
      if (m.reference() != null) {
        mn.put("reference", s.baseDir() == null ? m.reference() : s.resolvedReference().toString());
      }
      mn.put("features", m.features());
      if (!m.thresholds().isEmpty()) {
        ObjectNode t = mn.putObject("thresholds");
        new java.util.TreeMap<>(m.thresholds())
            .forEach((k, v) -> t.putObject(k).put("warn", v.warn()).put("drift", v.drift()));
      }
      if (!m.columns().isEmpty()) {
        ObjectNode cols = mn.putObject("columns");
        m.columns()
            .forEach(
                (col, ts) -> {
                  ObjectNode cn = cols.putObject(col);
                  new java.util.TreeMap<>(ts)
                      .forEach(
                          (k, v) -> cn.putObject(k).put("warn", v.warn()).put("drift", v.drift()));
                });
      }
    }
    if (!s.challengers().isEmpty()) {
      ArrayNode cs = root.putArray("challengers");
      for (Challenger ch : s.challengers()) {
        ObjectNode cn = cs.addObject();
        cn.put("name", ch.name()).put("mode", ch.mode().specName());
        if (ch.mode() == Challenger.Mode.CANARY) {
          cn.put("share", ch.share());
          if (ch.key() != null) {
            cn.put("key", ch.key());
          }
        } else {
          cn.put("prefix", ch.prefix());
        }
        ScoringSpec cs1 = ch.spec();
        if (cs1.version() != null) {
          cn.put("version", cs1.version());
        }
        ObjectNode cm = cn.putObject("model");
        cm.put("path", resolvedForJson(cs1));
        if (cs1.modelSha256() != null) {
          cm.put("sha256", cs1.modelSha256());
        }
        cn.put("engine", cs1.engine().specName());
        writeInputs(cs1, cn);
        writeOutputs(cs1, cn);
      }
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeInputs(ScoringSpec s, ObjectNode root) {
    ArrayNode inputs =
        s.inputs().isEmpty() && s.text() != null ? root.arrayNode() : root.putArray("inputs");
    for (InputBinding in : s.inputs()) {
      ObjectNode n = inputs.addObject().put("input", in.input());
      if (in.fromColumnList()) {
        in.columns().forEach(n.putArray("columns")::add);
      } else {
        n.put("column", in.columns().get(0));
      }
      if (in.shape() != null) {
        ArrayNode shape = n.putArray("shape");
        for (int d : in.shape()) {
          shape.add(d);
        }
      }
    }
  }

  private static void writeOutputs(ScoringSpec s, ObjectNode root) {
    ArrayNode outputs = root.putArray("outputs");
    for (OutputBinding o : s.outputs()) {
      ObjectNode n = outputs.addObject().put("output", o.output()).put("column", o.column());
      n.put("transform", o.transform().specName());
      if (o.labels() != null) {
        o.labels().forEach(n.putArray("labels")::add);
      } else if (o.labelsFromMetadata() != null) {
        n.putObject("labels").put("metadata", o.labelsFromMetadata());
      }
      if (o.k() > 0) {
        n.put("k", o.k());
      }
      if (o.positiveClass() != null) {
        n.put("positiveClass", o.positiveClass());
      }
      if (o.scoresColumn() != null) {
        n.put("scoresColumn", o.scoresColumn());
      }
      if (o.normalize()) {
        n.put("normalize", true);
      }
      if (o.keepShape()) {
        n.put("keepShape", true);
      }
    }
  }

  private static String resolvedForJson(ScoringSpec s) {
    String p = s.modelPath();
    if (p.contains("://") || s.baseDir() == null) {
      return p;
    }
    return s.resolvedModelPath().toString();
  }

  /** Typed reads from a JSON tree that record problems instead of throwing. */
  private static final class Reader {
    final List<Problem> problems = new ArrayList<>();

    void add(String where, String message) {
      problems.add(new Problem(where, message));
    }

    void unknownKeys(JsonNode node, Set<String> known, String where) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!known.contains(k)) {
          String at = where.isEmpty() ? k : where + "." + k;
          add(
              at,
              "unknown key"
                  + Problem.didYouMean(k, known)
                  + "; known: "
                  + new java.util.TreeSet<>(known));
        }
      }
    }

    java.util.Optional<String> text(JsonNode node, String key, String where) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return java.util.Optional.empty();
      }
      if (!v.isValueNode()) {
        add(where, "expected a text value");
        return java.util.Optional.empty();
      }
      if (v.isBoolean()) {
        add(where, booleanNotText(v));
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(v.asText());
    }

    /** YAML 1.1 reads yes/no/on/off/true/false as booleans: a label "no" would become "false". */
    static String booleanNotText(JsonNode v) {
      return "reads as the boolean "
          + v.asText()
          + " (YAML turns yes/no/on/off/true/false into booleans); quote it, e.g. \"no\", if you"
          + " meant text";
    }

    java.util.Optional<Integer> integer(JsonNode node, String key, String where) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return java.util.Optional.empty();
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        add(where, "expected a whole number, got '" + v.asText() + "'");
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(v.intValue());
    }

    List<String> textList(JsonNode node, String where) {
      List<String> out = new ArrayList<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isArray()) {
        add(where, "expected a list");
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        if (!node.get(i).isValueNode()) {
          add(where + "[" + i + "]", "expected a text value");
        } else if (node.get(i).isBoolean()) {
          add(where + "[" + i + "]", booleanNotText(node.get(i)));
        } else {
          out.add(node.get(i).asText());
        }
      }
      return out;
    }

    List<Integer> intList(JsonNode node, String where) {
      List<Integer> out = new ArrayList<>();
      if (!node.isArray()) {
        add(where, "expected a list of whole numbers");
        return out;
      }
      for (int i = 0; i < node.size(); i++) {
        if (!node.get(i).isIntegralNumber()) {
          add(where + "[" + i + "]", "expected a whole number");
        } else {
          out.add(node.get(i).intValue());
        }
      }
      return out;
    }

    Map<String, String> textMap(JsonNode node, String where) {
      Map<String, String> out = new LinkedHashMap<>();
      if (node == null || node.isNull()) {
        return out;
      }
      if (!node.isObject()) {
        add(where, "expected a mapping of names to values");
        return out;
      }
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
      return out;
    }
  }
}
