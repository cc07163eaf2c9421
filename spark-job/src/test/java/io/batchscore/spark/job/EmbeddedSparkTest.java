package io.batchscore.spark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session batchscore makes with a local master listens on loopback only, with no UI. */
class EmbeddedSparkTest {
  @Test
  void aLocalMasterBindsToLoopbackWithTheUiOffUnlessAskedFor() {
    assertEquals(
        Map.of(
            "spark.driver.bindAddress",
            "127.0.0.1",
            "spark.driver.host",
            "127.0.0.1",
            "spark.ui.enabled",
            "false"),
        EmbeddedSpark.settings("local[*]", false));
    assertEquals("true", EmbeddedSpark.settings("local", true).get("spark.ui.enabled"));
    assertTrue(EmbeddedSpark.isLocal("local[2,3]"));
  }

  @Test
  void aClusterMasterAndSettingsTheUserGaveAreLeftAlone() {
    assertEquals(Map.of(), EmbeddedSpark.settings("spark://host:7077", false));
    assertEquals(Map.of(), EmbeddedSpark.settings("local-cluster[2,1,1024]", false));
    assertEquals(Map.of(), EmbeddedSpark.settings(null, false), "spark-submit decides");
    System.setProperty("spark.driver.host", "10.1.2.3");
    try {
      assertFalse(EmbeddedSpark.settings("local[2]", false).containsKey("spark.driver.host"));
    } finally {
      System.clearProperty("spark.driver.host");
    }
  }
}
