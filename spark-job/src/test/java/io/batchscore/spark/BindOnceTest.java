package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.core.spec.ScoringSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver binds the spec once; tasks neither parse the spec nor check it again. Read from the
 * DEBUG log of scoring-core, which says each time a spec is parsed or bound, and on which thread.
 */
class BindOnceTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Log lines of scoring-core's spec and plan, as "thread: message", while {@code r} runs. */
  private static List<String> logged(Runnable r) {
    List<String> lines = new CopyOnWriteArrayList<>();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    AbstractAppender capture =
        new AbstractAppender("bind-once", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent e) {
            lines.add(e.getThreadName() + ": " + e.getMessage().getFormattedMessage());
          }
        };
    capture.start();
    String[] loggers = {"io.batchscore.core.spec.SpecParser", "io.batchscore.core.ScoringPlan"};
    for (String name : loggers) {
      LoggerConfig lc = new LoggerConfig(name, Level.DEBUG, false);
      lc.addAppender(capture, Level.DEBUG, null);
      config.addLogger(name, lc);
    }
    ctx.updateLoggers();
    try {
      r.run();
    } finally {
      for (String name : loggers) {
        config.removeLogger(name);
      }
      ctx.updateLoggers();
      capture.stop();
    }
    return lines;
  }

  @Test
  void theDriverBindsOnceAndTasksNeitherParseNorCheckTheSpec() throws Exception {
    ScoringSpec spec = ScoringSpec.load(TestData.sample("specs/breast_cancer.yaml"));
    Dataset<Row> input = SparkTestSession.csv(spark, "breast_cancer.csv").repartition(8);
    String driver = Thread.currentThread().getName();
    long[] rows = new long[1];
    List<String> lines =
        logged(
            () -> {
              try {
                rows[0] =
                    SparkScoring.prepare(spark, input, spec, SparkScoring.Layout.JOB)
                        .scored()
                        .count();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertEquals(569, rows[0]);
    assertEquals(1, lines.size(), "one bind, no parse: " + lines);
    assertTrue(lines.get(0).startsWith(driver + ": bound the spec "), lines.get(0));
  }
}
