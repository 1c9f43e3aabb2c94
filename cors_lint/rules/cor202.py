"""COR202 any-origin-with-credentials.

## What it does
Finds CORS library configurations under which every origin is accepted *and*
credentials are allowed: Starlette/FastAPI ``allow_origins=["*"]`` with
``allow_credentials=True``, flask-cors' default origins with
``supports_credentials=True``, django-cors-headers ``CORS_ALLOW_ALL_ORIGINS``
with ``CORS_ALLOW_CREDENTIALS``, match-everything regexes, values that are
``*`` by default (``os.getenv("ORIGINS", "*")``) and restrictions the library
silently drops (flask-cors ``@cross_origin("https://a.com", ...)``).

## Why is this bad?
Browsers never honour ``*`` with credentials, so these libraries reflect the
caller's origin instead: every website can send cookie-bearing requests and
read the responses.

## Example
```python
app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
```

Use instead:
```python
app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
```

## References
- https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
- CWE-942
"""

from __future__ import annotations

from ..facts.libraries._common import describe, library_name
from ..facts.model import CorsPolicy
from ..findings import Confirm, Severity
from .base import Rule
from .cor101 import ATTACKER


def any_origin_message(policy: CorsPolicy) -> str:
    """``allow_origins=['*']`` (plus why it means every origin, when that is
    not obvious)."""
    where = describe(policy.origins_setting, "the default origins")
    reason = policy.any_reason
    if reason and reason != "allow_origins contains '*'" and reason not in where:
        return f"{where} ({reason})"
    return where


class AnyOriginWithCredentials(Rule):
    CODE = "COR202"
    NAME = "any-origin-with-credentials"
    SUMMARY = "A CORS library accepts every origin and allows credentials, so any site can read credentialed responses."
    SEVERITY = Severity.CRITICAL

    def check(self, facts):
        for policy in facts.policies:
            if policy.websocket or not policy.any_origin or policy.credentials is not True:
                continue
            span = policy.origins_setting.span if policy.origins_setting is not None else policy.span
            creds = describe(policy.credentials_setting, "credentials enabled")
            does = "reflects any Origin with credentials" if policy.reflects else "accepts any Origin with credentials"
            yield self.finding(
                facts,
                span,
                f"{any_origin_message(policy)} with {creds}: {library_name(policy.library)} {does}",
                # without reflection browsers still refuse credentialed reads
                # (Robyn: preflights pass, so cross-site writes do): serious, not critical
                severity=Severity.CRITICAL if policy.reflects else Severity.HIGH,
                confidence=policy.confidence,
                # some libraries reflect only for requests with a cookie (Starlette <1.0,
                # Litestar); a credentialed attack carries one anyway
                confirm=Confirm(ATTACKER, credentials=True, cookie=True) if policy.reflects else None,
            )
