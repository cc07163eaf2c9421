package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.model.ModelLoadException;
import io.batchscore.core.spec.ScoringSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models from a Hadoop file system URI (copied once per JVM) and from files shipped with --files.
 */
class ModelFilesTest {
  @TempDir Path tmp;

  /**
   * A non-local scheme ("bstest://") served from the local disk, standing in for hdfs:// or s3a://.
   */
  public static final class TestFs extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("bstest:///");
    }

    @Override
    public String getScheme() {
      return "bstest";
    }
  }

  @Test
  void aModelOnAHadoopFileSystemIsCopiedOncePerJvm() throws Exception {
    Path model = tmp.resolve("remote/m.onnx");
    Files.createDirectories(model.getParent());
    Files.copy(TestData.sample("models/wine_forest.onnx"), model);
    Configuration conf = new Configuration();
    conf.set("fs.bstest.impl", TestFs.class.getName());
    conf.setBoolean("fs.bstest.impl.disable.cache", true);
    String uri = "bstest://" + model;
    Path local = ModelFiles.localPath(uri, null, conf);
    assertNotEquals(model, local, "a local copy");
    assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(local));
    assertEquals(local, ModelFiles.localPath(uri, null, conf), "the copy is reused");
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> ModelFiles.localPath("bstest://" + tmp.resolve("missing.onnx"), null, conf));
    assertTrue(e.getMessage().endsWith("model file not found"), e.getMessage());
  }

  @Test
  void aVersionedFolderOnAHadoopFileSystemIsResolvedThroughItsListing() throws Exception {
    Path base = tmp.resolve("remote/churn");
    for (String v : new String[] {"3", "12"}) {
      Files.createDirectories(base.resolve(v));
      Files.copy(
          TestData.sample("models/breast_cancer_logreg.onnx"), base.resolve(v + "/model.onnx"));
    }
    Configuration conf = new Configuration();
    conf.set("fs.bstest.impl", TestFs.class.getName());
    conf.setBoolean("fs.bstest.impl.disable.cache", true);
    ScoringSpec spec =
        ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
            .model("bstest://" + base)
            .name(null)
            .version("latest")
            .build();
    ScoringSpec latest = ModelFiles.resolveVersion(spec, conf);
    assertEquals("bstest:" + base.resolve("12/model.onnx"), latest.modelPath());
    assertEquals("12", latest.version());
    assertEquals("churn", latest.name());
    assertTrue(Files.isRegularFile(ModelFiles.localPath(latest.modelPath(), null, conf)));
    ScoringSpec three = ModelFiles.resolveVersion(spec.toBuilder().version("3").build(), conf);
    assertEquals("bstest:" + base.resolve("3/model.onnx"), three.modelPath());
    ModelLoadException e =
        assertThrows(
            ModelLoadException.class,
            () -> ModelFiles.resolveVersion(spec.toBuilder().version("4").build(), conf));
    assertTrue(
        e.getMessage().contains("version 4 is not in the model folder; it has [3, 12]"),
        e.getMessage());
  }

  @Test
  void onlyAFileSystemUriOtherThanFileNeedsHadoop() {
    assertTrue(ModelFiles.isRemote("hdfs://nn/models/m.onnx"));
    assertTrue(ModelFiles.isRemote("s3a://bucket/m.onnx"));
    assertFalse(ModelFiles.isRemote("/models/m.onnx"));
    assertFalse(ModelFiles.isRemote("models/m.onnx"));
    assertFalse(ModelFiles.isRemote("file:/models/m.onnx"));
    assertFalse(ModelFiles.isRemote("C:/models/m.onnx"));
  }

  @Test
  void theHadoopConfigurationTasksReadAModelWithSurvivesKryoAndJavaSerialization() {
    // Tasks get the driver's Hadoop configuration as a broadcast, which Spark writes with the
    // configured serializer: Kryo is common in production.
    Configuration conf = new Configuration(false);
    conf.set("fs.bstest.impl", TestFs.class.getName());
    org.apache.spark.SparkConf sparkConf = new org.apache.spark.SparkConf();
    for (org.apache.spark.serializer.Serializer ser :
        java.util.List.of(
            new org.apache.spark.serializer.KryoSerializer(sparkConf),
            new org.apache.spark.serializer.JavaSerializer(sparkConf))) {
      var tag =
          scala.reflect.ClassTag$.MODULE$.<org.apache.spark.util.SerializableConfiguration>apply(
              org.apache.spark.util.SerializableConfiguration.class);
      var instance = ser.newInstance();
      var back =
          instance.deserialize(
              instance.serialize(new org.apache.spark.util.SerializableConfiguration(conf), tag),
              tag);
      assertEquals(
          TestFs.class.getName(),
          back.value().get("fs.bstest.impl"),
          ser.getClass().getSimpleName());
    }
  }

  @Test
  void aModelShippedWithFilesIsFoundByName() throws Exception {
    Path shipped = tmp.resolve("ship/shipped_model.onnx");
    Files.createDirectories(shipped.getParent());
    Files.copy(TestData.sample("models/breast_cancer_logreg.onnx"), shipped);
    SparkSession spark = SparkTestSession.start();
    try {
      spark.sparkContext().addFile(shipped.toString());
      ScoringSpec spec =
          ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml")).toBuilder()
              .model("shipped_model.onnx")
              .baseDir(null)
              .build();
      var scored =
          SparkScoring.prepare(
                  spark,
                  SparkTestSession.csv(spark, "breast_cancer.csv").repartition(3),
                  spec,
                  SparkScoring.Layout.JOB)
              .scored();
      assertEquals(569, scored.count());
      assertTrue(
          ModelFiles.localPath("shipped_model.onnx", null, new Configuration())
              .toString()
              .contains("spark"),
          "resolved through SparkFiles");
    } finally {
      spark.stop();
    }
  }
}
