#!/usr/bin/env python3
"""Renders the arguments airflow-dag.py gives spark-submit, without Airflow installed.

Stubs the few Airflow classes the DAG imports, loads the DAG file, renders Airflow's templates
for one logical date the way Airflow would for these simple templates ({{ ds }} and
{{ params.NAME }}, with the DAG's param defaults), and prints JSON. batchscore's test feeds the
rendered application_args to the job's own argument parser.

    python3 scheduling/render_dag_args.py 2026-11-24
    python3 scheduling/render_dag_args.py --job-args '{"output_table": "lake.ml.p", ...}'

The second form prints the DAG's job_args(...) for the given keyword arguments (the table
output's arguments, which the DAG's defaults leave off).
"""
import importlib.util
import json
import os
import re
import sys
import types


class _Param:
    def __init__(self, default=None, **kwargs):
        self.value = default


class _DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        _DAG.current = self
        return self

    def __exit__(self, *exc):
        _DAG.current = None
        return False


class _SparkSubmitOperator:
    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        _DAG.current.tasks.append(self)


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def load_module(path):
    _module("airflow", DAG=_DAG)
    _module("airflow.models")
    _module("airflow.models.param", Param=_Param)
    _module("airflow.providers")
    _module("airflow.providers.apache")
    _module("airflow.providers.apache.spark")
    _module("airflow.providers.apache.spark.operators")
    _module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=_SparkSubmitOperator)
    spec = importlib.util.spec_from_file_location("batchscore_dag", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_dag(path):
    return load_module(path).dag


def render(value, ds, params):
    def sub(m):
        expr = m.group(1).strip()
        if expr == "ds":
            return ds
        if expr == "ds_nodash":
            return ds.replace("-", "")
        if expr.startswith("params."):
            return str(params[expr[len("params."):]])
        raise ValueError("template not rendered by this harness: " + expr)
    if isinstance(value, str):
        return re.sub(r"\{\{(.*?)\}\}", sub, value)
    if isinstance(value, list):
        return [render(v, ds, params) for v in value]
    if isinstance(value, dict):
        return {k: render(v, ds, params) for k, v in value.items()}
    return value


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) > 2 and sys.argv[1] == "--job-args":
        module = load_module(os.path.join(here, "airflow-dag.py"))
        json.dump(module.job_args(**json.loads(sys.argv[2])), sys.stdout)
        print()
        return
    ds = sys.argv[1] if len(sys.argv) > 1 else "2026-11-24"
    dag = load_dag(os.path.join(here, "airflow-dag.py"))
    params = {k: v.value for k, v in dag.kwargs["params"].items()}
    out = {"dag_id": dag.dag_id, "schedule": dag.kwargs.get("schedule"),
           "max_active_runs": dag.kwargs.get("max_active_runs"), "catchup": dag.kwargs.get("catchup"),
           "retries": dag.kwargs["default_args"]["retries"], "tasks": []}
    for t in dag.tasks:
        k = t.kwargs
        out["tasks"].append({
            "task_id": t.task_id,
            "java_class": k["java_class"],
            "application": k["application"],
            "application_args": render(k["application_args"], ds, params),
            "conf": render(k.get("conf", {}), ds, params),
        })
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
