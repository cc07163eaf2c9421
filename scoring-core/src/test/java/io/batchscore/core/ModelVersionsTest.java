package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.spec.ScoringSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model named by a versioned folder, laid out as TF Serving's: BASE/<version>/model.onnx. */
class ModelVersionsTest {
  @TempDir Path tmp;

  /** BASE with versions 1, 2 and 10 (10 is the latest: numbers, not text), and a stray folder. */
  private Path versions() throws Exception {
    Path base = tmp.resolve("models/breast_cancer");
    for (String v : new String[] {"1", "2", "10"}) {
      Files.createDirectories(base.resolve(v));
      Files.copy(
          TestData.sample("models/breast_cancer_logreg.onnx"), base.resolve(v + "/model.onnx"));
    }
    Files.createDirectories(base.resolve("11.tmp")); // a version being copied in
    return base;
  }

  private ScoringSpec spec(Path base, String version) throws Exception {
    ScoringSpec.Builder b =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .model(base.toString())
            .name(null);
    return version == null ? b.version(null).build() : b.version(version).build();
  }

  @Test
  void latestIsTheHighestNumberedVersionAndBecomesTheModelsVersion() throws Exception {
    Path base = versions();
    for (String latest : new String[] {null, "latest", "LATEST"}) {
      ScoringPlan plan = ScoringPlan.bind(spec(base, latest), null);
      assertEquals("10", plan.modelVersion(), String.valueOf(latest));
      assertEquals(base.resolve("10/model.onnx"), plan.spec().resolvedModelPath());
      assertEquals("breast_cancer", plan.modelName(), "the folder's name, not model.onnx's");
    }
  }

  @Test
  void aNumberPinsThatVersion() throws Exception {
    Path base = versions();
    ScoringPlan plan = ScoringPlan.bind(spec(base, "2"), null);
    assertEquals("2", plan.modelVersion());
    assertEquals(base.resolve("2/model.onnx"), plan.spec().resolvedModelPath());
    assertEquals(base.resolve("2/model.onnx").toString(), plan.model().source());
  }

  @Test
  void aVersionFolderWithOneOnnxFileOfAnotherNameIsFound() throws Exception {
    Path base = tmp.resolve("m");
    Files.createDirectories(base.resolve("3"));
    Files.copy(TestData.sample("models/breast_cancer_logreg.onnx"), base.resolve("3/lr.onnx"));
    Files.writeString(base.resolve("3/README.txt"), "trained 2026-12-01");
    assertEquals(
        base.resolve("3/lr.onnx"), Models.resolveVersion(spec(base, null)).resolvedModelPath());
  }

  @Test
  void aMissingOrMalformedVersionOrAnEmptyFolderIsAModelErrorNamingTheFolder() throws Exception {
    Path base = versions();
    ModelLoadException e =
        assertThrows(ModelLoadException.class, () -> ScoringPlan.bind(spec(base, "5"), null));
    assertTrue(
        e.getMessage().contains("version 5 is not in the model folder; it has [1, 2, 10]"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith(base.toString()), e.getMessage());
    e = assertThrows(ModelLoadException.class, () -> ScoringPlan.bind(spec(base, "v2"), null));
    assertTrue(
        e.getMessage().contains("'v2' is neither latest nor a whole number"), e.getMessage());
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    e = assertThrows(ModelLoadException.class, () -> Models.inspect(spec(empty, null)));
    assertTrue(e.getMessage().contains("holds no versions"), e.getMessage());
    Path two = Files.createDirectories(tmp.resolve("two/1"));
    Files.writeString(two.resolve("a.onnx"), "x");
    Files.writeString(two.resolve("b.onnx"), "x");
    e = assertThrows(ModelLoadException.class, () -> Models.inspect(spec(two.getParent(), null)));
    assertTrue(e.getMessage().contains("several .onnx files"), e.getMessage());
  }

  @Test
  void aModelFileKeepsTheSpecsVersionAsItIs() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    assertEquals(spec, Models.resolveVersion(spec));
    assertEquals("1", ScoringPlan.bind(spec, null).modelVersion());
  }
}
