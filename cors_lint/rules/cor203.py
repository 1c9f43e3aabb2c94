"""COR203 wildcard-origin (opt-in).

## What it does
Reports CORS library configurations that let any origin read responses
*without* credentials (``allow_origins=["*"]``, ``CORS(app)``,
``CORS_ALLOW_ALL_ORIGINS = True``), or where the credentials setting lives
in another module (a django-cors-headers ``check_request_enabled`` receiver
that never reads the Origin, in a ``signals.py`` without the settings).

## Why is this bad?
It is fine for public data, but on a private or intranet API it hands every
website the responses a browser can fetch without cookies (IP-based trust,
internal services).  Off by default; enable it to review such policies.

## Example
```python
CORS(app)  # flask-cors: every origin
```

Use instead:
```python
CORS(app, origins=["https://app.example.com"])
```

## Options
Enable with ``select = ["COR203"]`` (or ``ALL``).
"""

from __future__ import annotations

from ..facts.libraries._common import library_name
from ..findings import Severity
from .base import Rule
from .cor202 import any_origin_message


class WildcardOrigin(Rule):
    CODE = "COR203"
    NAME = "wildcard-origin"
    SUMMARY = "A CORS library lets every origin read responses (without credentials)."
    SEVERITY = Severity.LOW
    DEFAULT_ENABLED = False

    def check(self, facts):
        for policy in facts.policies:
            if policy.websocket or not policy.any_origin or policy.credentials is True:
                continue
            span = policy.origins_setting.span if policy.origins_setting is not None else policy.span
            does = "reflects any Origin" if policy.reflects else "allows any Origin"
            # credentials unknown: configured in a module cors-lint does not see
            creds = "without credentials" if policy.credentials is False else "credentials are configured elsewhere; if they are on, every site can read credentialed responses"
            yield self.finding(
                facts,
                span,
                f"{any_origin_message(policy)}: {library_name(policy.library)} {does} ({creds})",
                confidence=policy.confidence,
            )
