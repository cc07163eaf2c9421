package io.batchscore.cli;

/**
 * Picks slf4j's logging backend before the first logger exists. Commands that start Spark ({@code
 * run}, {@code schedule}) log through Spark's log4j2; the local ones ({@code score}, {@code
 * inspect}, {@code validate}) through slf4j-simple, because log4j2's start-up alone takes about 0.5
 * s, an eighth of scoring a million tabular rows with {@code score}. Both are configured alike:
 * warnings and errors on stderr, Parquet, Hadoop and DJL at error ({@code log4j2.properties},
 * {@code simplelogger.properties}). A {@code -Dslf4j.provider} given by the user wins.
 */
final class Logging {
  static final String SPARK = "org.apache.logging.slf4j.SLF4JServiceProvider";
  static final String LOCAL = "org.slf4j.simple.SimpleServiceProvider";

  private Logging() {}

  static void chooseFor(String[] args) {
    if (System.getProperty("slf4j.provider") != null) {
      return;
    }
    String command = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        command = a;
        break;
      }
    }
    boolean spark = "run".equals(command) || "schedule".equals(command);
    if (java.util.Arrays.asList(args).contains("--verbose")
        && System.getProperty("batchscore.sparkTaskLog") == null) {
      System.setProperty("batchscore.sparkTaskLog", "error"); // see log4j2.properties
    }
    System.setProperty("slf4j.provider", spark ? SPARK : LOCAL);
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty(
          "slf4j.internal.verbosity", "WARN"); // not "loading the provider you named"
    }
  }
}
