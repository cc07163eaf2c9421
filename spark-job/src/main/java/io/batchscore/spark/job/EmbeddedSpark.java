package io.batchscore.spark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The settings of a Spark session that batchscore makes for itself with a local master ({@code
 * run}, {@code schedule}, the job's {@code --master local[...]}): its driver and block manager
 * listen on the loopback address only, and its web UI is off unless asked for. A local session has
 * no executors elsewhere to talk to, so nothing on the network needs to reach it.
 *
 * <p>Each setting applies only where the user has not set it ({@code -Dspark.ui.enabled=true},
 * {@code -Dspark.driver.host=...}). Sessions made by spark-submit or on a cluster master are left
 * as the cluster configures them. Spark binds its UI to {@code SPARK_LOCAL_IP}, or else to every
 * interface, whatever the settings say: {@code bin/batchscore} sets {@code SPARK_LOCAL_IP} to the
 * loopback address for local runs when it is unset.
 */
public final class EmbeddedSpark {
  static final String LOOPBACK = "127.0.0.1";

  private EmbeddedSpark() {}

  /** Whether a master URL runs Spark inside this JVM ({@code local}, {@code local[N]}, ...). */
  public static boolean isLocal(String master) {
    return master != null && (master.equals("local") || master.startsWith("local["));
  }

  /** The settings for a session with this master; empty for a non-local master. */
  public static Map<String, String> settings(String master, boolean ui) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!isLocal(master)) {
      return out;
    }
    putUnlessSet(out, "spark.driver.bindAddress", LOOPBACK);
    putUnlessSet(out, "spark.driver.host", LOOPBACK);
    putUnlessSet(out, "spark.ui.enabled", Boolean.toString(ui));
    return out;
  }

  /** A builder for a session with {@code master}, with {@link #settings} applied. */
  public static SparkSession.Builder builder(String master, String appName, boolean ui) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (master != null) {
      b.master(master);
    }
    settings(master, ui).forEach(b::config);
    return b;
  }

  private static void putUnlessSet(Map<String, String> out, String key, String value) {
    if (System.getProperty(key) == null) {
      out.put(key, value);
    }
  }
}
