"""The process pool: same output as one process, and one bad file never
costs the run (a hung or crashing worker is replaced, its file reported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cors_lint.runner import Failure, Progress, run_pool

REFLECTING = 'from flask import request\n\ndef f(resp):\n    resp.headers["Access-Control-Allow-Origin"] = request.origin\n'


def work(kind: str, value: int):
    if kind == "hang":
        time.sleep(600)
    if kind == "crash":
        os.abort()
    if kind == "parent":
        return os.getppid()
    if kind == "echo":  # a large task and a large result
        return value
    return value * 2


def test_results_come_back_in_task_order() -> None:
    tasks = [("ok", i) for i in range(40)]
    assert run_pool(tasks, work, jobs=3) == [i * 2 for i in range(40)]


def test_large_tasks_and_results_travel_whole() -> None:
    """A task carries a whole file (up to 5 MiB) and a result its lines."""
    big = bytes(range(256)) * 20_000
    assert run_pool([("echo", big), ("ok", 1), ("echo", big[:-1])], work, jobs=2) == [big, 2, big[:-1]]


def test_a_hung_task_is_stopped_by_the_backstop_and_the_rest_finish() -> None:
    tasks = [("ok", 1), ("hang", 2), ("ok", 3), ("ok", 4)]
    results = run_pool(tasks, work, jobs=2, backstop=2.0)
    assert results[0] == 2 and results[2:] == [6, 8]
    assert isinstance(results[1], Failure) and "stopped after 2 s" in results[1].reason


def test_a_crashing_worker_is_replaced() -> None:
    tasks = [("crash", 1), ("ok", 2), ("crash", 3), ("ok", 4)]
    results = run_pool(tasks, work, jobs=2)
    assert results[1] == 4 and results[3] == 8
    for failed in (results[0], results[2]):
        assert isinstance(failed, Failure) and "died (signal 6)" in failed.reason


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cors_lint", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"m{i:02}.py").write_text(REFLECTING if i % 3 else "x = 1\n")
    (tmp_path / "broken.py").write_text("cors = (\n")
    one = cli("--jobs", "1", "--format", "json", ".", cwd=tmp_path)
    many = cli("--jobs", "3", "--format", "json", ".", cwd=tmp_path)
    assert one.returncode == many.returncode == 1
    assert json.loads(one.stdout) == json.loads(many.stdout)
    assert len(json.loads(one.stdout)["findings"]) > 8


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    proc = cli("--jobs", "0", ".", cwd=tmp_path)
    assert proc.returncode == 2 and "--jobs" in proc.stderr


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.written = ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.written += text

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty, after, shown", [(True, 0.0, True), (False, 0.0, False), (True, 3600.0, False)])
def test_progress_only_on_a_terminal_after_a_while(tty: bool, after: float, shown: bool) -> None:
    stream = FakeTerminal(tty)
    progress = Progress(10, stream, after=after)
    progress.update(4, 1)
    progress.close()
    assert ("4/10 files, 1 findings" in stream.written) is shown
    assert stream.written.endswith("\r\033[K") or not shown


def unpicklable(value: int):
    import types

    return types.MappingProxyType({"value": value}) if value % 2 else value


def test_a_result_that_cannot_be_pickled_is_redone_in_this_process() -> None:
    results = run_pool([(i,) for i in range(4)], unpicklable, jobs=2)
    assert results[0] == 0 and results[2] == 2
    assert dict(results[1]) == {"value": 1} and dict(results[3]) == {"value": 3}


def test_fix_diff_is_the_same_with_a_pool(tmp_path: Path) -> None:
    """Findings that carry fixes travel back from workers (or are redone)."""
    for i in range(3):
        (tmp_path / f"m{i}.py").write_text(REFLECTING)
    one = cli("--isolated", "--diff", "--jobs", "1", ".", cwd=tmp_path)
    many = cli("--isolated", "--diff", "--jobs", "2", ".", cwd=tmp_path)
    assert "Traceback" not in many.stderr
    assert one.stdout == many.stdout and one.stderr == many.stderr


def test_in_process_backstop_stops_a_runaway_analysis() -> None:
    """--jobs 1 has no worker to kill: an alarm interrupts the analysis."""
    from cors_lint.runner import run_with_backstop

    result = run_with_backstop(lambda: time.sleep(600), backstop=0.5)
    assert isinstance(result, Failure) and "stopped after 0.5 s" in result.reason
    assert run_with_backstop(lambda: 42, backstop=60) == 42


def test_in_process_backstop_is_not_swallowed_by_the_engine_guard() -> None:
    """The engine turns its own exceptions into COR900 'internal error';
    the alarm must get past that guard and stop the file, not be reported
    as a bug."""
    from cors_lint.runner import run_with_backstop

    def guarded():
        try:
            time.sleep(600)
        except Exception:  # what engine.lint_text does
            return "swallowed"

    assert isinstance(run_with_backstop(guarded, backstop=0.5), Failure)


def test_findings_with_fixes_travel_between_processes() -> None:
    """A fix holds plain numbers (not the syntax tree's lazy positions), so
    a worker sends it back instead of the parent redoing the file."""
    import pickle

    from cors_lint.engine import EngineOptions, lint_source

    source = b"from flask_cors import CORS\nCORS(app, supports_credential=True, origins=['https://a.example'])\n"
    result = lint_source(source, "app.py", EngineOptions(enabled=lambda code: True))
    fixed = [f for f in result.findings if f.fix is not None]
    assert fixed
    for finding in fixed:
        copy = pickle.loads(pickle.dumps(finding))
        assert copy == finding and copy.fix == finding.fix
        assert copy.fix.edits[0].region.line == 2


def _named_without_a_pool(cwd: Path, *names: str, then: str = "") -> subprocess.CompletedProcess:
    """The command on files named one by one (``--jobs 2``), in a process
    where starting a pool ends the run; ``then`` runs after the command."""
    code = (
        "import sys, cors_lint.runner as r\n"
        "class NoPool:\n    def __init__(self, *a, **k): raise SystemExit('a pool was started')\n"
        "r.Pool = NoPool\n"
        f"from cors_lint.cli import main\ncode = main()\n{then}\nsys.exit(code)\n"
    )
    args = [sys.executable, "-c", code, "--jobs", "2", "--isolated", *names]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_one_passing_file_starts_no_process(tmp_path: Path) -> None:
    """A pre-commit call (files named one by one) with one file to analyse
    starts no process: it is analysed in this process."""
    (tmp_path / "a.py").write_text(REFLECTING)
    (tmp_path / "b.py").write_text("x = 1\n")
    proc = _named_without_a_pool(tmp_path, "a.py", "b.py")
    assert proc.returncode == 1, proc.stderr
    assert "COR101" in proc.stdout


GATE_LOOKALIKE = (
    "RASTER = {'origin': (0, 0)}\n\n\n"
    "def scale(request):\n    if request.GET.get('x') is None:\n        abort(403)\n"
)


def test_named_files_settled_by_pythons_tree_start_no_process(tmp_path: Path) -> None:
    """Files named one by one that passed the pre-filter on origin-gate
    markers alone, and hold no gate, are settled in this process with
    Python's parser: two of them start no pool and never load libcst."""
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(GATE_LOOKALIKE)
    proc = _named_without_a_pool(tmp_path, "a.py", "b.py", then="assert 'libcst' not in sys.modules, 'libcst was loaded'")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""


def test_named_files_that_need_libcst_after_the_screen_still_get_it(tmp_path: Path) -> None:
    """A gates-only file the screen cannot settle is analysed in full (by
    the pool here: two files need it), with the findings a lone run gives."""
    gate = (
        "from django.core.exceptions import PermissionDenied\n\n\n"
        "def view(request):\n    if 'example.com' not in request.headers.get('Origin', ''):\n"
        "        raise PermissionDenied\n"
    )
    (tmp_path / "gate.py").write_text(gate)
    (tmp_path / "plain.py").write_text(GATE_LOOKALIKE)
    (tmp_path / "cors.py").write_text(REFLECTING)
    alone = {}
    for name in ("gate.py", "cors.py"):
        alone[name] = cli("--isolated", "--format", "json", name, cwd=tmp_path).stdout
    together = json.loads(cli("--jobs", "2", "--isolated", "--format", "json", "gate.py", "plain.py", "cors.py", cwd=tmp_path).stdout)
    expected = [f for name in ("gate.py", "cors.py") for f in json.loads(alone[name])["findings"]]
    assert {f["code"] for f in expected} >= {"COR107", "COR101"}
    assert sorted(json.dumps(f, sort_keys=True) for f in together["findings"]) == sorted(
        json.dumps(f, sort_keys=True) for f in expected
    )


def test_workers_never_fork_this_process() -> None:
    """Workers come from the server (``server.py``; spawned where there is
    no fork): forking a process that runs threads is unsafe, and Python
    3.12+ warns about it once per worker."""
    import threading
    import warnings

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)  # this process is multi-threaded
    thread.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            assert run_pool([("ok", i) for i in range(6)], work, jobs=2) == [i * 2 for i in range(6)]
            parents = run_pool([("parent", 0)] * 2, work, jobs=2)
    finally:
        stop.set()
        thread.join()
    assert os.getpid() not in parents


@pytest.mark.skipif(sys.platform == "win32", reason="no forkserver")
@pytest.mark.parametrize("passing", [0, 1, 3])
def test_a_directory_walk_uses_the_early_server_and_stops_it(tmp_path: Path, passing: int, capsys, monkeypatch) -> None:
    """A directory walk starts the workers' server before walking, hands it
    every file that passes (one included), and stops it when the run ends,
    also when no file needed it (it holds stdout until it exits)."""
    import cors_lint.runner
    from cors_lint.cli import main

    def not_here(*args, **kwargs):
        raise AssertionError("analysed in the command's own process")

    monkeypatch.setattr(cors_lint.runner, "run_with_backstop", not_here)

    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(REFLECTING if i < passing else "x = 1\n")
    assert main(["--jobs", "2", "--isolated", "--format", "json", str(tmp_path)]) == (1 if passing else 0)
    assert len({f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}) == passing
    assert cors_lint.runner._server is None


def test_a_run_collects_garbage_less_often_and_restores_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The analysis runs with a larger young-generation threshold (the
    collector's full passes over the cached modules were a third of a large
    run's time); a program calling ``lint_files`` gets its own back."""
    import gc

    from cors_lint import cli
    from cors_lint.runner import GC_YOUNG_THRESHOLD, lint_files

    app = tmp_path / "app.py"
    app.write_text(REFLECTING)
    other = tmp_path / "other.py"
    other.write_text(REFLECTING)
    seen = []
    frozen = []

    def fake(path, job, project, data=None, with_libcst=True):
        seen.append(gc.get_threshold())
        frozen.append(gc.get_freeze_count())
        return cli.FileOutcome(path)

    monkeypatch.setattr(cli, "lint_file", fake)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        outcomes = lint_files([str(app), str(other)], job=None, project=None, jobs=1)
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert [o.path for o in outcomes] == [str(app), str(other)]
    assert seen == [(GC_YOUNG_THRESHOLD, 10, 10)] * 2
    assert after == (700, 10, 10)
    # what outlived the first file was frozen before the second began (no
    # full pass walks it again); the caller gets an unfrozen heap back
    assert frozen[1] > frozen[0]
    assert gc.get_freeze_count() == 0


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server")
def test_the_server_says_when_it_has_loaded_the_analysis() -> None:
    """Workers start as soon as the server has loaded the analysis, not
    only when the scan is over; stopping it ends its process at once, even
    in the middle of its imports."""
    from cors_lint import runner

    for wait in (True, False):
        assert runner.start_server()
        server = runner._server
        try:
            deadline = time.monotonic() + (60 if wait else 0)
            while not runner.server_ready() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert runner.server_ready() == wait
        finally:
            runner.stop_server()
        assert not runner.server_ready()
        with pytest.raises(ProcessLookupError):
            os.kill(server.pid, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server")
def test_the_server_imports_what_this_process_imports(tmp_path: Path) -> None:
    """The server gets this process's module path before it imports
    anything: a ``cors_lint`` package in the directory it runs in (the
    scanned project, say) is not imported in its place."""
    (tmp_path / "cors_lint").mkdir()
    (tmp_path / "cors_lint" / "__init__.py").write_text("open('shadowed', 'w').close()\nraise SystemExit('shadowed')\n")
    (tmp_path / "src").mkdir()
    for i in range(3):
        (tmp_path / "src" / f"m{i}.py").write_text(REFLECTING)
    code = "import sys; sys.path.remove(''); from cors_lint.cli import main; sys.exit(main())"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.run(
        [sys.executable, "-c", code, "--jobs", "2", "--isolated", "src"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("COR101") == 3
    assert not (tmp_path / "shadowed").exists()
