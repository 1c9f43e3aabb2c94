"""Probe output: the lint reporters' shapes, with the verdict added.

Text: one line per probed finding, ``path:line:col: CODE verdict: request ->
what came back``.  JSON and SARIF: the findings as the linter reports them,
each with ``properties.probe`` = ``{verdict, detail, request}`` (findings
without a proof origin are left out: nothing was sent for them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TextIO

from ..findings import Finding
from ..reporters import ReportOptions, RunReport
from ..reporters import json as json_reporter
from ..reporters import sarif as sarif_reporter
from .plan import Plan
from .verdict import Verdict


@dataclass
class Outcome:
    plan: Plan
    verdict: Verdict


SHOWN_HEADERS = ("Origin", "Referer", "Access-Control-Request-Method", "Access-Control-Request-Private-Network", "Upgrade")


def describe_request(plan: Plan) -> str:
    """``GET /path [base URL] (Origin: ...)``: the bracket says where the path
    came from when it is not the finding's own route."""
    request = plan.request
    assert request is not None
    shown = ", ".join(f"{k}: {v}" for k, v in request.headers if k in SHOWN_HEADERS)
    source = f" [{plan.route_source}]" if plan.route_source != "route" else ""
    return f"{request.method} {request.target}{source} ({shown})"


def probe_dict(outcome: Outcome) -> dict:
    request = outcome.plan.request
    out = {"verdict": outcome.verdict.status, "detail": outcome.verdict.detail}
    if request is not None:
        out["request"] = {
            "method": request.method,
            "target": request.target,
            "headers": {k: v for k, v in request.headers if k != "Sec-WebSocket-Key"},
            "route_from": outcome.plan.route_source,
        }
    return out


def with_verdict(outcome: Outcome) -> Finding:
    finding = outcome.plan.finding
    return replace(finding, properties={**finding.properties, "probe": probe_dict(outcome)})


def text(outcomes: list[Outcome], out: TextIO) -> None:
    for outcome in outcomes:
        f = outcome.plan.finding
        request = outcome.plan.request
        what = describe_request(outcome.plan) if request is not None else ""
        arrow = f"{what} -> " if what else ""
        out.write(f"{f.path}:{f.line}:{f.col + 1}: {f.code} {outcome.verdict.status}: {arrow}{outcome.verdict.detail}\n")


def machine(outcomes: list[Outcome], report: RunReport, out: TextIO, fmt: str, base_url: str) -> None:
    probed = RunReport(
        findings=[with_verdict(o) for o in outcomes],
        errors=report.errors,
        files_checked=report.files_checked,
        sources=report.sources,
    )
    if fmt == "json":
        data = json_reporter.as_dict(probed)
        data["base_url"] = base_url
        json.dump(data, out, indent=2)
        out.write("\n")
    else:
        sarif_reporter.report(probed, out, ReportOptions())


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def summary(outcomes: list[Outcome], requests: int, unprobed: int) -> str:
    counts: dict[str, int] = {}
    probed = [o for o in outcomes if o.plan.request is not None]
    for o in probed:
        counts[o.verdict.status] = counts.get(o.verdict.status, 0) + 1
    parts = [f"{n} {status}" for status, n in sorted(counts.items())] or ["nothing to report"]
    text = f"Probed {_plural(len(probed), 'finding')} with {_plural(requests, 'request')}: {', '.join(parts)}"
    skipped = len(outcomes) - len(probed)
    if skipped:
        text += f"; {skipped} skipped"
    if unprobed:
        text += f"; {_plural(unprobed, 'finding')} without a proof origin not probed"
    return text + "."
