package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.column.Column;
import io.batchscore.core.column.ColumnBatch;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.model.ModelSource;
import io.batchscore.core.spec.InputBinding;
import io.batchscore.core.spec.OutputBinding;
import io.batchscore.core.spec.ScoringSpec;
import io.batchscore.core.spec.SpecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's external weights: read only from inside the model's folder, and covered by the SHA-256
 * pin. The fixture {@code external.onnx} names {@code external.bin}; these tests copy it with that
 * 12-byte location replaced by another of the same length.
 */
class ExternalWeightsTest {
  @TempDir Path tmp;
  private final ScorerOptions opts = ScorerOptions.builder().cache(new ModelCache(4)).build();

  /** external.onnx with its location replaced (same length, so no protobuf length changes). */
  private static byte[] withLocation(String location) throws Exception {
    byte[] model = Files.readAllBytes(TestData.fixture("external.onnx"));
    byte[] from = "external.bin".getBytes(StandardCharsets.US_ASCII);
    byte[] to = location.getBytes(StandardCharsets.US_ASCII);
    assertEquals(from.length, to.length, "same length");
    int at = indexOf(model, from);
    assertTrue(
        at >= 0 && indexOf(java.util.Arrays.copyOfRange(model, at + 1, model.length), from) < 0);
    System.arraycopy(to, 0, model, at, to.length);
    return model;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static ScoringSpec spec(Path model) throws SpecException {
    return ScoringSpec.builder()
        .model(model)
        .input(InputBinding.ofColumn("x", "x"))
        .output(OutputBinding.of("y", "y"))
        .build();
  }

  private static ColumnBatch oneRow() {
    return ColumnBatch.builder(1)
        .add("x", Column.ofArrays(Column.ofFloats(1, 0, 0, 1), 4, 1))
        .build();
  }

  private ModelLoadException refused(Path model) {
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> BatchScorer.open(ScoringPlan.bind(spec(model), null), opts));
    assertThrows(ModelLoadException.class, () -> Models.inspect(model), "inspect refuses it too");
    return e;
  }

  @Test
  void weightsNamedOutsideTheModelsFolderAreRefusedThoughTheFileIsThere() throws Exception {
    Path inner = Files.createDirectories(tmp.resolve("inner"));
    Files.copy(
        TestData.fixture("external.bin"),
        tmp.resolve("outer.bin")); // valid weights: ORT would load them
    Path model = Files.write(inner.resolve("m.onnx"), withLocation("../outer.bin"));
    ModelLoadException e = refused(model);
    assertTrue(
        e.getMessage()
            .contains(
                "external data location '../outer.bin' reaches outside the model's folder ("
                    + inner
                    + ")"),
        e.getMessage());
  }

  @Test
  void anAbsoluteWeightsLocationIsRefused() throws Exception {
    Path model = Files.write(tmp.resolve("m.onnx"), withLocation("/etc/passwd0"));
    ModelLoadException e = refused(model);
    assertTrue(
        e.getMessage().contains("external data location '/etc/passwd0' is an absolute path"),
        e.getMessage());
  }

  @Test
  void aWeightsFileThatIsALinkLeadingOutsideIsRefused() throws Exception {
    Path inner = Files.createDirectories(tmp.resolve("inner"));
    Path outside = Files.copy(TestData.fixture("external.bin"), tmp.resolve("secret.bin"));
    Files.copy(TestData.fixture("external.onnx"), inner.resolve("m.onnx"));
    Files.createSymbolicLink(inner.resolve("external.bin"), outside);
    ModelLoadException e = refused(inner.resolve("m.onnx"));
    assertTrue(
        e.getMessage()
            .contains("is a link to " + outside.toRealPath() + ", outside the model's folder"),
        e.getMessage());
  }

  @Test
  void aMissingWeightsFileIsNamed() throws Exception {
    Path model = Files.copy(TestData.fixture("external.onnx"), tmp.resolve("m.onnx"));
    ModelLoadException e = refused(model);
    assertTrue(
        e.getMessage()
            .contains(
                "external data location 'external.bin': no file " + tmp.resolve("external.bin")),
        e.getMessage());
  }

  @Test
  void anInMemoryModelWithExternalWeightsIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(TestData.fixture("external.onnx"));
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () ->
                BatchScorer.open(
                    ScoringPlan.bind(
                        spec(tmp.resolve("unused.onnx")),
                        Models.inspect(ModelSource.of(bytes, "mem")),
                        null),
                    ModelSource.of(bytes, "mem"),
                    opts));
    assertTrue(
        e.getMessage().contains("keeps weights in external files [external.bin]"), e.getMessage());
  }

  @Test
  void thePinCoversTheWeightsFileAndATamperedOneIsRefused() throws Exception {
    Path model = Files.copy(TestData.fixture("external.onnx"), tmp.resolve("m.onnx"));
    Path weights = Files.copy(TestData.fixture("external.bin"), tmp.resolve("external.bin"));
    String pin = ModelSource.of(model).sha256();
    // the digest of what `sha256sum m.onnx external.bin` prints in the model's folder
    String manifest =
        sha(Files.readAllBytes(model))
            + "  m.onnx\n"
            + sha(Files.readAllBytes(weights))
            + "  external.bin\n";
    assertEquals(sha(manifest.getBytes(StandardCharsets.UTF_8)), pin);
    assertEquals(pin, Models.inspect(model).sha256(), "inspect shows the pin to use");
    try (BatchScorer s =
        BatchScorer.open(
            ScoringPlan.bind(spec(model).toBuilder().modelSha256(pin).build(), null), opts)) {
      assertEquals(1, s.score(oneRow()).rowsScored());
    }

    byte[] w = Files.readAllBytes(weights);
    w[w.length - 1] ^= 0x40; // one weight changed
    Files.write(weights, w);
    assertNotEquals(pin, ModelSource.of(model).sha256());
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () ->
                BatchScorer.open(
                    ScoringPlan.bind(spec(model).toBuilder().modelSha256(pin).build(), null),
                    opts));
    assertTrue(
        e.getMessage()
            .contains(
                "but the spec expects "
                    + pin
                    + " (the digest covers the model file and its external weight files)"),
        e.getMessage());
  }

  @Test
  void aModelThatSetsNoVersionIsVersionedByItsDigestNotOnnxRuntimesSentinel() throws Exception {
    Path model = Files.copy(TestData.fixture("external.onnx"), tmp.resolve("m.onnx"));
    Files.copy(TestData.fixture("external.bin"), tmp.resolve("external.bin"));
    ScoringPlan plan = ScoringPlan.bind(spec(model), null);
    assertFalse(plan.model().signature().metadata().hasVersion());
    String sha = plan.model().sha256();
    assertEquals("sha256:" + sha.substring(0, 12), plan.modelVersion());
    assertFalse(plan.modelVersion().contains(Long.toString(Long.MAX_VALUE)));
    assertEquals(
        "3", ScoringPlan.bind(spec(model).toBuilder().version("3").build(), null).modelVersion());
  }

  @Test
  void aModelWithoutExternalWeightsKeepsItsFilesDigest() throws Exception {
    Path lr = TestData.sample("models/breast_cancer_logreg.onnx");
    assertEquals(sha(Files.readAllBytes(lr)), ModelSource.of(lr).sha256());
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
