"""Whole archives on a Dask cluster: the same pipeline, one partition of articles at a time, into Parquet.

    plan = plan_partitions(["archive/", "crawl/*.warc.gz", "dump.parquet"], partition_size=200)
    with connect(workers=4) as client:              # or connect(scheduler="tcp://scheduler:8786")
        report = run_batch(client, plan, "out/", model=None)

:func:`plan_partitions` splits the inputs into partitions with stable ids
(:mod:`kilde.batch.partitions`); :func:`run_batch` sends the unfinished ones to
the workers, where :func:`~kilde.batch.worker.run_partition` analyses each
with the worker's one copy of the pipeline and writes its tables atomically
(:mod:`kilde.batch.outputs`). A rerun into the same directory resumes.
Needs the ``distributed`` extra (dask.distributed, pyarrow).
"""

from __future__ import annotations

from kilde.batch.driver import BatchReport, PartitionFailure, check_output, connect, run_batch, store_records
from kilde.batch.outputs import TABLES, OutputDirError, PartitionResult, iter_records, read_table
from kilde.batch.partitions import Partition, Plan, plan_partitions, read_partition
from kilde.batch.worker import PipelinePlugin, analyse, run_partition

__all__ = [
    "TABLES",
    "BatchReport",
    "OutputDirError",
    "Partition",
    "PartitionFailure",
    "PartitionResult",
    "PipelinePlugin",
    "Plan",
    "analyse",
    "check_output",
    "connect",
    "iter_records",
    "plan_partitions",
    "read_partition",
    "read_table",
    "run_batch",
    "run_partition",
    "store_records",
]
