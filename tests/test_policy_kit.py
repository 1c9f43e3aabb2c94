"""The policy kit, the internal API library extractors are written with."""

from __future__ import annotations

import re
import types
from pathlib import Path

import libcst as cst

from cors_lint.facts import policy_kit as kit
from cors_lint.facts.context import ModuleContext
from cors_lint.facts.model import FileFacts, Setting, Value
from cors_lint.findings import Span
from cors_lint.rules.base import all_rules

ROOT = Path(__file__).resolve().parent.parent
SPAN = Span(1, 0, 1, 1)


def context(source: str) -> ModuleContext:
    return ModuleContext(cst.parse_module(source), "x.py", None)


def first_call(ctx: ModuleContext, name: str):
    return next(site for site in ctx.index.calls if ctx.dotted(site.node.func) == name)


def test_read_options_reads_calls_dicts_and_spreads() -> None:
    ctx = context('BASE = {"origins": ["https://a.example.com"]}\nCORS(app, credentials=True, **BASE)\nCORS(app, **unknown)\nD = dict(x=1)\n')
    calls = [site for site in ctx.index.calls if ctx.dotted(site.node.func) == "CORS"]
    options = kit.read_options(ctx, calls[0].node, calls[0])
    assert set(options.values) == {"credentials", "origins"} and not options.opaque
    assert options.get("origins").items[0].const == "https://a.example.com"
    assert kit.read_options(ctx, calls[1].node, calls[1]).opaque
    literal = kit.dict_literal(ctx, cst.parse_expression("BASE"), None)
    assert set(kit.read_options(ctx, literal, None).values) == {"origins"}


def test_assigned_call_follows_names() -> None:
    ctx = context("stack = AuthMiddlewareStack(router)\napp = stack\nProtocolTypeRouter({'websocket': app})\n")
    site = first_call(ctx, "ProtocolTypeRouter")
    found = kit.assigned_call(ctx, cst.parse_expression("app"), site)
    assert isinstance(found, cst.Call) and ctx.dotted(found.func) == "AuthMiddlewareStack"
    assert kit.assigned_call(ctx, cst.parse_expression("app"), site, "channels.auth.AuthMiddlewareStack") is None
    assert kit.assigned_call(ctx, cst.parse_expression("nothing"), site) is None


def test_lets_every_origin_in_follows_the_mode() -> None:
    assert kit.lets_every_origin_in(".*", "prefix-regex")
    assert kit.lets_every_origin_in("https?://.*", "fullmatch-regex")
    assert not kit.lets_every_origin_in(r"https://app\.example\.com", "prefix-regex")
    assert kit.lets_every_origin_in("*", "glob-crossing-dots")
    assert not kit.lets_every_origin_in("https://*.example.com", "glob-crossing-dots")
    assert not kit.lets_every_origin_in("*", "exact")


def test_origins_builder() -> None:
    origins = Setting("origins", Value("seq"), SPAN)
    regex = Setting("regex", Value("const", ".*"), SPAN)
    found = kit.OriginsBuilder()
    found.add(kit.Element(Value("const", "https://a.example.com"), SPAN), "exact")
    assert found.policy_fields()["any_origin"] is False
    items = [kit.Element(Value("const", ".*"), SPAN), kit.Element(Value("const", "^https://b"), SPAN), kit.Element(Value("unknown"), SPAN)]
    found.add_patterns(items, "prefix-regex", regex, reason="the regex {text!r} matches every origin", partial=True)
    found.accept_any(origins, "origins contains '*'")
    fields = found.policy_fields()
    assert found.any_from is regex and found.partial  # the first source wins
    assert fields["any_origin"] and not fields["origins_unknown"]
    assert fields["any_reason"] == "the regex '.*' matches every origin; origins contains '*'"
    assert [(e.value, e.match) for e in fields["entries"]] == [("https://a.example.com", "exact"), ("^https://b", "prefix-regex")]
    unknown = kit.OriginsBuilder()
    unknown.add_patterns([kit.Element(Value("unknown"), SPAN)], "prefix-regex", regex, reason="")
    assert unknown.policy_fields()["origins_unknown"]


def test_option_setting() -> None:
    ctx = context("CORS(app, credentials=True)\n")
    site = first_call(ctx, "CORS")
    options = kit.read_options(ctx, site.node, site)
    written, value = kit.option_setting(ctx, options, "credentials", False, SPAN)
    assert written.explicit and value.const is True
    default, none = kit.option_setting(ctx, options, "origins", ["*"], SPAN)
    assert not default.explicit and none is None and default.value.items[0].const == "*"


def test_the_documented_extractor_works() -> None:
    """The extractor in docs/libraries/README.md ("Adding a library") runs
    and its policy reaches the rules."""
    text = (ROOT / "docs" / "libraries" / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Adding a library") :]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    module = types.ModuleType("cors_lint.facts.libraries.examplecors")
    module.__package__ = "cors_lint.facts.libraries"
    exec(compile(code, "examplecors.py", "exec"), module.__dict__)
    ctx = context('from examplecors import CORS\nCORS(app, origins=["*"], credentials=True)\nCORS(app, origins=["https://a.example.com"])\n')
    facts = FileFacts("x.py")
    module.extract(ctx, facts)
    codes = sorted((f.code, f.line) for rule in all_rules() for f in rule().check(facts))
    assert codes == [("COR202", 2)]
