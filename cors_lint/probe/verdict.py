"""Judging one answer against the claim of one finding.

``confirmed``      the response allows the proof origin as the finding says:
                   ``Access-Control-Allow-Origin`` equals it (``null`` for the
                   null origin; ``*`` only when no credentials are claimed,
                   since browsers refuse ``*`` with them), plus
                   ``Access-Control-Allow-Credentials: true`` when credentials
                   are claimed and ``Access-Control-Allow-Private-Network: true``
                   for private-network claims.  For a WebSocket claim: the
                   handshake is accepted (``101 Switching Protocols``).
``not confirmed``  the server answered and did not allow it; the detail says
                   what came back instead.
``unreachable``    no answer that says anything about the claim: a network
                   error or timeout, a redirect to another host, the request
                   cap, or a status that means the route is not served there
                   (404, 405, 5xx) without confirming headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .client import Failure, Response
from .plan import Plan

CONFIRMED = "confirmed"
NOT_CONFIRMED = "not confirmed"
UNREACHABLE = "unreachable"
SKIPPED = "skipped"

NOT_SERVED = {404, 405}


@dataclass(frozen=True)
class Verdict:
    status: str
    detail: str


def judge(plan: Plan, answer: Response | Failure) -> Verdict:
    verdict = _judge(plan, answer)
    if verdict.status == UNREACHABLE and isinstance(answer, Response) and plan.route_source == "base URL":
        # the finding's route is unknown and the base URL is not served
        return Verdict(UNREACHABLE, f"{verdict.detail}; give a served path with --path")
    return verdict


def _judge(plan: Plan, answer: Response | Failure) -> Verdict:
    if isinstance(answer, Failure):
        return Verdict(UNREACHABLE, answer.reason)
    request = plan.request
    assert request is not None
    props = plan.finding.properties
    if request.kind == "websocket":
        return _websocket(answer)
    origin = props["proof_origin"]
    credentialed = bool(props.get("credentialed"))
    acao_values = answer.all("Access-Control-Allow-Origin")
    acac = answer.first("Access-Control-Allow-Credentials")
    seen = _shown(answer)
    if len(acao_values) > 1:
        return _or_unreachable(answer, f"{len(acao_values)} Access-Control-Allow-Origin headers (browsers reject the response): {seen}")
    acao = acao_values[0].strip() if acao_values else None
    if acao is None:
        return _or_unreachable(answer, f"no Access-Control-Allow-Origin ({seen})")
    if acao == "*" and credentialed:
        return _or_unreachable(answer, f"'*' is sent, which browsers refuse with credentials ({seen})")
    if acao != origin and acao != "*":
        return _or_unreachable(answer, f"Access-Control-Allow-Origin is {acao!r}, not {origin!r} ({seen})")
    if credentialed and acac != "true":
        return _or_unreachable(answer, f"the origin is allowed without Access-Control-Allow-Credentials: true ({seen})")
    if props.get("private_network") and answer.first("Access-Control-Allow-Private-Network") != "true":
        return _or_unreachable(answer, f"no Access-Control-Allow-Private-Network: true ({seen})")
    return Verdict(CONFIRMED, seen)


def _or_unreachable(answer: Response, detail: str) -> Verdict:
    if answer.status in NOT_SERVED or answer.status >= 500:
        return Verdict(UNREACHABLE, f"HTTP {answer.status} {answer.reason}".rstrip() + f": {detail}")
    return Verdict(NOT_CONFIRMED, detail)


def _websocket(answer: Response) -> Verdict:
    if answer.status == 101:
        return Verdict(CONFIRMED, "HTTP 101 Switching Protocols: the handshake from this origin was accepted")
    if answer.status in NOT_SERVED or answer.status >= 500:
        return Verdict(UNREACHABLE, f"HTTP {answer.status} {answer.reason}: no WebSocket endpoint answered here".replace("  ", " "))
    return Verdict(NOT_CONFIRMED, f"HTTP {answer.status} {answer.reason}: the handshake was refused".replace("  ", " "))


def _shown(answer: Response) -> str:
    """The status and the CORS headers that came back, in one line."""
    parts = [f"HTTP {answer.status}"]
    for name in (
        "Access-Control-Allow-Origin",
        "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Private-Network",
    ):
        for value in answer.all(name):
            parts.append(f"{name}: {value}")
    return ", ".join(parts)
