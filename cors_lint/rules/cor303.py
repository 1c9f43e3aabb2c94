"""COR303 invalid-credentials-value: Access-Control-Allow-Credentials is set to something other than the exact string 'true'.

Browsers accept credentialed responses only when the header is exactly
`true`; Python's `True` becomes `True` and fails, and `false` means
nothing (leave the header out).

The full description, examples and fix: docs/rules/COR303.md.
"""

from __future__ import annotations

from ..facts import headers_vocab as vocab
from ..findings import Edit, Fix, Severity
from ..display import quoted
from .base import Rule
from .common import alternatives, response_writes


class InvalidCredentialsValue(Rule):
    CODE = "COR303"
    NAME = "invalid-credentials-value"
    SUMMARY = "Access-Control-Allow-Credentials is set to something other than the exact string 'true'."
    SEVERITY = Severity.MEDIUM

    def check(self, facts):
        for write in response_writes(facts, vocab.ACAC):
            alts = alternatives(write.value)
            booleans = {alt.const for alt in alts if alt.kind == "const" and isinstance(alt.const, bool)}
            if booleans == {True, False} and not write.typed:
                # bool(...) of something unknown: "True" or "False", never "true"
                yield self.finding(facts, write.span, "Access-Control-Allow-Credentials value is invalid: a boolean is sent as 'True' or 'False', never 'true'")
                continue
            for alt in alts:
                if alt.kind != "const":
                    continue
                value = alt.const
                fix = None
                if isinstance(value, bool):
                    if write.typed:
                        continue  # Werkzeug's property turns True into "true"
                    problem = f"the boolean {value} is sent as {str(value)!r}" if value else "sending False is pointless; omit the header"
                    if value is True:
                        fix = Fix("send the string \"true\"", (Edit(write.span, "name", "True", '"true"'),))
                elif isinstance(value, (str, bytes)):
                    s = alt.str_value()
                    if s == "true":
                        continue
                    if s.strip().lower() == "false":
                        problem = "'false' is pointless; omit the header"
                    else:
                        problem = f"{quoted(s)} is not 'true' (browsers compare case-sensitively)"
                        if s.lower() == "true":  # only the spelling is wrong
                            fix = Fix("send \"true\" in lower case", (Edit(write.span, "string", s, "true"),))
                elif isinstance(value, int):
                    problem = f"{value!r} is not 'true'"
                else:
                    continue
                yield self.finding(facts, write.span, f"Access-Control-Allow-Credentials value is invalid: {problem}", fix=fix)
                break
