"""Nightly batch scoring with batchscore, one run per logical date.

Each run submits the batchscore job jar with the run date taken from Airflow's logical date
(``{{ ds }}``). The job writes ``OUTPUT/run_date=YYYY-MM-DD/`` (or a table's run_date) and
replaces exactly that partition, so a retry, a re-run from the UI, or a backfill (``catchup=True``) never duplicates
rows. Runs of this DAG never overlap (``max_active_runs=1``).

Set before use (Admin -> Variables is not needed; edit the params or trigger with config):
  * ``spark_default`` connection: the cluster master (yarn, k8s://..., spark://...);
  * ``params.spec``: the scoring spec, a path the Spark driver can read;
  * ``params.input``: input path, templated by the job itself with ``${run_date}``;
  * ``params.output``: output root (with ``OUTPUT_TABLE`` set: where run reports and profiles go).

Predictions into a lakehouse table instead of folders: set ``OUTPUT_TABLE`` (a catalog table,
e.g. ``lake.ml.churn_predictions``), ``TABLE_FORMAT`` (``iceberg`` or ``delta``, used when the
job creates the table), ``TABLE_PACKAGES`` (the format's Spark runtime, unless the cluster has it)
and ``TABLE_CONF`` (the catalog's settings). A run then replaces its date in one atomic commit of
the table's format, on any store; ``RUNS_TABLE`` also appends one row per run (counts, drift
status, report) to a table of its own.

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

# Lakehouse output (see above); None keeps the dated Parquet folders under params.output.
OUTPUT_TABLE = None  # e.g. "lake.ml.churn_predictions"
TABLE_FORMAT = "iceberg"  # or "delta"
RUNS_TABLE = None  # e.g. "lake.ml.churn_runs"
# The format's runtime for the cluster's Spark line, e.g. for Spark 4.0:
# "org.apache.iceberg:iceberg-spark-runtime-4.0_2.13:1.10.0" or "io.delta:delta-spark_2.13:4.0.0"
TABLE_PACKAGES = None
# The catalog, e.g. an Iceberg catalog "lake" (Delta: its extension and DeltaCatalog instead).
TABLE_CONF = {
    # "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
    # "spark.sql.catalog.lake": "org.apache.iceberg.spark.SparkCatalog",
    # "spark.sql.catalog.lake.type": "hadoop",
    # "spark.sql.catalog.lake.warehouse": "hdfs:///warehouse/iceberg",
}

# DJL and ONNX Runtime must never phone home from the cluster.
OFFLINE = "-Dai.djl.offline=true"


def job_args(spec, input_path, output, run_date, mode="overwrite", fail_on_drift=True,
             output_table=None, table_format=None, runs_table=None):
    """The job's command line, exactly as spark-submit passes it to the main class.

    With ``output_table``, the predictions go to that table and ``output`` holds the run reports.
    """
    args = ["--spec", spec, "--input", input_path]
    if output_table:
        args += ["--output-table", output_table, "--reports-dir", output]
    else:
        args += ["--output", output]
    if table_format and (output_table or runs_table):
        args += ["--table-format", table_format]
    if runs_table:
        args += ["--runs-table", runs_table]
    args += ["--run-date", run_date, "--mode", mode]
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
            output_table=OUTPUT_TABLE,
            table_format=TABLE_FORMAT,
            runs_table=RUNS_TABLE,
        ),
        packages=TABLE_PACKAGES,
        conf={
            "spark.driver.extraJavaOptions": OFFLINE,
            "spark.executor.extraJavaOptions": OFFLINE,
            "spark.executorEnv.OPT_OUT_TRACKING": "true",
            "spark.yarn.appMasterEnv.OPT_OUT_TRACKING": "true",
            "spark.task.cpus": "1",
            **TABLE_CONF,
        },
        env_vars={"OPT_OUT_TRACKING": "true"},
        execution_timeout=timedelta(hours=4),
    )
