package io.batchscore.core.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.batchscore.core.Models;
import io.batchscore.core.TestData;
import io.batchscore.core.model.ModelInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ZipMap-free copy DJL loads: the tensor ZipMap would have zipped, and its class keys. */
class ZipMapFreeTest {
  @TempDir Path tmp;

  @Test
  void aZipMapOutputBecomesTheFloatTensorItZipsWithTheKeysItUses() throws Exception {
    ZipMapFree.Rewrite r =
        ZipMapFree.rewrite(Files.readAllBytes(TestData.sample("models/wine_forest.onnx")));
    assertArrayEquals(new Object[] {0L, 1L, 2L}, r.keys().get("output_probability"));
    ModelInfo copy = Models.inspect(Files.write(tmp.resolve("wine.onnx"), r.model()));
    assertEquals(
        "float",
        copy.signature().output("output_probability").typeString().replaceAll("\\[.*", ""));
    ModelInfo original = Models.inspect(TestData.sample("models/wine_forest.onnx"));
    assertEquals(original.signature().inputs(), copy.signature().inputs());
    assertEquals(
        original.signature().output("output_label"), copy.signature().output("output_label"));
  }

  @Test
  void aModelWithoutZipMapIsLeftAsItIs() throws Exception {
    assertNull(
        ZipMapFree.rewrite(
            Files.readAllBytes(TestData.sample("models/breast_cancer_logreg.onnx"))));
  }
}
