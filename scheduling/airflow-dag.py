"""Nightly batch scoring with batchscore, one run per logical date.

Each run submits the batchscore job jar with the run date taken from Airflow's logical date
(``{{ ds }}``). The job writes ``OUTPUT/run_date=YYYY-MM-DD/`` and replaces exactly that
partition, so a retry, a re-run from the UI, or a backfill (``catchup=True``) never duplicates
rows. Runs of this DAG never overlap (``max_active_runs=1``).

Set before use (Admin -> Variables is not needed; edit the params or trigger with config):
  * ``spark_default`` connection: the cluster master (yarn, k8s://..., spark://...);
  * ``params.spec``: the scoring spec, a path the Spark driver can read;
  * ``params.input``: input path, templated by the job itself with ``${run_date}``;
  * ``params.output``: output root.

Exit codes of the job (a failed task shows them in its log): 1 runtime failure, 2 usage,
3 invalid spec, 4 bad input, 5 model cannot be loaded, 6 output conflict, 7 drift. Retries help
with 1 (a lost executor, a busy cluster); 3, 4 and 5 fail the same way again until the spec, the
data or the model is fixed.

Drift: each run profiles its inputs and predictions and compares them with the spec's reference
profile and with the previous run (``OUTPUT/_reports/run_date=YYYY-MM-DD/report.html``). This
DAG passes ``--fail-on-drift`` (``job_args(..., fail_on_drift=False)`` only warns): a run whose
status is ``drift`` exits 7 after its predictions, profile and report are committed, so the task
fails and alerts while the predictions stay available. A retry or a clear scores the same data
and fails the same way: mark the task successful once someone has looked at the report.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# The job jar of the cluster's Spark line: batchscore-job.jar for Spark 4 (Scala 2.13),
# batchscore-job-spark3.5.jar for Spark 3.5 (Scala 2.12). A jar of one line fails on the other.
JOB_JAR = "/opt/batchscore/batchscore-job.jar"
JOB_CLASS = "io.batchscore.spark.job.ScoringJob"

# DJL and ONNX Runtime must never phone home from the cluster.
OFFLINE = "-Dai.djl.offline=true"


def job_args(spec, input_path, output, run_date, mode="overwrite", fail_on_drift=True):
    """The job's command line, exactly as spark-submit passes it to the main class."""
    args = [
        "--spec", spec,
        "--input", input_path,
        "--output", output,
        "--run-date", run_date,
        "--mode", mode,
    ]
    if fail_on_drift:
        args.append("--fail-on-drift")
    return args


default_args = {
    "owner": "ml-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "depends_on_past": False,
}

with DAG(
    dag_id="batchscore_nightly",
    description="Score yesterday's features with an ONNX model (batchscore)",
    schedule="0 3 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=True,
    max_active_runs=1,
    default_args=default_args,
    params={
        "spec": Param("/opt/batchscore/specs/churn.yaml", type="string"),
        "input": Param("hdfs:///warehouse/features/ds=${run_date}", type="string"),
        "output": Param("hdfs:///warehouse/predictions/churn", type="string"),
    },
    tags=["batchscore", "ml", "scoring"],
) as dag:
    score = SparkSubmitOperator(
        task_id="score",
        conn_id="spark_default",
        application=JOB_JAR,
        java_class=JOB_CLASS,
        name="batchscore-{{ ds }}",
        application_args=job_args(
            spec="{{ params.spec }}",
            input_path="{{ params.input }}",
            output="{{ params.output }}",
            run_date="{{ ds }}",
        ),
        conf={
            "spark.driver.extraJavaOptions": OFFLINE,
            "spark.executor.extraJavaOptions": OFFLINE,
            "spark.executorEnv.OPT_OUT_TRACKING": "true",
            "spark.yarn.appMasterEnv.OPT_OUT_TRACKING": "true",
            "spark.task.cpus": "1",
        },
        env_vars={"OPT_OUT_TRACKING": "true"},
        execution_timeout=timedelta(hours=4),
    )
