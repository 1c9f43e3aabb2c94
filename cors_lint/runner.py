"""Lint many files: the pre-filter in this process, analysis in a pool.

Most files of a tree fail the pre-filter, and judging that costs a read and a
byte scan, far less than handing the file to another process.  So the parent
reads every file and runs the pre-filter itself; only the files that pass it
(typically 1-3%) are analysed, in worker processes when ``jobs > 1``.

The pool is small and hand-made rather than ``concurrent.futures`` because
one file must never cost the whole run:

* each worker analyses one file at a time; a file that takes longer than
  ``BACKSTOP_SECONDS`` (libcst's native parser cannot be interrupted) gets
  its worker killed and replaced, and a COR900 line;
* a worker that dies (a crash in native code) is replaced too, and its file
  gets a COR900 line.

The budgets in ``parsing.py`` are meant to stop every slow file before it
gets here; the backstop is the last line of defence.  With ``jobs == 1``
everything runs in this process (no backstop: nothing can be killed).

Output does not depend on the pool: outcomes come back in input order.
"""

from __future__ import annotations

import functools
import os
import sys
import time

# Every run imports this module: typing and dataclasses stay out of it.
TYPE_CHECKING = False
if TYPE_CHECKING:  # multiprocessing loads only when a pool is needed
    from multiprocessing.connection import Connection
    from typing import Callable, Iterable, Sequence, TextIO

#: Wall-clock limit for one file in a worker process.
BACKSTOP_SECONDS = 120.0
#: The progress line appears only after this long, and only on a terminal.
PROGRESS_AFTER = 1.0


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------


class Progress:
    """``files done / total, findings so far`` on one rewritten stderr line,
    only on a terminal and only once the run has lasted ``PROGRESS_AFTER``."""

    def __init__(self, total: int, stream: TextIO | None = None, after: float = PROGRESS_AFTER) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 0 and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = total
        self.start = time.monotonic()
        self.after = after
        self.shown = False
        self.last = 0.0

    def update(self, done: int, findings: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start < self.after or now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\033[Kcors-lint: {done}/{self.total} files, {findings} findings")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


# ---------------------------------------------------------------------------
# The pool
# ---------------------------------------------------------------------------


class _Unsendable:
    """A worker's result that could not be pickled: the parent redoes the
    task itself rather than lose it."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class Failure:
    """A task the pool could not complete: ``reason`` is one line."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Failure(reason={self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Failure) and other.reason == self.reason


def _context():
    import multiprocessing

    # fork starts a worker in milliseconds and inherits the loaded modules;
    # elsewhere (macOS, Windows) spawn is the safe choice.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else "spawn")


def _serve(conn: Connection, work: Callable) -> None:
    """A worker's loop: one task in, one result out, until told to stop."""
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            result = work(*task)
            try:
                conn.send(result)  # pickles first: nothing is sent on failure
            except Exception as exc:  # a result that cannot travel between processes
                conn.send(_Unsendable(f"{type(exc).__name__}: {exc}"))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group
        return


class _Worker:
    def __init__(self, ctx, work: Callable) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, work), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, task: tuple) -> None:
        self.index = index
        self.started = time.monotonic()
        self.conn.send(task)

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def run_pool(
    tasks: Sequence[tuple],
    work: Callable,
    jobs: int,
    backstop: float = BACKSTOP_SECONDS,
    on_result: Callable[[int, object], None] | None = None,
) -> list[object]:
    """``work(*task)`` for every task in ``jobs`` worker processes; results
    in task order.  A task that outlives ``backstop`` seconds, or whose
    worker dies, yields a ``Failure`` instead of a result."""
    from multiprocessing.connection import wait

    results: list[object] = [None] * len(tasks)
    if not tasks:
        return results
    ctx = _context()
    pending = list(range(len(tasks)))[::-1]
    workers = [_Worker(ctx, work) for _ in range(min(jobs, len(tasks)))]
    busy: dict[Connection, _Worker] = {}

    def feed(worker: _Worker) -> None:
        if pending:
            index = pending.pop()
            worker.give(index, tasks[index])
            busy[worker.conn] = worker

    def finish(worker: _Worker, result: object) -> None:
        assert worker.index is not None
        results[worker.index] = result
        if on_result is not None:
            on_result(worker.index, result)
        worker.index = None

    def replace(worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(ctx, work)
        workers[workers.index(worker)] = fresh
        return fresh

    try:
        for worker in workers:
            feed(worker)
        while busy:
            now = time.monotonic()
            nearest = min(w.started for w in busy.values()) + backstop
            ready = wait(list(busy), timeout=max(0.0, nearest - now))
            for conn in ready:
                worker = busy.pop(conn)  # type: ignore[arg-type]
                try:
                    result = conn.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    code = worker.process.exitcode
                    worker.process.join(timeout=1)
                    code = worker.process.exitcode if code is None else code
                    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                    finish(worker, Failure(f"the analysing process died ({how}); please report it"))
                    worker = replace(worker)
                else:
                    if isinstance(result, _Unsendable):
                        result = work(*tasks[worker.index])  # type: ignore[index]
                    finish(worker, result)
                feed(worker)
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if now - worker.started >= backstop:
                    del busy[conn]
                    finish(worker, Failure(f"analysis stopped after {backstop:g} s (time limit per file)"))
                    feed(replace(worker))
    finally:
        for worker in workers:
            worker.stop()
    return results


# ---------------------------------------------------------------------------
# Linting files
# ---------------------------------------------------------------------------


def _lint_one(project, path: str, job, data: bytes | None):
    from . import cli

    return cli.lint_file(path, job, project, data)


def lint_files(paths: Iterable[str], job, project, jobs: int = 1, progress: Progress | None = None) -> list:
    """``cli.lint_file`` for every path, in order, analysing in ``jobs``
    processes.  The pre-filter runs here; files it skips never travel."""
    from . import cli
    from .prefilter import may_matter

    paths = list(paths)
    progress = progress or Progress(0)
    outcomes: list = [None] * len(paths)
    to_analyse: list[tuple[int, bytes]] = []
    findings = 0
    for i, path in enumerate(paths):
        try:
            data = cli.read_bytes(path)
        except ValueError:
            outcomes[i] = cli.lint_file(path, job, project)  # reports why, as COR900
        else:
            if may_matter(data):
                to_analyse.append((i, data))
            else:
                outcomes[i] = cli.FileOutcome(path)
        progress.update(i + 1 - len(to_analyse), findings)

    done = len(paths) - len(to_analyse)
    if jobs <= 1 or len(to_analyse) <= 1:
        for i, data in to_analyse:
            outcomes[i] = cli.lint_file(paths[i], job, project, data)
            done += 1
            findings += len(outcomes[i].findings)
            progress.update(done, findings)
        progress.close()
        return outcomes

    def on_result(index: int, result: object) -> None:
        nonlocal done, findings
        done += 1
        findings += len(getattr(result, "findings", ()))
        progress.update(done, findings)

    tasks = [(paths[i], job, data) for i, data in to_analyse]
    # each worker gets its own copy of the (still empty) project and its caches
    results = run_pool(tasks, functools.partial(_lint_one, project), jobs, on_result=on_result)
    progress.close()
    for (i, _), result in zip(to_analyse, results):
        if isinstance(result, Failure):
            from .engine import error_finding
            from .findings import FileError

            error = FileError(paths[i], result.reason)
            found = [error_finding(error)] if job.selection_for(paths[i]).enabled("COR900") else []
            outcomes[i] = cli.FileOutcome(paths[i], findings=found, error=error)
        else:
            outcomes[i] = result
    return outcomes
