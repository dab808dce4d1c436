"""What runs on a Dask worker: the pipeline loaded once per worker process, and one partition analysed and written.

Workers should run one thread each (``--nthreads 1``; the local cluster does):
spaCy holds the GIL, so more threads in one process only add contention, and
one process per core gives each its own pipeline.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin
from spacy.language import Language

from kilde.batch.outputs import PartitionResult, PartitionWriter, read_marker
from kilde.batch.partitions import Partition, read_partition
from kilde.errors import InputError
from kilde.nlp import load_pipeline
from kilde.pipeline import BATCH_SIZE, analyze_documents
from kilde.read import RawDocument, from_string
from kilde.records import Article, Rejection, Source
from kilde.settings import Settings

__all__ = ["PipelinePlugin", "analyse", "run_partition"]

_ONE_AT_A_TIME = threading.Lock()
_WARM_UP = "Byrådet vedtog i går budgettet.\n\n»Det er en god dag for Aarhus,« siger borgmesteren til Ritzau."


def _pipeline(model: str | None) -> Language:
    # load_pipeline is cached per process, so this is the worker's one copy of the model.
    return load_pipeline(model)


class PipelinePlugin(WorkerPlugin):
    """Loads the Danish pipeline (and the extractors' lexicons) when a worker starts, before its first partition.

    A restarted worker runs it again, so every worker process loads the model
    exactly once, and the first partition's timing is analysis only.
    """

    name = "kilde-pipeline"

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        nlp = _pipeline(self.model)
        list(analyze_documents([from_string(_WARM_UP)], nlp=nlp))


def _source(doc: RawDocument) -> Source:
    return Source(path=doc.path, url=doc.url, outlet=doc.outlet, format=doc.format, index=doc.index)


def _analyse_one(item: RawDocument | InputError, nlp: Language) -> Article | Rejection:
    try:
        return next(analyze_documents([item], nlp=nlp))
    except Exception as exc:  # any failure of one article becomes its rejection row; the partition carries on
        where = item.where if isinstance(item, RawDocument) else str(item)
        source = _source(item) if isinstance(item, RawDocument) else Source(format="unknown")
        return Rejection(source=source, error=type(exc).__name__, message=f"{where}: analysis failed: {exc}")


def analyse(items: Iterable[RawDocument | InputError], *, nlp: Language, batch_size: int = BATCH_SIZE) -> Iterator[Article | Rejection]:
    """An Article or a Rejection for each item, in order, like :func:`kilde.pipeline.analyze_documents`.

    Unlike it, an unexpected error while analysing one article (a bug, not bad
    input) becomes that article's rejection instead of failing the partition:
    a failed partition would fail the same way on every retry and lose its
    other articles. The batch is then redone one article at a time.
    """
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, batch_size)):
        try:
            results = list(analyze_documents(chunk, nlp=nlp, batch_size=batch_size))
        except Exception:  # isolate the article that failed, below
            results = [_analyse_one(item, nlp) for item in chunk]
        yield from results


def run_partition(partition: Partition, out: str, *, model: str | None, max_input_bytes: int, batch_size: int = BATCH_SIZE) -> PartitionResult:
    """Analyse one partition and write its tables under ``out``; a partition already finished there is skipped.

    Idempotent: running it twice, or concurrently, leaves the same files.
    """
    directory = Path(out)
    done = read_marker(directory, partition.id)
    if done is not None:
        return done
    # One partition at a time per process: a worker with several threads shares one pipeline, and spaCy does not promise
    # thread safety; threads would gain nothing anyway, as analysis holds the GIL.
    with _ONE_AT_A_TIME:
        started = time.perf_counter()
        nlp = _pipeline(model)
        settings = Settings(max_input_bytes=max_input_bytes, model=model)
        writer = PartitionWriter(directory, partition.id)
        try:
            for result in analyse(read_partition(partition, settings=settings), nlp=nlp, batch_size=batch_size):
                writer.add(result)
            return writer.commit(seconds=time.perf_counter() - started, worker=f"{socket.gethostname()}:{os.getpid()}")
        finally:
            writer.abort()
