package io.batchscore.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchscore.core.TestData;
import io.batchscore.spark.job.ScoringJob;
import io.batchscore.spark.job.WriteMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Airflow DAG, proven without Airflow: python3 compiles it, and the exact arguments it gives
 * spark-submit (rendered by scheduling/render_dag_args.py for a logical date) are accepted by the
 * job's own argument parser with the values the DAG meant.
 */
class AirflowDagTest {
  private static String python() {
    for (String p : List.of("/usr/bin/python3", "python3")) {
      try {
        Process pr = new ProcessBuilder(p, "--version").redirectErrorStream(true).start();
        if (pr.waitFor(20, TimeUnit.SECONDS) && pr.exitValue() == 0) {
          return p;
        }
      } catch (Exception e) {
        // try the next
      }
    }
    return null;
  }

  private static String run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .directory(TestData.repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theDagsSparkSubmitArgumentsAreAcceptedByTheJobsParser() throws Exception {
    String py = python();
    assumeTrue(py != null, "python3 is not installed: the DAG cannot be compiled here");
    run(
        py,
        "-c",
        "import ast,sys; ast.parse(open('scheduling/airflow-dag.py').read()); "
            + "compile(open('scheduling/airflow-dag.py').read(), 'airflow-dag.py', 'exec')");
    JsonNode dag =
        new ObjectMapper().readTree(run(py, "scheduling/render_dag_args.py", "2026-11-24"));
    assertEquals(1, dag.get("max_active_runs").asInt(), "runs never overlap");
    assertTrue(dag.get("catchup").asBoolean());
    assertTrue(dag.get("retries").asInt() > 0);
    JsonNode task = dag.get("tasks").get(0);
    assertEquals(ScoringJob.class.getName(), task.get("java_class").asText());
    assertTrue(
        task.get("conf")
            .get("spark.executor.extraJavaOptions")
            .asText()
            .contains("-Dai.djl.offline=true"));
    List<String> args = new ArrayList<>();
    task.get("application_args").forEach(a -> args.add(a.asText()));

    ScoringJob job = new ScoringJob();
    new CommandLine(job).parseArgs(args.toArray(new String[0]));
    assertEquals(null, job.options.check(), "option combination accepted");
    assertEquals(LocalDate.of(2026, 11, 24), job.options.runDate());
    assertEquals(WriteMode.OVERWRITE, job.options.mode);
    assertEquals("/opt/batchscore/specs/churn.yaml", job.options.spec);
    assertEquals(
        "hdfs:///warehouse/features/ds=2026-11-24",
        job.options.template(job.options.input),
        "the job templates the input path with the run date Airflow passed");
    assertEquals("hdfs:///warehouse/predictions/churn", job.options.output);
    assertTrue(job.options.failOnDrift, "a drifted run fails the task (exit 7) once committed");
  }

  @Test
  void theDagsTableOutputArgumentsAreAcceptedByTheJobsParser() throws Exception {
    String py = python();
    assumeTrue(py != null, "python3 is not installed: the DAG cannot be run here");
    JsonNode rendered =
        new ObjectMapper()
            .readTree(
                run(
                    py,
                    "scheduling/render_dag_args.py",
                    "--job-args",
                    "{\"spec\": \"s.yaml\", \"input_path\": \"in\", \"output\": \"reports\","
                        + " \"run_date\": \"2026-11-24\", \"output_table\": \"lake.ml.p\","
                        + " \"table_format\": \"delta\", \"runs_table\": \"lake.ml.runs\"}"));
    List<String> args = new ArrayList<>();
    rendered.forEach(a -> args.add(a.asText()));
    ScoringJob job = new ScoringJob();
    new CommandLine(job).parseArgs(args.toArray(new String[0]));
    assertEquals(null, job.options.check(), "option combination accepted: " + args);
    assertEquals("lake.ml.p", job.options.outputTable);
    assertEquals(null, job.options.output);
    assertEquals("reports", job.options.reportsRoot());
    assertEquals("delta", job.options.tableFormat);
    assertEquals("lake.ml.runs", job.options.runsTable);
  }
}
