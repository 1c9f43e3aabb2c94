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
(and when only one file named on the command line passes the pre-filter)
everything runs in this process, where the backstop is an alarm
(``run_with_backstop``).

Workers are forked by a server that has imported the analysis
(``server.py``, ``preload.py``), never from this process; where there is
no fork (Windows), ``multiprocessing`` spawns them.  A directory walk
starts that server first (``start_server``), so the analysis is imported
on another core while this process walks and pre-filters the tree.  Tasks
carry only the path and the bytes; the job and the project reach each
worker once, when it starts.

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


#: The module the workers' server imports before it forks any worker.
PRELOAD = "cors_lint.preload"


def _context():
    """Where there is no fork server of ours (``server.available``:
    Windows), workers are spawned with ``multiprocessing``, each importing
    the analysis itself."""
    import multiprocessing

    return multiprocessing.get_context("spawn")


#: The running server (``server.Server``), started by ``start_server`` or
#: by the pool's first worker.
_server = None


def _forking() -> bool:
    """Do workers come from our server (``server.py``) here?"""
    from .server import available

    return available()


def start_server() -> bool:
    """Start the workers' server now, without waiting for it: it imports
    libcst and the analysis (about 0.25 s) while this process walks and
    pre-filters the tree.  False where workers are spawned instead."""
    global _server
    if not _forking():
        return False
    if _server is None:
        from .server import Server

        _server = Server.start(PRELOAD)
    return True


def server_ready() -> bool:
    """Has the server started by ``start_server`` loaded the analysis (a
    worker then starts at once)?"""
    return _server is not None and _server.is_ready()


def stop_server() -> None:
    """Stop the server (``Server.stop``): one still importing is killed
    at once, since it would exit only after its imports and holds this
    process's stdout and stderr until then (a caller that reads the output
    to its end, pre-commit or ``subprocess.run``, would wait for it); a
    ready one reaps its workers and exits."""
    global _server
    if _server is not None:
        _server.stop()
        _server = None


#: Objects allocated (minus freed) before the youngest collection runs;
#: Python's default is 700.  See ``_collect_less``.
GC_YOUNG_THRESHOLD = 10_000


def _collect_less() -> tuple[int, int, int]:
    """Let the garbage collector run less often; returns the thresholds to
    restore.

    A directory run keeps every module it loads (each linted file's
    imports, read for constants and helpers, are cached on the project),
    so the heap only grows, and with Python's default thresholds the
    collector's full passes over that heap took a third of the CPU time of
    a site-packages run.  The analysis leaves little cyclic garbage:
    collecting every 10,000 allocations instead of every 700 cut the
    collector's share of that run from 2.1 s to 0.6 s.  ``_settle`` then
    keeps full passes from ever walking the whole heap."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(max(before[0], GC_YOUNG_THRESHOLD), before[1], before[2])
    return before


def _settle() -> None:
    """Between two files: collect what the last one left, then freeze what
    survives.

    Whatever outlives a file (the project's cache of modules, the outcomes)
    lives for the run, so the collector gains nothing by walking it again.
    Without this, a full pass over the grown heap fell due every so often
    and was charged to whichever file allocated at that moment (a 20 ms
    file took 50 ms, one run in three another file took 100 ms more).  The
    collection here walks only what the last file left unfrozen, so each
    file pays for its own garbage; the run's total is unchanged and its
    peak memory lower (site-packages, ``--jobs 1``: 153 MB instead of
    174 MB), because cyclic garbage no longer waits for a full pass.
    ``lint_files`` unfreezes at the end: a caller's own process gets its
    heap back as it was."""
    import gc

    gc.collect()
    gc.freeze()


def _serve(conn: Connection, work: Callable) -> None:
    """A worker's loop: one task in, one result out, until told to stop."""
    _collect_less()  # a worker process lives for the one run
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
    """A worker spawned by ``multiprocessing`` (where there is no fork)."""

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

    def exit_code(self) -> int | None:
        code = self.process.exitcode
        self.process.join(timeout=1)
        return self.process.exitcode if code is None else code

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass

    def stop(self) -> None:
        """After ``ask_to_stop``: wait for it to exit (kill it after 5 s)."""
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _ForkedWorker(_Worker):
    """A worker forked by the server (``server.py``): the function to run
    is its first message."""

    def __init__(self, work: Callable) -> None:
        start_server()
        try:
            self.pid, self.conn = _server.fork()
        except (EOFError, OSError):  # the server died: one more try with a new one
            stop_server()
            start_server()
            self.pid, self.conn = _server.fork()
        self.conn.send(work)
        self.index = None
        self.started = 0.0

    def exit_code(self) -> int | None:
        return _server.exit_status(self.pid) if _server is not None else None

    def kill(self) -> None:
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        self.conn.close()

    def stop(self) -> None:
        # its end of the channel closes when it exits: wait for that, as for a join
        try:
            if self.conn.poll(5):
                return self.conn.close()
        except OSError:
            pass
        self.kill()


class Pool:
    """Tasks go in as they are found (``submit``), results come back by
    key.  Workers start on the first task, up to ``jobs`` of them, so the
    parent's scan of the tree and the analysis overlap.  A task that
    outlives ``backstop`` seconds, or whose worker dies, yields a
    ``Failure`` instead of a result."""

    def __init__(
        self,
        work: Callable,
        jobs: int,
        backstop: float = BACKSTOP_SECONDS,
        on_result: Callable[[object, object], None] | None = None,
    ) -> None:
        self.work = work
        self.jobs = jobs
        self.backstop = backstop
        self.on_result = on_result
        self.results: dict[object, object] = {}
        self._ctx = None
        self._forking: bool | None = None  # workers from our server (server.py)?
        self._pending: list[tuple[object, tuple]] = []  # (key, task), oldest first
        self._tasks: dict[object, tuple] = {}
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._busy: dict[Connection, _Worker] = {}

    def submit(self, key: object, task: tuple) -> None:
        self._tasks[key] = task
        self._pending.append((key, task))
        if not self._idle and len(self._workers) < self.jobs:
            worker = self._new_worker()
            self._workers.append(worker)
            self._idle.append(worker)
        self._feed()
        self._collect(0.0)

    def finish(self) -> dict[object, object]:
        """Wait for every task; stop the workers."""
        try:
            while self._busy:
                now = time.monotonic()
                nearest = min(w.started for w in self._busy.values()) + self.backstop
                self._collect(max(0.0, nearest - now))
        finally:
            self.close()
        return self.results

    def close(self) -> None:
        for worker in self._workers:  # all at once: they exit side by side
            worker.ask_to_stop()
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def _feed(self) -> None:
        while self._idle and self._pending:
            key, task = self._pending.pop(0)
            worker = self._idle.pop()
            worker.give(key, task)  # type: ignore[arg-type]
            self._busy[worker.conn] = worker

    def _done(self, worker: _Worker, result: object) -> None:
        key = worker.index
        self.results[key] = result
        del self._tasks[key]
        if self.on_result is not None:
            self.on_result(key, result)
        worker.index = None

    def _new_worker(self) -> _Worker:
        if self._forking is None:
            self._forking = _forking()
        if self._forking:
            try:
                return _ForkedWorker(self.work)
            except (EOFError, OSError):  # no server would start: spawn workers instead
                if self._workers:
                    raise
                self._forking = False
        if self._ctx is None:
            self._ctx = _context()
        return _Worker(self._ctx, self.work)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = self._new_worker()
        self._workers[self._workers.index(worker)] = fresh
        return fresh

    def _ready(self, timeout: float) -> list:
        if self._forking:
            import select

            return select.select(list(self._busy), [], [], timeout)[0]
        from multiprocessing.connection import wait

        return wait(list(self._busy), timeout=timeout)

    def _collect(self, timeout: float) -> None:
        """Take in the results that are ready (waiting up to ``timeout``),
        stop tasks past the backstop, and hand out pending tasks."""
        if not self._busy:
            return
        for conn in self._ready(timeout):
            worker = self._busy.pop(conn)  # type: ignore[arg-type]
            try:
                result = conn.recv()  # type: ignore[union-attr]
            except (EOFError, OSError):
                code = worker.exit_code()
                how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
                self._done(worker, Failure(f"the analysing process died ({how}); please report it"))
                worker = self._replace(worker)
            else:
                if isinstance(result, _Unsendable):
                    result = self.work(*self._tasks[worker.index])
                self._done(worker, result)
            self._idle.append(worker)
        now = time.monotonic()
        for conn, worker in list(self._busy.items()):
            if now - worker.started >= self.backstop:
                del self._busy[conn]
                self._done(worker, Failure(f"analysis stopped after {self.backstop:g} s (time limit per file)"))
                self._idle.append(self._replace(worker))
        self._feed()


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
    pool = Pool(work, jobs, backstop, on_result)  # type: ignore[arg-type]
    try:
        for index, task in enumerate(tasks):
            pool.submit(index, task)
        results = pool.finish()
    finally:
        pool.close()
    return [results.get(index) for index in range(len(tasks))]


# ---------------------------------------------------------------------------
# In this process: a backstop by alarm
# ---------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised by the alarm: a BaseException, so the engine's guard against
    its own bugs (``except Exception``) does not swallow it."""


def run_with_backstop(function: Callable[[], object], backstop: float = BACKSTOP_SECONDS) -> object:
    """``function()``, or a ``Failure`` once it has run ``backstop`` seconds.

    ``--jobs 1`` has no worker to kill, so on POSIX, in the main thread, a
    real-time alarm interrupts the analysis instead.  Python delivers the
    alarm between bytecodes: it stops the analysis and the value tracing,
    but not a single native call (libcst's parser; the budgets in
    ``parsing.py`` keep those short).  Elsewhere the call simply runs."""
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return function()

    def alarm(signum, frame):
        raise _OutOfTime

    try:
        previous = signal.signal(signal.SIGALRM, alarm)
    except ValueError:  # not the main interpreter
        return function()
    try:
        signal.setitimer(signal.ITIMER_REAL, backstop)
        try:
            return function()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:
        return Failure(f"analysis stopped after {backstop:g} s (time limit per file)")
    finally:
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------
# Linting files
# ---------------------------------------------------------------------------


def _lint_one(project, job, path: str, data: bytes | None, with_libcst: bool = True):
    """One file, in a worker or here, and the collection after it."""
    from . import cli

    try:
        return cli.lint_file(path, job, project, data, with_libcst)
    finally:
        _settle()


#: With the forkserver started early, the pool's first worker is started
#: once the server has loaded the analysis (``server_ready``), the scan is
#: over, or this many files wait for analysis: enough work to be worth
#: pausing the scan for while the server finishes its imports.
START_AFTER = 16


def lint_files(
    paths: Iterable[str],
    job,
    project,
    jobs: int = 1,
    progress: Progress | None = None,
    backstop: float = BACKSTOP_SECONDS,
    server_started: bool = False,
) -> list:
    """``cli.lint_file`` for every path, in order, analysing in ``jobs``
    processes.  The pre-filter runs here; files it skips never travel.

    Without ``server_started`` (files named one by one, as pre-commit
    does) the pool starts with the second file that passes the pre-filter:
    a run where one file passes analyses it here and starts no process.
    With it (a directory walk, ``start_server`` called before the walk),
    every file that passes goes to the pool, whose server has been loading
    the analysis meanwhile; the files are held until the server is ready,
    the scan is over or ``START_AFTER`` of them wait, and handed out
    largest first (later ones as they are found), so one big
    file does not start last and finish alone.  The server is stopped at
    the end either way.

    Files named one by one that passed the pre-filter on origin-gate
    markers alone are settled here whenever Python's tree suffices
    (``gate_screen``: most do) rather than held, so a pre-commit call whose
    files all settle this way starts no pool and never loads libcst.  A
    directory walk hands them to the pool like any other file: its server
    loads libcst on the other core meanwhile, and the scan here is already
    as long as that (Django's tree: about 0.28 s each), so screening here
    lengthens the run (Django: 1.69x ruff's time, against 1.51x when the
    workers screen)."""
    from . import cli
    from .prefilter import GATES_ONLY, verdict

    paths = list(paths)
    progress = progress or Progress(0)
    outcomes: list = [None] * len(paths)
    findings = 0
    done = 0
    pool: Pool | None = None
    held: list[tuple[int, bytes]] = []  # files to analyse, not yet handed out
    settled = False
    start_after = START_AFTER if server_started else 2

    def record(index: int, result: object) -> None:
        nonlocal done, findings
        if isinstance(result, Failure):
            from .engine import error_finding
            from .findings import FileError

            error = FileError(paths[index], result.reason)
            found = [error_finding(error)] if job.selection_for(paths[index]).enabled("COR900") else []
            result = cli.FileOutcome(paths[index], findings=found, error=error)
        outcomes[index] = result
        done += 1
        findings += len(getattr(result, "findings", ()))
        progress.update(done, findings)

    def here(index: int, data: bytes) -> None:
        nonlocal settled
        if not settled:  # what start-up left (imports, the walk) is no file's to collect
            _settle()
            settled = True
        record(index, run_with_backstop(lambda: _lint_one(project, job, paths[index], data), backstop))

    def screened_here(index: int, data: bytes) -> bool:
        """Settle a gates-only file here if Python's tree can (see
        ``lint_files``); False when it needs libcst after all."""
        # no _settle: Python's tree leaves no cyclic garbage, and a full
        # collection here would delay the run's other files
        result = run_with_backstop(lambda: cli.lint_file(paths[index], job, project, data, False), backstop)
        if result is None:
            return False
        record(index, result)
        return True

    def hand_out() -> Pool:
        nonlocal held
        # each worker gets its own copy of the (still empty) project and its caches
        started = pool or Pool(functools.partial(_lint_one, project, job), jobs, backstop, on_result=record)
        for index, data in sorted(held, key=lambda item: -len(item[1])):
            started.submit(index, (paths[index], data))
        held = []
        return started

    thresholds = _collect_less()
    try:
        for i, path in enumerate(paths):
            try:
                data = cli.read_bytes(path)
            except ValueError:
                record(i, cli.lint_file(path, job, project))  # reports why, as COR900
                continue
            passed = verdict(data)
            if passed is None:
                record(i, cli.FileOutcome(path))
                continue
            if jobs <= 1:
                here(i, data)
            elif pool is not None:
                pool.submit(i, (path, data))
            elif passed == GATES_ONLY and not server_started and screened_here(i, data):
                continue
            else:
                held.append((i, data))
                if len(held) >= start_after or (server_started and server_ready()):
                    pool = hand_out()
        if len(held) == 1 and pool is None and not server_started:
            here(*held.pop())
        if held:
            pool = hand_out()
        if pool is not None:
            pool.finish()
    finally:
        if pool is not None:
            pool.close()
        if server_started or pool is not None:
            stop_server()
        progress.close()
        import gc

        gc.unfreeze()
        gc.set_threshold(*thresholds)  # a caller's own process keeps its settings
    return outcomes
