"""The check analyser: every weak form yields a proof origin that really
passes the check (verified here by running the same Python check on it) and
belongs to nobody the check meant to trust; every strong twin is STRONG and
rejects all those proofs."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import libcst as cst
import pytest

from cors_lint.checks import ENTRY_MODES, Strength, file_budget, judge, judge_entry, judge_guards, safe_accepts
from cors_lint.checks.candidates import intended_from_text, regex_samples
from cors_lint.checks.origins import is_foreign, parse_origin, registrable_domain
from cors_lint.engine import EngineOptions, lint_source
from cors_lint.facts import extract_facts
from cors_lint.facts.model import CheckKind, OriginCheck
from cors_lint.facts.values import alternatives, flow_of

HEADER = """\
import fnmatch
import os
import re
from urllib.parse import urlparse
"""

TEMPLATE = """\
{header}
from flask import request

{prelude}


def view(resp):
    origin = request.headers.get("Origin", "")
    if {expr}:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Vary"] = "Origin"
    return resp
"""

PRELUDE = """\
ALLOWED_STR = "https://app.example.com https://admin.example.com"
ALLOWED = ["https://app.example.com", "https://admin.example.com"]
ENV_ALLOWED = os.getenv("UNSET_CORS_ORIGINS_FOR_TESTS", "https://app.example.com,https://admin.example.com")
ALLOWED_TUPLE = ("https://app.example.com", "https://admin.example.com")
ALLOWED_DICT = {"https://app.example.com": "app", "https://admin.example.com": "admin"}
HOSTS_STR = "app.example.com admin.example.com"
HOSTS = ["app.example.com", "admin.example.com"]
DOMAINS = ("example.com", "example.org")
DOTTED = (".example.com", ".example.org")
PATTERNS = [r"https://.*\\.example\\.com", r"https://partner\\.example\\.org"]
STRICT = [r"https://([a-z0-9-]+\\.)*example\\.com", r"https://partner\\.example\\.org"]
PREFIX_RE = re.compile(r"https://[a-z0-9-]+\\.example\\.com")
ANCHORED_RE = re.compile(r"^https://[a-z0-9-]+\\.example\\.com$")
BLOCKED = {"https://evil.example.net"}


def is_allowed_weak(origin):
    if origin in ALLOWED:
        return True
    return origin.endswith("example.com")


def is_allowed_strong(origin):
    if origin in ALLOWED:
        return True
    if urlparse(origin).hostname.endswith(".example.com"):
        return True
    return False
"""

# (id, check expression, the proof the analyser must give)
WEAK = [
    ("endswith-no-dot", 'origin.endswith("example.com")', "https://attackerexample.com"),
    ("endswith-tuple", 'origin.endswith((".example.com", "example.org"))', "https://attackerexample.org"),
    ("host-endswith-no-dot", 'urlparse(origin).hostname.endswith("example.com")', "https://attackerexample.com"),
    ("netloc-endswith-no-dot", 'urlparse(origin).netloc.endswith("example.com")', "https://attackerexample.com"),
    ("any-endswith", "any(origin.endswith(d) for d in DOMAINS)", "https://attackerexample.com"),
    ("contains", '"example.com" in origin', "https://example.com.attacker.example"),
    ("startswith", 'origin.startswith("https://app.example.com")', "https://app.example.com.attacker.example"),
    ("startswith-localhost", 'origin.startswith("http://localhost")', "http://localhost.attacker.example"),
    ("in-string-constant", "origin in ALLOWED_STR", "https://app.example.co"),
    ("in-string-literal", 'origin in "https://app.example.com,https://admin.example.com"', "https://app.example.co"),
    ("in-string-env-default", "origin in ENV_ALLOWED", "https://app.example.co"),
    ("netloc-in-string", "urlparse(origin).netloc in HOSTS_STR", "https://app.example.co"),
    ("re-match-prefix", 're.match(r"https://.*\\.example\\.com", origin)', "https://www.example.com.attacker.example"),
    ("re-match-caret-no-dollar", 're.match(r"^https://\\w+\\.example\\.com", origin)', "https://a.example.com.attacker.example"),
    ("re-search", 're.search(r"example\\.com", origin)', "https://example.com.attacker.example"),
    ("re-search-flags", 're.search(r"\\.example\\.com", origin, re.I)', "https://www.example.com.attacker.example"),
    ("unescaped-dot", 're.fullmatch(r"https://app.example.com", origin)', "https://app-example.com"),
    ("unescaped-dot-anchored-match", 're.match(r"^https://app.example\\.com$", origin)', "https://app-example.com"),
    ("star-into-domain", 're.fullmatch(r"https://.*example\\.com", origin)', "https://attackerexample.com"),
    ("match-everything", 're.match(r".*", origin)', "https://attacker.example"),
    ("null-alternative", 're.fullmatch(r"null|https://app\\.example\\.com", origin)', "null"),
    ("compiled-prefix", "PREFIX_RE.match(origin)", "https://a.example.com.attacker.example"),
    ("compiled-is-not-none", "PREFIX_RE.match(origin) is not None", "https://a.example.com.attacker.example"),
    ("any-regex", "any(re.match(p, origin) for p in PATTERNS)", "https://www.example.com.attacker.example"),
    ("fnmatch-into-domain", 'fnmatch.fnmatch(origin, "https://*example.com")', "https://attackerexample.com"),
    ("scheme-only", 'urlparse(origin).scheme == "https"', "https://attacker.example"),
    ("denylist", "origin not in BLOCKED", "https://attacker.example"),
    ("deny-substring", 'not "evil" in origin', "https://attacker.example"),
    ("disjunction", 'origin in ALLOWED or origin.endswith("example.com")', "https://attackerexample.com"),
    ("conjunction-of-weak", 'origin.startswith("https://") and "example.com" in origin', "https://example.com.attacker.example"),
    ("helper-validator", "is_allowed_weak(origin)", "https://attackerexample.com"),
]

# (id, check expression, an origin it is meant to admit)
STRONG = [
    ("endswith-dot", 'origin.endswith(".example.com")', "https://app.example.com"),
    ("endswith-tuple-dots", 'origin.endswith((".example.com", ".example.org"))', "https://app.example.org"),
    ("host-endswith-dot", 'urlparse(origin).hostname.endswith(".example.com")', "https://app.example.com"),
    ("any-endswith-dots", "any(origin.endswith(d) for d in DOTTED)", "https://app.example.com"),
    ("in-list", "origin in ALLOWED", "https://app.example.com"),
    ("in-split", "origin in ENV_ALLOWED.split(',')", "https://admin.example.com"),
    ("in-tuple", "origin in ALLOWED_TUPLE", "https://admin.example.com"),
    ("in-dict-keys", "origin in ALLOWED_DICT", "https://admin.example.com"),
    ("in-frozenset", "origin in frozenset(ALLOWED)", "https://admin.example.com"),
    ("netloc-equals", 'urlparse(origin).netloc == "app.example.com"', "https://app.example.com"),
    ("any-equals", "any(origin == o for o in ALLOWED)", "https://app.example.com"),
    ("netloc-in-list", "urlparse(origin).netloc in HOSTS", "https://app.example.com"),
    ("equality", 'origin == "https://app.example.com"', "https://app.example.com"),
    ("startswith-path", 'origin.startswith("https://app.example.com/")', None),
    ("startswith-port", 'origin.startswith("https://app.example.com:8443")', "https://app.example.com:8443"),
    ("re-match-anchored", 're.match(r"^https://[a-z0-9-]+\\.example\\.com$", origin)', "https://app.example.com"),
    ("re-fullmatch-subdomains", 're.fullmatch(r"https://([a-z0-9-]+\\.)*example\\.com", origin)', "https://app.example.com"),
    ("re-fullmatch-star-dot", 're.fullmatch(r"https://.*\\.example\\.com", origin)', "https://app.example.com"),
    ("re-escaped", 're.fullmatch(r"https://app\\.example\\.com", origin)', "https://app.example.com"),
    ("re-search-anchored", 're.search(r"^https://[a-z]+\\.example\\.com$", origin)', "https://app.example.com"),
    ("re-search-suffix", 're.search(r"\\.example\\.com$", origin)', "https://app.example.com"),
    ("compiled-anchored", "ANCHORED_RE.match(origin)", "https://app.example.com"),
    ("any-strict-regex", "any(re.fullmatch(p, origin) for p in STRICT)", "https://partner.example.org"),
    ("fnmatch-subdomains", 'fnmatch.fnmatch(origin, "https://*.example.com")', "https://app.example.com"),
    ("conjunction", 'urlparse(origin).scheme == "https" and origin.endswith(".example.com")', "https://app.example.com"),
    ("helper-validator", "is_allowed_strong(origin)", "https://app.example.com"),
]

ALL_PROOFS = sorted({proof for _, _, proof in WEAK})


def module_source(expr: str) -> str:
    return TEMPLATE.format(header=HEADER, prelude=PRELUDE, expr=expr)


def verdict_for(expr: str):
    source = module_source(expr)
    facts = extract_facts(cst.parse_module(source), "view.py")
    writes = [w for w in facts.header_writes if w.name == "access-control-allow-origin"]
    assert len(writes) == 1
    write = writes[0]
    guards = list(write.guards)
    for alt in alternatives(write.value):
        flow = flow_of(alt)
        if flow is not None:
            guards.extend(flow.guards)
    return judge_guards(guards)


def run_check(expr: str, origin: str) -> bool:
    """Run the very check the analyser judged, in Python, on ``origin``."""
    namespace: dict = {}
    exec(HEADER + PRELUDE, namespace)  # test-owned code, not scanned code
    try:
        return bool(eval(expr, {**namespace, "origin": origin}))
    except (AttributeError, TypeError):
        return False  # e.g. urlparse("null").hostname is None


def intended_hosts(expr: str) -> tuple[str, ...]:
    return ("example.com", "example.org", "localhost")


@pytest.mark.parametrize("expr,proof", [(e, p) for _, e, p in WEAK], ids=[i for i, _, _ in WEAK])
def test_weak_check_has_verified_foreign_proof(expr: str, proof: str) -> None:
    verdict = verdict_for(expr)
    assert verdict.strength == Strength.WEAK, verdict
    assert verdict.proof == proof
    # the proof really passes the real check ...
    assert run_check(expr, verdict.proof)
    # ... and is an origin nobody meant to trust
    if proof != "null":
        origin = parse_origin(proof)
        assert origin is not None and origin.scheme in ("http", "https")
        assert is_foreign(origin.host, intended_hosts(expr))
        assert registrable_domain(origin.host) not in ("example.com", "example.org")


@pytest.mark.parametrize("expr,proof", [(e, p) for _, e, p in WEAK], ids=[i for i, _, _ in WEAK])
def test_cor102_message_names_the_proof(expr: str, proof: str) -> None:
    result = lint_source(module_source(expr), "view.py", EngineOptions(enabled=lambda code: code == "COR102"))
    messages = [f.message for f in result.findings if f.code == "COR102"]
    assert len(messages) == 1, result.findings
    assert proof in messages[0]
    assert run_check(expr, proof)


@pytest.mark.parametrize("expr,legit", [(e, l) for _, e, l in STRONG], ids=[i for i, _, _ in STRONG])
def test_strong_twin(expr: str, legit: str | None) -> None:
    verdict = verdict_for(expr)
    assert verdict.strength == Strength.STRONG, verdict
    assert verdict.proof is None
    if legit is not None:  # the twin is a real check, not one that admits nothing
        assert run_check(expr, legit)
    # and it rejects every proof that beats a weak form
    for proof in ALL_PROOFS:
        assert not run_check(expr, proof), proof


def test_strong_twin_reports_nothing() -> None:
    for _, expr, _ in STRONG:
        result = lint_source(module_source(expr), "view.py")
        assert not [f for f in result.findings if f.code in ("COR101", "COR102")], (expr, result.findings)


# -- library entries ------------------------------------------------------------------


def flask_cors_accepts(value: str, origin: str) -> bool:
    """flask-cors' own test, written out independently of the analyser."""
    if value == "*":
        value = ".*"
    if any(ch in value for ch in "*\\]?$^[()"):
        return re.match(value, origin, re.IGNORECASE) is not None
    return origin.lower() == value.lower()


def litestar_accepts(value: str, origin: str) -> bool:
    return re.fullmatch(re.escape(value).replace(r"\*", ".*"), origin) is not None


LIBRARY_WEAK = [
    ("regex-if-metacharacters", "https://*.example.com", lambda v, o: flask_cors_accepts(v, o)),
    ("regex-if-metacharacters", r"https://.*\.example\.com", lambda v, o: flask_cors_accepts(v, o)),
    ("regex-if-metacharacters", "*", lambda v, o: flask_cors_accepts(v, o)),
    ("regex-if-wildcard-chars", r"https://.*\.example\.com", lambda v, o: re.match(v, o, re.IGNORECASE) is not None),
    ("glob-crossing-dots", "https://example.*", litestar_accepts),
    ("glob-crossing-dots", "https://*example.com", litestar_accepts),
    ("prefix-regex", r"^https://\w+\.example\.com", lambda v, o: re.match(v, o) is not None),
    ("fullmatch-regex", r"https://app.example.com", lambda v, o: re.fullmatch(v, o) is not None),
    ("search-regex", r"example\.com", lambda v, o: re.search(v, o) is not None),
    ("substring", "https://app.example.com", lambda v, o: o in v),
]

LIBRARY_STRONG = [
    ("exact", "https://app.example.com"),
    ("exact", "null"),
    ("exact-ci", "https://App.example.com"),
    ("scheme-netloc", "example.com"),
    ("regex-if-metacharacters", "https://app.example.com"),
    ("regex-if-wildcard-chars", "https://app.example.com$"),
    ("glob-crossing-dots", "https://*.example.com"),
    ("prefix-regex", r"^https://\w+\.example\.com$"),
    ("fullmatch-regex", r"https://([a-z0-9-]+\.)*example\.com"),
]


@pytest.mark.parametrize("match,value,accepts", LIBRARY_WEAK, ids=[f"{m}:{v}" for m, v, _ in LIBRARY_WEAK])
def test_library_entry_weak(match, value, accepts) -> None:
    verdict = judge_entry(value, match)
    assert verdict.strength == Strength.WEAK, verdict
    assert accepts(value, verdict.proof), verdict.proof
    origin = parse_origin(verdict.proof)
    assert origin is not None and is_foreign(origin.host, ("example.com",))


@pytest.mark.parametrize("match,value", LIBRARY_STRONG, ids=[f"{m}:{v}" for m, v in LIBRARY_STRONG])
def test_library_entry_strong(match, value) -> None:
    assert judge_entry(value, match).strength == Strength.STRONG


def test_sanic_cors_hints_are_fewer_than_flask_cors() -> None:
    # "$" and "^" make a regex for flask-cors but not for sanic-cors
    assert judge_entry("^https://app.example.com", "regex-if-metacharacters").strength == Strength.WEAK
    assert judge_entry("^https://app.example.com", "regex-if-wildcard-chars").strength == Strength.STRONG


def test_entry_modes_are_documented_and_unknown_modes_rejected() -> None:
    assert set(ENTRY_MODES) >= {"exact", "scheme-netloc", "glob-crossing-dots", "regex-if-metacharacters", "regex-if-wildcard-chars", "substring"}
    with pytest.raises(ValueError):
        judge_entry("https://a.com", "prefix")


# -- individual behaviours --------------------------------------------------------------


def check(kind, *patterns, subject="origin", matcher="", flags=0, resolved=True) -> OriginCheck:
    return OriginCheck(kind, tuple(patterns), subject, matcher, flags, resolved=resolved)


def test_unresolved_patterns_are_unknown() -> None:
    assert judge(check(CheckKind.ENDSWITH, resolved=False)).strength == Strength.UNKNOWN
    assert judge(check(CheckKind.REGEX, matcher="match", resolved=False)).strength == Strength.UNKNOWN
    assert judge(check(CheckKind.IN_COLLECTION, resolved=False)).strength == Strength.UNKNOWN


def test_invalid_regex_is_unknown_with_reason() -> None:
    verdict = judge(check(CheckKind.REGEX, "https://(example\\.com", matcher="match"))
    assert verdict.strength == Strength.UNKNOWN
    assert "invalid regex" in verdict.reason


def test_null_in_exact_allowlist_is_left_to_cor103() -> None:
    assert judge(check(CheckKind.IN_COLLECTION, "null", "https://a.example.com")).strength == Strength.STRONG


def test_validators() -> None:
    validator = check(CheckKind.VALIDATOR, "myapp.security.is_allowed_origin")
    assert judge(validator).strength == Strength.UNKNOWN
    assert judge(validator, ("myapp.security.is_allowed_origin",)).strength == Strength.STRONG
    assert judge(validator, ("security.is_allowed_origin",)).strength == Strength.STRONG
    assert judge(validator, ("other.is_allowed_origin",)).strength == Strength.UNKNOWN


def test_scheme_downgrade_is_reported_separately_for_cor105() -> None:
    verdict = judge(check(CheckKind.REGEX, r"^https?://([a-z0-9-]+\.)*example\.com$", matcher="match"))
    assert verdict.strength == Strength.STRONG
    assert verdict.insecure_proof is not None and verdict.insecure_proof.startswith("http://")
    assert re.match(r"^https?://([a-z0-9-]+\.)*example\.com$", verdict.insecure_proof)
    pinned = judge(check(CheckKind.REGEX, r"^https://([a-z0-9-]+\.)*example\.com$", matcher="match"))
    assert pinned.insecure_proof is None


def test_public_suffix_is_not_an_intended_domain() -> None:
    verdict = judge(check(CheckKind.ENDSWITH, ".github.io", subject="host"))
    assert verdict.strength == Strength.WEAK
    assert urlparse(verdict.proof).hostname.endswith(".github.io")
    assert "shared hosting domain" in verdict.reason and "github.io" in verdict.reason
    country = judge(check(CheckKind.ENDSWITH, ".co.uk", subject="host"))
    assert country.strength == Strength.WEAK
    assert "public suffix co.uk" in country.reason


@pytest.mark.parametrize(
    "suffix",
    ["up.railway.app", "railway.app", "trycloudflare.com", "loca.lt", "ngrok.app", "ngrok-free.app", "replit.dev", "hf.space", "streamlit.app", "deno.dev", "amplifyapp.com", "azurestaticapps.net", "pythonanywhere.com", "use.devtunnels.ms", "onrender.com", "vercel.app"],
)
def test_shared_hosting_suffixes_are_weak(suffix: str) -> None:
    """Trusting every subdomain of a hosting provider trusts its customers;
    the same suffix test on a company domain stays strong."""
    escaped = suffix.replace(".", r"\.")
    for verdict in (
        judge(check(CheckKind.ENDSWITH, "." + suffix)),
        judge(check(CheckKind.REGEX, rf"^https://[a-z0-9-]+\.{escaped}$", matcher="match")),
    ):
        assert verdict.strength == Strength.WEAK, verdict
        host = urlparse(verdict.proof).hostname
        assert host.endswith("." + suffix) and "shared hosting" in verdict.reason
    assert judge(check(CheckKind.ENDSWITH, ".corp-example.com")).strength == Strength.STRONG


def test_registrable_domain_below_wildcard_suffix() -> None:
    assert registrable_domain("abc-8000.use.devtunnels.ms") == "abc-8000.use.devtunnels.ms"
    assert registrable_domain("a.up.railway.app") == "a.up.railway.app"
    assert registrable_domain("x.api.example.com") == "example.com"


def test_in_string_of_local_origins_has_no_attacker_proof() -> None:
    verdict = judge(check(CheckKind.IN_STRING, "http://localhost:3000"))
    assert verdict.strength == Strength.UNKNOWN


def test_regex_samples_and_intended_hosts() -> None:
    assert "https://a.example.com" in regex_samples(r"^https://[a-z0-9-]+\.example\.com$")
    assert regex_samples(r"^https?://example\.com$")[0] == "https://example.com"
    assert intended_from_text("https://App.example.com:8443/path").host == "app.example.com"
    assert intended_from_text(".example.com").host == "example.com"


def test_registrable_domains() -> None:
    assert registrable_domain("a.b.example.com") == "example.com"
    assert registrable_domain("shop.example.co.uk") == "example.co.uk"
    assert registrable_domain("me.github.io") == "me.github.io"
    assert not is_foreign("app.example.com", ("example.com",))
    assert is_foreign("attackerexample.com", ("example.com",))
    assert is_foreign("example.com.attacker.example", ("example.com",))


def test_file_budget_exhausted_degrades_to_unknown() -> None:
    weak = check(CheckKind.REGEX, r"https://budget\.example\.com", matcher="search")
    with file_budget(seconds=0):
        verdict = judge(weak)
    assert verdict.strength == Strength.UNKNOWN
    assert "budget" in verdict.reason


def test_safe_accepts() -> None:
    assert safe_accepts(r"^https://a\.com$", "https://a.com") is True
    assert safe_accepts(r"^https://a\.com$", "https://b.com") is False
    assert safe_accepts("(", "x") is None
    assert safe_accepts(r"^(.+)+:$", "https://attacker.example") is None


def test_conjunction_never_reports_a_proof_that_fails_the_other_part() -> None:
    # each part alone is weak; a proof for one alone fails the other part
    expr = 'origin.startswith("https://b") and origin.endswith("example.com")'
    verdict = verdict_for(expr)
    assert verdict.strength in (Strength.WEAK, Strength.UNKNOWN)
    if verdict.strength == Strength.WEAK:
        assert run_check(expr, verdict.proof)


# -- the weak_checks fixtures: every reported proof really passes its check --------------

from pathlib import Path  # noqa: E402

from cors_lint.checks import passes_check  # noqa: E402
from cors_lint.checks.matchers import entry_predicate  # noqa: E402

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "weak_checks"
PROOF = re.compile(r"(\S+) passes")


def _checks_by_line(facts) -> dict[int, list]:
    out: dict[int, list] = {}

    def add_guard(guard) -> None:
        for c in guard.checks:
            if c.span is not None:
                out.setdefault(c.span.line, []).append(c)
        for child in guard.children:
            add_guard(child)

    for write in facts.header_writes:
        for guard in write.guards:
            add_guard(guard)
        for alt in alternatives(write.value):
            flow = flow_of(alt)
            for guard in flow.guards if flow is not None else ():
                add_guard(guard)
    for ws in facts.websocket_checks:
        for c in ws.checks:
            if c.span is not None:
                out.setdefault(c.span.line, []).append(c)
    return out


@pytest.mark.parametrize("path", sorted(FIXTURE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_fixture_proofs_pass_their_checks(path: Path) -> None:
    source = path.read_text()
    result = lint_source(source, str(path))
    facts = extract_facts(cst.parse_module(source), str(path))
    checks = _checks_by_line(facts)
    entries = {e.span.line: e for p in facts.policies for e in p.entries}
    findings = [f for f in result.findings if f.code == "COR102"]
    assert findings
    for finding in findings:
        match = PROOF.search(finding.message)
        assert match, finding.message
        proof = match.group(1).rstrip(":,;")
        assert proof == "null" or parse_origin(proof) is not None, proof
        if finding.line in entries:
            entry = entries[finding.line]
            test, _ = entry_predicate(entry.value, entry.match, entry.flags)
            assert test(proof), (finding.message, entry)
        else:
            assert any(passes_check(c, proof) for c in checks.get(finding.line, [])), finding.message
        if proof != "null":
            host = parse_origin(proof).host
            assert registrable_domain(host) not in ("example.com", "example.org", "example.net"), proof


# -- messages name the real reason ------------------------------------------------------


def _messages(source: str, path: str = "settings.py") -> list[str]:
    return [f.message for f in lint_source(source, path).findings if f.code == "COR102"]


def test_anchored_regex_under_shared_hosting_names_the_suffix_not_prefix_matching() -> None:
    source = 'CORS_ALLOW_CREDENTIALS = True\nCORS_ALLOWED_ORIGIN_REGEXES = [r"^https://.*\\.vercel\\.app$"]\n'
    (message,) = _messages(source)
    assert "https://attacker.vercel.app passes" in message
    assert "shared hosting" in message and "prefix" not in message


def test_substring_proof_prefers_a_familiar_tld() -> None:
    source = (
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\napp = FastAPI()\n"
        'app.add_middleware(CORSMiddleware, allow_origins="https://careops-01.netlify.app/", allow_credentials=True)\n'
    )
    (message,) = _messages(source, "main.py")
    assert "https://careops-01.net passes" in message


# -- library messages ------------------------------------------------------------------------


def test_conditional_origins_name_the_condition_not_an_unknown_branch() -> None:
    path = Path(__file__).parent / "fixtures" / "channels" / "channels_conditional_origins.py"
    (finding,) = [f for f in lint_source(path.read_text(), str(path)).findings if f.code == "COR401"]
    assert "?" not in finding.message
    assert "['*'] when getattr(settings, \"CORS_ALLOW_ALL_ORIGINS\", False)" in finding.message


def test_socketio_star_messages_name_their_transport() -> None:
    source = 'import socketio\nsio = socketio.Server(cors_allowed_origins="*")\n'
    findings = {f.code: f.message for f in lint_source(source, "ws.py").findings}
    assert set(findings) == {"COR202", "COR401"}
    assert "HTTP long-polling" in findings["COR202"] and "WebSocket" not in findings["COR202"]
    assert "handshake" in findings["COR401"] and "long-polling" not in findings["COR401"]


def test_comprehension_regexes_resolved_high_template_medium() -> None:
    path = Path(__file__).parent / "fixtures" / "django_cors" / "settings_regex_comprehension.py"
    findings = lint_source(path.read_text(), str(path)).findings
    by_line = {}
    for f in findings:
        by_line.setdefault(f.line, []).append(f)
    assert {f.confidence.value for f in by_line[10]} == {"high"}
    assert {f.confidence.value for f in by_line[14]} == {"medium"}
    assert all("placeholder" in f.message for f in by_line[14])


def test_parameter_default_findings_have_lower_confidence() -> None:
    path = Path(__file__).parent / "fixtures" / "starlette" / "starlette_param_defaults.py"
    (finding,) = lint_source(path.read_text(), str(path)).findings
    assert finding.code == "COR202" and finding.confidence.value == "medium"
    assert "parameter default" in finding.message


def test_glob_entries_that_never_match() -> None:
    from cors_lint.checks.matchers import entry_predicate, glob_never_matches

    assert glob_never_matches("http://127.0.0.1/:*") == "it has a path ('/:*')"
    assert glob_never_matches("https://*.example.com/") == "it has a trailing slash"
    for fine in ("https://*.example.com", "http://localhost:*", "*://app.example.com", "https://*"):
        assert glob_never_matches(fine) is None, fine
    test, _ = entry_predicate("http://127.0.0.1/:*", "glob-crossing-dots")
    assert not any(test(o) for o in ("http://127.0.0.1", "http://127.0.0.1:3000", "https://127.0.0.1"))


def test_receiver_without_known_credentials_does_not_claim_none() -> None:
    path = Path(__file__).parent / "fixtures" / "django_cors" / "signals.py"
    options = EngineOptions(enabled=lambda code: code == "COR203")
    messages = [f.message for f in lint_source(path.read_text(), str(path), options).findings]
    assert messages and all("configured elsewhere" in m and "without credentials" not in m for m in messages)
    public = lint_source("INSTALLED_APPS = []\nCORS_ALLOW_ALL_ORIGINS = True\n", "settings.py", options).findings
    assert [f.code for f in public] == ["COR203"]
    assert "without credentials" in public[0].message


@pytest.mark.parametrize("fixture", ["django_configured_wildcard_switch.py", "fastapi_configured_wildcard_switch.py"])
def test_configured_wildcard_switch_is_a_low_confidence_conditional_proof(fixture: str) -> None:
    """``{"*", origin} & <configured>``: weak only if the deployment puts
    "*" in the collection, so COR102 says so and is low confidence; a
    literal collection holding "*" is a plain COR101 at high confidence."""
    path = Path(__file__).parent / "fixtures" / "evaluated" / fixture
    findings = lint_source(path.read_text(), str(path)).findings
    weak = [f for f in findings if f.code == "COR102"]
    assert len(weak) == 3  # two intersections and one '"*" in X or origin in X'
    for f in weak:
        assert f.confidence.value == "low"
        assert "if the configured collection contains `*`" in f.message
        assert f.properties["proof_origin"] == "https://attacker.example"
    reflected = [f for f in findings if f.code == "COR101"]
    assert reflected and all(f.confidence.value == "high" for f in reflected)


def test_switch_verdict_needs_the_configured_mark() -> None:
    """The same patterns without the switch mark are exact membership."""
    plain = OriginCheck(CheckKind.IN_COLLECTION, ("*",), resolved=True)
    switch = OriginCheck(CheckKind.IN_COLLECTION, ("*",), resolved=True, configured="switch")
    assert judge(plain).strength == Strength.STRONG
    verdict = judge(switch)
    assert verdict.strength == Strength.WEAK and verdict.confidence.value == "low" and verdict.condition


def test_referer_checks_are_run_on_urls() -> None:
    """A Referer is a full URL: proofs are URLs whose origin is the
    attacker's, and a prefix ending in "/" is strong."""
    site = "https://shop.example.com"
    prefix = judge(OriginCheck(CheckKind.STARTSWITH, (site,), source="referer"))
    assert prefix.is_weak and prefix.proof == "https://shop.example.com.attacker.example/"
    assert judge(OriginCheck(CheckKind.STARTSWITH, (site + "/",), source="referer")).strength == Strength.STRONG
    embedded = judge(OriginCheck(CheckKind.CONTAINS, (site + "/",), source="referer"))
    assert embedded.is_weak and urlparse(embedded.proof).hostname == "attacker.example"
    assert site + "/" in embedded.proof
    # the same test on an Origin: no origin contains a path, so it is strong
    assert judge(OriginCheck(CheckKind.CONTAINS, (site + "/",))).strength == Strength.STRONG
    search = judge(OriginCheck(CheckKind.REGEX, (r"shop\.example\.com/",), matcher="search", source="referer"))
    assert search.is_weak and urlparse(search.proof).hostname == "attacker.example"
    anchored = judge(OriginCheck(CheckKind.REGEX, (r"https://shop\.example\.com/",), matcher="match", source="referer"))
    assert anchored.strength == Strength.STRONG
    netloc = judge(OriginCheck(CheckKind.EQUALS, ("shop.example.com",), subject="netloc", source="referer"))
    assert netloc.strength == Strength.STRONG
