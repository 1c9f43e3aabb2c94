"""``cors-lint probe BASE_URL [PATHS...]``.

Findings come from the linter itself (the ordinary CLI run, in JSON, so
configuration, selection and ``# noqa`` apply exactly as in ``cors-lint
PATHS``; options the probe does not know are passed on to it) or from a
saved report (``--findings report.json``).  Only findings whose properties
carry a proof origin are probed.

Exit status: 1 when anything is confirmed, 0 otherwise, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shlex
import sys
from typing import Sequence
from urllib.parse import urlsplit, urlunsplit

from ..findings import Confidence, Finding, Severity
from ..reporters import RunReport
from . import report as out
from .client import Client, Failure, Response
from .plan import Plan, plan_for
from .verdict import CONFIRMED, SKIPPED, Verdict, judge

PROG = "cors-lint probe"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Confirm cors-lint findings on a running server YOU OWN (local or staging): send, for each finding "
            "with a proof origin, the request that would show it, and report confirmed / not confirmed / unreachable."
        ),
        epilog="Other options (--select, --config, ...) are passed to the linter. "
        "Exit status: 1 when a finding is confirmed, 0 otherwise, 2 usage error.",
    )
    parser.add_argument("base_url", metavar="BASE_URL", help="the server to probe, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to lint (default: .)")
    parser.add_argument("--findings", metavar="FILE", help="probe the findings of a saved JSON report instead of linting")
    parser.add_argument("--path", metavar="URLPATH", help="the path to probe for findings whose route is unknown (default: the base URL)")
    parser.add_argument(
        "--app",
        metavar="NAME",
        help="the application object the server runs (e.g. app): findings about other objects configured in the same files are skipped",
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="output format (default: text)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help="per-request timeout (default: 5)")
    parser.add_argument("--max-requests", type=int, default=50, metavar="N", help="send at most N requests (default: 50)")
    parser.add_argument("--delay", type=float, default=0.1, metavar="SECONDS", help="pause between requests (default: 0.1)")
    parser.add_argument("--dry-run", action="store_true", help="print the curl commands instead of sending anything")
    return parser


def error(message: str) -> int:
    print(f"cors-lint: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, lint_options = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.timeout <= 0 or args.max_requests < 1 or args.delay < 0:
        return error("--timeout must be positive, --max-requests at least 1, --delay not negative")
    if args.path is not None and not args.path.startswith("/"):
        return error(f"--path must start with '/': {args.path!r}")
    try:
        client = Client(args.base_url, timeout=args.timeout, max_requests=args.max_requests, delay=args.delay)
    except ValueError as exc:
        return error(str(exc))
    if args.findings is not None:
        if args.paths or lint_options:
            return error("--findings probes a saved report: give no paths or lint options with it")
        try:
            report = load_findings(args.findings)
        except ValueError as exc:
            return error(str(exc))
    else:
        report, status = lint(args.paths, lint_options)
        if status == 2:
            return 2

    plans = [plan_for(f, args.base_url, args.path, args.app) for f in report.findings]
    unprobed = sum(1 for p in plans if p.request is None and p.skipped == "no proof origin")
    plans = [p for p in plans if p.request is not None or p.skipped != "no proof origin"]

    if args.dry_run:
        for plan in plans:
            f = plan.finding
            print(f"# {f.path}:{f.line}:{f.col + 1}: {f.code}")
            print(curl(plan, client) if plan.request is not None else f"# skipped: {plan.skipped}")
        return 0

    outcomes = probe(plans, client)
    if args.format == "text":
        out.text(outcomes, sys.stdout)
        print(out.summary(outcomes, len(client.log), unprobed), file=sys.stderr)
    else:
        out.machine(outcomes, report, sys.stdout, args.format, args.base_url)
    return 1 if any(o.verdict.status == CONFIRMED for o in outcomes) else 0


def probe(plans: list[Plan], client: Client) -> list[out.Outcome]:
    """Send each planned request once (identical requests share one answer)."""
    answers: dict[tuple, Response | Failure] = {}
    outcomes = []
    for plan in plans:
        request = plan.request
        if request is None:
            outcomes.append(out.Outcome(plan, Verdict(SKIPPED, plan.skipped)))
            continue
        key = (request.method, request.target, tuple(h for h in request.headers if h[0] != "Sec-WebSocket-Key"))
        if key not in answers:
            answers[key] = client.send(request)
        outcomes.append(out.Outcome(plan, judge(plan, answers[key])))
    return outcomes


def curl(plan: Plan, client: Client) -> str:
    request = plan.request
    assert request is not None
    url = urlunsplit((client.scheme, urlsplit(client.base_url).netloc, request.target.split("?")[0], request.target.partition("?")[2], ""))
    parts = ["curl", "-si", "--max-time", f"{client.timeout:g}"]
    if request.method == "HEAD":
        parts.append("-I")
    elif request.method != "GET":
        parts += ["-X", request.method]
    if request.kind == "websocket":
        parts.append("--http1.1")
    for name, value in request.headers:
        parts += ["-H", f"{name}: {value}"]
    parts.append(url)
    return " ".join(shlex.quote(p) for p in parts)


# -- findings in ----------------------------------------------------------------


def lint(paths: list[str], options: list[str]) -> tuple[RunReport, int]:
    """Run the ordinary CLI (JSON output captured) and read its findings."""
    from .. import cli

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = cli.main([*paths, *options, "--format", "json"])
    if status == 2 or not buffer.getvalue().strip():
        return RunReport(), 2
    report = parse_report(json.loads(buffer.getvalue()))
    for path in {f.path for f in report.findings}:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                report.sources[path] = fh.readlines()
        except OSError:
            pass
    return report, status


def load_findings(path: str) -> RunReport:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    try:
        return parse_report(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path} is not a cors-lint JSON report ({type(exc).__name__}: {exc})") from None


def parse_report(data: dict) -> RunReport:
    """A ``--format json`` report back into findings (1-based columns -> 0-based)."""
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ValueError("no 'findings' list")
    report = RunReport()
    for item in data["findings"]:
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            raise ValueError("'properties' is not an object")
        report.findings.append(
            Finding(
                path=str(item["path"]),
                line=int(item["line"]),
                col=int(item["column"]) - 1,
                code=str(item["code"]),
                message=str(item["message"]),
                end_line=int(item.get("end_line", item["line"])),
                end_col=int(item.get("end_column", item["column"])) - 1,
                name=str(item.get("name", "")),
                severity=Severity(item.get("severity", "medium")),
                confidence=Confidence(item.get("confidence", "high")),
                properties=properties,
            )
        )
    return report
