package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.spec.DeviceRequest;
import io.batchscore.core.spec.EngineKind;
import io.batchscore.core.spec.NullPolicy;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import io.batchscore.core.spec.Transform;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** YAML and JSON share one schema; every mistake in a spec is reported at once, by where it is. */
class SpecParsingTest {
  private static final String YAML =
      """
      name: demo
      version: "7"
      model: {path: models/m.onnx, sha256: abc}
      engine: ort
      device: cuda:1
      batchSize: 256
      session: {intraOpThreads: 2, optimization: extended, cuda: {gpu_mem_limit: "1024"}}
      inputs:
        - input: x
          columns: [a, "f{1..3}"]
        - input: img
          column: pixels
          shape: [1, 28, 28]
      outputs:
        - {output: probs, column: p, transform: positive_class, positiveClass: 1}
        - {output: probs, column: top, transform: top_k, k: 2, labels: ["no", "yes"], scoresColumn: top_scores}
        - {output: probs, column: cls, transform: argmax, labels: {metadata: classes}}
      passthrough: [id]
      nulls: {policy: fill, fill: -1}
      """;

  private static final String JSON =
      """
      {"name": "demo", "version": "7", "model": {"path": "models/m.onnx", "sha256": "abc"},
       "engine": "ort", "device": "cuda:1", "batchSize": 256,
       "session": {"intraOpThreads": 2, "optimization": "extended", "cuda": {"gpu_mem_limit": "1024"}},
       "inputs": [{"input": "x", "columns": ["a", "f{1..3}"]},
                  {"input": "img", "column": "pixels", "shape": [1, 28, 28]}],
       "outputs": [{"output": "probs", "column": "p", "transform": "positive_class", "positiveClass": 1},
                   {"output": "probs", "column": "top", "transform": "top_k", "k": 2,
                    "labels": ["no", "yes"], "scoresColumn": "top_scores"},
                   {"output": "probs", "column": "cls", "transform": "argmax", "labels": {"metadata": "classes"}}],
       "passthrough": ["id"], "nulls": {"policy": "fill", "fill": -1}}
      """;

  @Test
  void yamlAndJsonGiveTheSameSpec() throws Exception {
    ScoringSpec y = ScoringSpec.parse(YAML, "demo.yaml", Path.of("/specs"));
    ScoringSpec j = ScoringSpec.parse(JSON, "demo.json", Path.of("/specs"));
    assertEquals(y.toJson().replace("demo.yaml", ""), j.toJson().replace("demo.json", ""));
    assertEquals("demo", y.name());
    assertEquals("7", y.version());
    assertEquals(Path.of("/specs/models/m.onnx"), y.resolvedModelPath());
    assertEquals(EngineKind.ORT, y.engine());
    assertEquals(new DeviceRequest(DeviceRequest.Kind.CUDA, 1), y.device());
    assertEquals(256, y.batchSize());
    assertEquals(2, y.session().intraOpThreads());
    assertEquals("1024", y.session().cudaOptions().get("gpu_mem_limit"));
    assertEquals(List.of("a", "f1", "f2", "f3"), y.inputs().get(0).columns());
    assertEquals(28, y.inputs().get(1).shape()[2]);
    assertEquals(Transform.TOP_K, y.outputs().get(1).transform());
    assertEquals("classes", y.outputs().get(2).labelsFromMetadata());
    assertEquals(NullPolicy.FILL, y.nullPolicy());
    assertEquals(-1.0, y.fillValue());
    assertEquals(List.of("a", "f1", "f2", "f3", "pixels"), y.featureColumns());
  }

  @Test
  void canonicalJsonParsesBackToTheSameSpec() throws Exception {
    ScoringSpec y = ScoringSpec.parse(YAML, "demo.yaml", Path.of("/specs"));
    ScoringSpec back = ScoringSpec.parse(y.toJson(), "copy", null);
    assertEquals(y.toJson(), back.toJson());
    assertEquals(y.resolvedModelPath(), back.resolvedModelPath());
  }

  @Test
  void textSpecsRoundTripThroughCanonicalJson() throws Exception {
    String text =
        "model: m.onnx\ntext: {column: body, tokenizer: tok.json, truncation: false}\n"
            + "outputs: [{output: last_hidden_state, column: e, transform: mean_pooling, normalize: true}]\n";
    ScoringSpec s = ScoringSpec.parse(text, "text.yaml", Path.of("/m"));
    ScoringSpec back = ScoringSpec.parse(s.toJson(), "copy", null);
    assertEquals(s.toJson(), back.toJson());
    assertEquals("body", back.text().column());
    assertEquals(Path.of("/m/tok.json"), back.resolvedTokenizerPath());
    assertEquals(false, back.text().truncation());
    assertEquals(io.batchscore.core.spec.TextConfig.FROM_TOKENIZER, back.text().maxLength());
    assertTrue(back.outputs().get(0).normalize());
    assertEquals(List.of("body"), back.featureColumns());
  }

  @Test
  void everyMistakeIsReportedAtOnceWithWhereItIs() {
    String bad =
        """
        model: m.onnx
        batchsize: 10
        device: tpu
        engine: tensorflow
        inputs:
          - input: x
        outputs:
          - output: y
            column: y
            transform: sigmoid
          - output: y
            column: y
        nulls: maybe
        """;
    SpecException e =
        assertThrows(SpecException.class, () -> ScoringSpec.parse(bad, "bad.yaml", null));
    String m = e.getMessage();
    assertTrue(m.startsWith("spec bad.yaml has 7 problems"), m);
    assertTrue(m.contains("batchsize: unknown key (did you mean 'batchSize'?)"), m);
    assertTrue(m.contains("device: device 'tpu' is not one of auto, cpu, cuda, cuda:N"), m);
    assertTrue(m.contains("engine: 'tensorflow' is not one of ort, djl"), m);
    assertTrue(m.contains("inputs[0]: give either 'columns'"), m);
    assertTrue(m.contains("outputs[0].transform: 'sigmoid' is not one of"), m);
    assertTrue(m.contains("nulls: 'maybe' is not one of fail, skip, fill"), m);
    assertTrue(m.contains("column 'y' is written twice"), m);
  }

  @Test
  void yamlBooleanWhereTextIsExpectedIsRefusedNotTurnedIntoFalse() {
    String spec =
        "model: m.onnx\ninputs: [{input: x, column: a}]\n"
            + "outputs: [{output: y, column: c, transform: argmax, labels: [no, yes]}]\n";
    SpecException e =
        assertThrows(SpecException.class, () -> ScoringSpec.parse(spec, "norway.yaml", null));
    assertTrue(
        e.getMessage().contains("outputs[0].labels[0]: reads as the boolean false"),
        e.getMessage());
    assertEquals(2, e.problems().size());
  }

  @Test
  void malformedYamlNamesTheLine() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () -> ScoringSpec.parse("model: a\ninputs: [\n  - x", "broken.yaml", null));
    assertTrue(e.getMessage().contains("line "), e.getMessage());
    assertTrue(e.getMessage().contains("not valid YAML or JSON"), e.getMessage());
  }

  @Test
  void missingSpecFileIsNamed() {
    SpecException e =
        assertThrows(SpecException.class, () -> ScoringSpec.load(Path.of("/no/such/spec.yaml")));
    assertTrue(e.getMessage().contains("/no/such/spec.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("spec file not found"), e.getMessage());
  }

  @Test
  void theSampleSpecsParse() throws Exception {
    for (String s : List.of("breast_cancer", "wine_forest", "fashion_mlp")) {
      ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/" + s + ".yaml"));
      assertTrue(spec.resolvedModelPath().toFile().isFile(), s);
    }
    assertEquals(
        784,
        ScoringSpec.load(TestData.sample("specs/fashion_mlp.yaml"))
            .inputs()
            .get(0)
            .columns()
            .size());
  }
}
