package io.batchscore.core.engine;

/**
 * DJL's network defaults, off. Without them DJL contacts a cloud metadata address when its engine
 * starts (telemetry) and may try to download native libraries. Applied before any DJL class is
 * used; a value the user set (system property or environment) is left alone.
 */
public final class DjlDefaults {
  private DjlDefaults() {}

  public static void apply() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null
        && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
