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

from ..display import any_origin_message, library_name
from ..findings import Severity
from .base import Rule
from .common import alternatives, credentialed, response_writes
from ..facts import headers_vocab as vocab
from ..facts.conditions import ORIGIN_ABSENT


class WildcardOrigin(Rule):
    CODE = "COR203"
    NAME = "wildcard-origin"
    SUMMARY = "Every origin may read responses (without credentials): a library policy or a hand-written Access-Control-Allow-Origin: *."
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
        for write in response_writes(facts, vocab.ACAO):
            if credentialed(facts, write):
                continue  # '*' with credentials is COR201's finding
            if any((alt.str_value() or "").strip() == "*" and ORIGIN_ABSENT not in alt.conditions for alt in alternatives(write.value)):
                yield self.finding(
                    facts,
                    write.span,
                    "Access-Control-Allow-Origin: * lets every website read these responses (without credentials); fine for public data, worth a look for private APIs",
                )
