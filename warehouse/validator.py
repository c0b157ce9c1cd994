"""Running Great Expectations for a run: its context, the stores every process adds its
validations to, and the Data Docs (SPEC §3). What is checked and what a result means is
``warehouse.quality``'s."""

from __future__ import annotations

import functools
import logging
import os
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from sources.model import CheckContext, Source
from sources.sheet import ROW_NUMBER
from warehouse.imports import great_expectations
from warehouse.quality import (
    FILE,
    FileToCheck,
    Findings,
    expectations,
    findings,
    rules,
    validation_frame,
)


class Validator:
    """A Great Expectations context for a run; Data Docs under ``docs_dir`` if given.

    With ``stores``, GX keeps what it validates in that folder (its own filesystem stores):
    every process that checks rows for the run (worker processes, a Dask cluster's workers,
    each with a context of its own) adds its validations there under names of its own, and
    ``build_docs`` writes the Data Docs of them all. Without it, the validations live in
    this process's memory only. GX's context is not thread-safe: sources checked
    concurrently in one process take turns inside it."""

    def __init__(self, docs_dir: Path | None = None, stores: Path | None = None) -> None:
        self._lock = threading.Lock()
        self.docs_dir = docs_dir.resolve() if docs_dir is not None else None
        self.stores = stores.resolve() if stores is not None else None
        self.context: Any = None  # Great Expectations' context, once started
        self._count = 0
        # Names this context's validations among the run's: ``<source> <name>-<n>``.
        self._name = f"{os.getpid()}.{secrets.token_hex(2)}"

    def __reduce__(self) -> tuple[Any, tuple[Path | None, Path | None]]:
        """Sent to another process (a worker): only where the Data Docs and the stores are.
        The worker keeps one validator per run for all the work it is given."""
        return in_this_process, (self.docs_dir, self.stores)

    def _start(self) -> None:
        """Great Expectations is imported (several seconds) only when a run has rows to
        check: a run whose exports all come from the cache never loads it."""
        gx = great_expectations()
        from great_expectations.data_context.types.base import ProgressBarsConfig

        for name in ("great_expectations", "great_expectations.data_context.types.base"):
            logging.getLogger(name).setLevel(logging.ERROR)
        self._gx = gx
        config = None
        if self.stores is not None:
            from great_expectations.data_context.types.base import (
                DataContextConfig,
                FilesystemStoreBackendDefaults,
            )

            stores = FilesystemStoreBackendDefaults(root_directory=str(self.stores))
            config = DataContextConfig(store_backend_defaults=stores)
        context = gx.get_context(mode="ephemeral", project_config=config)
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        if self.docs_dir is not None:
            context.add_data_docs_site(
                site_name="iku",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        self._datasource = context.data_sources.add_pandas("iku")
        self.context = context  # started only once all of it is

    def _run(self, source: Source, frame: pl.DataFrame, expected: list[Any], label: str) -> Any:
        """One validation of ``frame`` against the source's suite, named for the Data Docs."""
        with self._lock:
            if self.context is None:
                self._start()
            self._count += 1
            name = f"{source.name} {self._name}-{self._count:03d}"
            suite = self.context.suites.add(
                self._gx.ExpectationSuite(name=name, expectations=expected)
            )
            asset = self._datasource.add_dataframe_asset(name)
            definition = self.context.validation_definitions.add(
                self._gx.ValidationDefinition(
                    name=f"{name}: {label}",
                    data=asset.add_batch_definition_whole_dataframe(label),
                    suite=suite,
                )
            )
            try:
                return definition.run(
                    batch_parameters={"dataframe": frame.to_pandas()},
                    result_format={
                        "result_format": "COMPLETE",
                        "unexpected_index_column_names": [FILE, ROW_NUMBER],
                        "return_unexpected_index_query": False,
                    },
                )
            finally:  # GX keeps every batch's rows for the life of its engine: let them go
                batches = self._datasource.get_execution_engine().batch_manager
                batches.reset_batch_cache()
                batches.batch_data_cache.clear()

    def check(
        self, source: Source, files: Sequence[FileToCheck], context: CheckContext
    ) -> list[Findings]:
        """Validate the files of one source as one batch; the findings of each file, in order.

        Raises whatever GX or the frame raises: the caller decides which file it concerns."""
        if not any(f.rows.height for f in files):
            return [Findings() for _ in files]
        found_rules = rules(source, context)
        frame = validation_frame(source, files, found_rules)
        label = files[0].file_name if len(files) == 1 else f"{len(files)} file"
        outcome = self._run(source, frame, expectations(source, found_rules), label)
        return findings(source, files, outcome)

    def _validated(self) -> bool:
        if self.stores is None:
            return self.context is not None
        return any(p.is_dir() for p in self.stores.glob("uncommitted/validations/*"))

    def build_docs(self) -> Path | None:
        """Write the Data Docs of every validation of this run, in whichever process it ran;
        returns the index page."""
        if self.docs_dir is None or not self._validated():
            return None  # nothing was validated: no Data Docs for this run
        with self._lock:
            if self.context is None:
                self._start()
            self.context.build_data_docs(site_names=["iku"])
        index = self.docs_dir / "index.html"
        return index if index.exists() else None


@functools.lru_cache(maxsize=2)
def in_this_process(docs_dir: Path | None, stores: Path | None) -> Validator:
    """The validator of a run in a worker process: its Great Expectations context is started
    once, with the first rows the worker checks, not once per piece of work."""
    return Validator(docs_dir, stores)
