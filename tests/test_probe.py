"""``cors-lint probe`` against real servers on 127.0.0.1.

Every app under ``tests/probe_apps/`` (and the ones in ``examples/``) runs
under a real server in a subprocess (werkzeug's WSGI server for Flask and
Django, uvicorn for Starlette/FastAPI/python-socketio, Tornado's own) on a
port the OS picks; all are started once, in parallel, for the whole module,
several apps of one kind sharing a process.  Each vulnerable app has a
safe twin with the same routes: every proof-carrying finding must be
confirmed on the first, and the same requests must confirm nothing on the
second.  The servers log every request they receive, which shows the probe
sends nothing but GET/HEAD/OPTIONS, to the one host it was given.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cors_lint.findings import Finding
from cors_lint.probe import command
from cors_lint.probe.client import Client, Failure, Response, UnsafeRequest
from cors_lint.probe.plan import Request, fill_placeholders, plan_for
from cors_lint.probe.verdict import CONFIRMED, NOT_CONFIRMED, UNREACHABLE, judge

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "tests" / "probe_apps"
SERVE = APPS / "serve.py"

# name -> (server kind, app spec, modules it needs)
SERVERS = {
    "flask_vuln": ("wsgi", "flask_vuln:app", ("flask", "flask_cors")),
    "flask_safe": ("wsgi", "flask_safe:app", ("flask", "flask_cors")),
    "starlette_vuln": ("asgi", "starlette_vuln:app", ("fastapi", "uvicorn")),
    "starlette_safe": ("asgi", "starlette_safe:app", ("fastapi", "uvicorn")),
    "starlette_regex": ("asgi", "starlette_regex:app", ("starlette", "uvicorn")),
    "django_vuln": ("django", "django_vuln", ("django", "corsheaders", "werkzeug")),
    "django_safe": ("django", "django_safe", ("django", "corsheaders", "werkzeug")),
    "tornado_vuln": ("tornado", "tornado_vuln:make_app", ("tornado",)),
    "tornado_safe": ("tornado", "tornado_safe:make_app", ("tornado",)),
    "socketio_vuln": ("asgi", "socketio_vuln:app", ("socketio", "uvicorn", "websockets")),
    "socketio_safe": ("asgi", "socketio_safe:app", ("socketio", "uvicorn", "websockets")),
    "example_flask": ("wsgi", "examples.flask_app:app", ("flask",)),
    "example_fastapi": ("asgi", "examples.fastapi_app:app", ("fastapi", "uvicorn")),
    "example_django": ("django", "django_examples", ("django", "corsheaders", "werkzeug")),
}


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


class Server:
    def __init__(self, name: str, port: int, log: Path) -> None:
        self.name, self.port, self.log = name, port, log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[tuple[str, str, str]]:
        if not self.log.exists():
            return []
        return [tuple(line.split(" ", 2)) for line in self.log.read_text().splitlines()]  # type: ignore[misc]


def _processes() -> list[tuple[str, list[str]]]:
    """Apps grouped into server processes: one per kind (imports dominate
    start-up), one per Django settings module (Django's settings are global)."""
    groups: dict[str, list[str]] = {}
    for name, (kind, _spec, needs) in SERVERS.items():
        if all(_importable(m) for m in needs):
            groups.setdefault(name if kind == "django" else kind, []).append(name)
    return [(SERVERS[names[0]][0], names) for names in groups.values()]


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probe-servers")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(APPS), str(ROOT)]), "PYTHONDONTWRITEBYTECODE": "1"}
    procs = []
    started: dict[str, Server] = {}
    try:
        for kind, names in _processes():
            specs = [f"{name}={SERVERS[name][1]}" for name in names]
            procs.append((names, subprocess.Popen(
                [sys.executable, str(SERVE), kind, str(tmp), *specs],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(APPS),
            )))
        for names, proc in procs:
            for _ in names:
                line = proc.stdout.readline().split()  # "NAME PORT", once the socket is bound
                if len(line) != 2 or not line[1].isdigit():
                    proc.kill()
                    raise RuntimeError(f"{names} did not start: {proc.stderr.read()[-2000:]}")
                started[line[0]] = Server(line[0], int(line[1]), tmp / f"{line[0]}.log")
        for server in started.values():
            _wait_until_listening(server)
        yield started
    finally:
        for _names, proc in procs:
            proc.terminate()
        for _names, proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


def _wait_until_listening(server: Server) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{server.name} never accepted connections")


def need(servers: dict, *names: str) -> list[Server]:
    missing = [n for n in names if n not in servers]
    if missing:
        pytest.skip(f"not installed for {', '.join(missing)} ({', '.join(m for n in missing for m in SERVERS[n][2])})")
    return [servers[n] for n in names]


def run_probe(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = command.main([*argv, "--delay", "0", "--timeout", "10"])
    return status, stdout.getvalue(), stderr.getvalue()


def probe_json(*argv: str) -> tuple[int, list[dict]]:
    status, out, err = run_probe(*argv, "--format", "json")
    assert out, err
    return status, json.loads(out)["findings"]


def verdicts(findings: list[dict]) -> dict[tuple[int, str], str]:
    return {(f["line"], f["code"]): f["properties"]["probe"]["verdict"] for f in findings}


PROOF_CODES = {"COR101", "COR102", "COR103", "COR105", "COR106", "COR202", "COR401"}


def lint_json(path: Path) -> list[dict]:
    status, out, err = 0, io.StringIO(), io.StringIO()
    from cors_lint import cli

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(path), "--format", "json", "--isolated"])
    assert status in (0, 1), err.getvalue()
    return json.loads(out.getvalue())["findings"]


def assert_only_safe_requests(server: Server) -> None:
    requests = server.requests()
    assert requests, f"{server.name} received nothing"
    for method, host, _target in requests:
        assert method in ("GET", "HEAD", "OPTIONS"), requests
        assert host == f"127.0.0.1:{server.port}", requests


# ---------------------------------------------------------------------------
# Vulnerable apps: everything confirmed; safe twins: nothing
# ---------------------------------------------------------------------------

# Django settings name no route (the URLconf is another module); these limit
# CORS to the API with CORS_URLS_REGEX, which says where to probe
TWINS = [
    ("flask_vuln", "flask_safe", "flask_vuln.py", "flask_safe.py", 7, ()),
    ("starlette_vuln", "starlette_safe", "starlette_vuln.py", "starlette_safe.py", 2, ()),
    ("django_vuln", "django_safe", "django_vuln.py", "django_safe.py", 3, ()),
]


@pytest.mark.parametrize("vuln, safe, vuln_file, safe_file, expected, extra", TWINS, ids=[t[0] for t in TWINS])
def test_vulnerable_app_confirmed_and_safe_twin_refutes(servers, vuln, safe, vuln_file, safe_file, expected, extra, tmp_path) -> None:
    vuln_server, safe_server = need(servers, vuln, safe)
    status, findings = probe_json(vuln_server.url, str(APPS / vuln_file), "--isolated", *extra)
    # every finding of a proof-carrying code was probed, and confirmed
    proof_findings = [f for f in lint_json(APPS / vuln_file) if f["code"] in PROOF_CODES]
    assert len(proof_findings) == expected
    assert sorted((f["line"], f["code"]) for f in findings) == sorted((f["line"], f["code"]) for f in proof_findings)
    assert set(verdicts(findings).values()) == {CONFIRMED}, json.dumps(findings, indent=1)
    assert status == 1

    # the safe twin: nothing to probe when linted...
    status, out, err = run_probe(safe_server.url, str(APPS / safe_file), "--isolated")
    assert (status, out) == (0, ""), err
    assert not [f for f in lint_json(APPS / safe_file) if f["code"] in PROOF_CODES]
    # ...and the vulnerable app's own requests, replayed against it, show nothing
    report = tmp_path / "vuln.json"
    report.write_text(json.dumps({"findings": lint_json(APPS / vuln_file)}))
    status, replayed = probe_json(safe_server.url, "--findings", str(report), *extra)
    assert status == 0
    assert set(verdicts(replayed).values()) == {NOT_CONFIRMED}, json.dumps(replayed, indent=1)

    assert_only_safe_requests(vuln_server)
    assert_only_safe_requests(safe_server)


# WebSocket handshakes (COR401): a raw HTTP/1.1 Upgrade request, judged by
# whether the server switches protocols for the attacker's origin
WS_TWINS = [
    ("tornado_vuln", "tornado_safe", "tornado_vuln.py", ()),
    # python-socketio's handshake path is the library's, not the code's
    ("socketio_vuln", "socketio_safe", "socketio_vuln.py", ("--select", "COR401", "--path", "/socket.io/?EIO=4&transport=websocket")),
]


@pytest.mark.parametrize("vuln, safe, vuln_file, extra", WS_TWINS, ids=[t[0] for t in WS_TWINS])
def test_websocket_handshakes(servers, vuln, safe, vuln_file, extra, tmp_path) -> None:
    vuln_server, safe_server = need(servers, vuln, safe)
    status, findings = probe_json(vuln_server.url, str(APPS / vuln_file), "--isolated", *extra)
    assert [f["code"] for f in findings] == ["COR401"]
    probe = findings[0]["properties"]["probe"]
    assert probe["verdict"] == CONFIRMED, probe
    assert probe["request"]["headers"]["Upgrade"] == "websocket"
    assert status == 1
    report = tmp_path / "ws.json"
    report.write_text(json.dumps({"findings": findings}))
    status, replayed = probe_json(safe_server.url, "--findings", str(report), *extra[2:])
    assert [f["properties"]["probe"]["verdict"] for f in replayed] == [NOT_CONFIRMED], replayed
    assert status == 0
    assert_only_safe_requests(vuln_server)
    assert_only_safe_requests(safe_server)


def test_routes_are_probed_where_the_finding_is(servers) -> None:
    (server,) = need(servers, "flask_vuln")
    status, out, err = run_probe(server.url, str(APPS / "flask_vuln.py"), "--isolated")
    assert status == 1, err
    lines = out.splitlines()
    # the blueprint's prefix and the route placeholder are filled in
    assert any("COR202 confirmed: GET /lib/data (Origin: https://attacker.example)" in line for line in lines), out  # the blueprint's route
    assert any("COR202 confirmed: GET /res/data (Origin: https://attacker.example)" in line for line in lines), out  # inside `resources`
    assert any("COR102 confirmed: GET /prefix/1 (Origin: https://app.example.com.attacker.example)" in line for line in lines), out
    assert any("COR103 confirmed: GET /null (Origin: null)" in line for line in lines), out
    assert "Probed 7 findings with 7 requests: 7 confirmed; 1 finding without a proof origin not probed." in err
    targets = {target for _m, _h, target in server.requests()}
    assert {"/res/data", "/lib/data", "/reflect", "/prefix/1", "/regex", "/null", "/plain"} <= targets


def test_private_network_is_a_preflight(servers) -> None:
    (server,) = need(servers, "starlette_vuln")
    status, findings = probe_json(server.url, str(APPS / "starlette_vuln.py"), "--isolated")
    pna = next(f for f in findings if f["code"] == "COR106")
    request = pna["properties"]["probe"]["request"]
    assert request["method"] == "OPTIONS"
    assert request["headers"]["Access-Control-Request-Private-Network"] == "true"
    assert request["target"] == "/items/1"
    assert "Access-Control-Allow-Private-Network: true" in pna["properties"]["probe"]["detail"]


def test_starlette_regex_and_plain_http(servers) -> None:
    (server,) = need(servers, "starlette_regex")
    status, findings = probe_json(server.url, str(APPS / "starlette_regex.py"), "--isolated")
    assert {f["code"] for f in findings} == {"COR102", "COR105"}
    assert set(verdicts(findings).values()) == {CONFIRMED}
    assert {f["properties"]["probe"]["request"]["target"] for f in findings} == {"/account"}
    assert status == 1
    assert_only_safe_requests(server)


@pytest.mark.parametrize("name, source", [
    ("example_flask", "flask_app.py"),
    ("example_fastapi", "fastapi_app.py"),
    ("example_django", "django_settings.py"),
])
def test_examples_are_confirmed(servers, name, source) -> None:
    (server,) = need(servers, name)
    extra = ("--path", "/api/account/") if name == "example_django" else ()
    status, findings = probe_json(server.url, str(ROOT / "examples" / source), "--isolated", *extra)
    assert findings and status == 1
    assert set(verdicts(findings).values()) == {CONFIRMED}, json.dumps(findings, indent=1)
    assert_only_safe_requests(server)


def test_app_option_skips_other_applications(servers) -> None:
    """examples/fastapi_app.py configures three apps; the server runs ``app``:
    the finding about ``admin`` must not be "confirmed" by ``app``'s answer."""
    (server,) = need(servers, "example_fastapi")
    status, findings = probe_json(server.url, str(ROOT / "examples" / "fastapi_app.py"), "--isolated", "--app", "app")
    by_line = {f["line"]: f["properties"] for f in findings}
    assert by_line[26]["app"] == "admin" and by_line[26]["probe"]["verdict"] == "skipped"
    assert "request" not in by_line[26]["probe"]
    assert by_line[16]["app"] == "app" and by_line[16]["probe"]["verdict"] == CONFIRMED
    assert by_line[16]["probe"]["request"]["target"] == "/items"  # a route of app's own
    assert status == 1


def test_sarif_carries_the_verdict(servers) -> None:
    (server,) = need(servers, "flask_vuln")
    status, out, err = run_probe(server.url, str(APPS / "flask_vuln.py"), "--isolated", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert status == 1 and len(results) == 7
    for result in results:
        assert result["properties"]["probe"]["verdict"] == CONFIRMED
        assert result["properties"]["proof_origin"]
    try:
        from sarif_kit import validate
    except ImportError:
        return
    assert list(validate.validation_errors(json.loads(out))) == []


def test_unreachable_when_nothing_listens(tmp_path) -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    status, findings = probe_json(f"http://127.0.0.1:{port}", str(APPS / "starlette_vuln.py"), "--isolated")
    assert status == 0
    assert set(verdicts(findings).values()) == {UNREACHABLE}
    assert all("connection refused" in f["properties"]["probe"]["detail"] for f in findings)


def test_dry_run_sends_nothing(servers) -> None:
    (server,) = need(servers, "flask_safe")
    before = len(server.requests())
    status, out, err = run_probe(server.url, str(APPS / "flask_vuln.py"), "--isolated", "--dry-run")
    assert status == 0
    assert len(server.requests()) == before
    curls = [line for line in out.splitlines() if line.startswith("curl ")]
    assert len(curls) == 7
    assert f"curl -si --max-time 10 -H 'Origin: null' {server.url}/null" in curls
    # lint options go to the linter
    status, out, err = run_probe(server.url, "--select", "COR103", str(APPS / "flask_vuln.py"), "--isolated", "--dry-run")
    assert [line for line in out.splitlines() if line.startswith("curl ")] == [f"curl -si --max-time 10 -H 'Origin: null' {server.url}/null"]
    assert len(server.requests()) == before


def test_unserved_base_url_suggests_path(servers) -> None:
    (server,) = need(servers, "django_safe")  # CORS only under /api/account/
    status, findings = probe_json(server.url, str(ROOT / "examples" / "django_settings.py"), "--isolated")
    assert status == 0
    for f in findings:
        assert f["properties"]["probe"]["verdict"] == UNREACHABLE
        assert f["properties"]["probe"]["detail"].startswith("HTTP 404 Not Found: no Access-Control-Allow-Origin")
        assert f["properties"]["probe"]["detail"].endswith("; give a served path with --path")


def test_fallback_path_is_named(servers) -> None:
    (server,) = need(servers, "example_django")
    status, out, err = run_probe(server.url, str(ROOT / "examples" / "django_settings.py"), "--isolated", "--path", "/api/account/")
    assert status == 1
    assert all(" confirmed: GET /api/account/ [--path] (Origin: " in line for line in out.splitlines()), out
    (server,) = need(servers, "django_vuln")
    status, out, err = run_probe(server.url, str(APPS / "django_vuln.py"), "--isolated")
    assert status == 1
    assert all(" confirmed: GET /api/account/ [policy path] (Origin: " in line for line in out.splitlines()), out


# ---------------------------------------------------------------------------
# Safety of the client
# ---------------------------------------------------------------------------


def test_client_refuses_unsafe_methods_and_foreign_targets() -> None:
    client = Client("http://127.0.0.1:9", delay=0)
    for method in ("POST", "PUT", "DELETE", "PATCH", "CONNECT", "TRACE"):
        with pytest.raises(UnsafeRequest):
            client.send(Request(method, "/", (), "cors"))
    for target in ("http://elsewhere.example/", "//elsewhere.example/x", "elsewhere"):
        with pytest.raises(UnsafeRequest):
            client.send(Request("GET", target, (), "cors"))
    assert client.log == []  # refused before any socket was opened


def test_redirects_stay_on_the_host(servers) -> None:
    (server,) = need(servers, "flask_vuln")
    client = Client(server.url, delay=0)
    answer = client.send(Request("GET", "/away", (("Origin", "https://attacker.example"),), "cors"))
    assert isinstance(answer, Failure) and "elsewhere.example" in answer.reason and "not followed" in answer.reason
    followed = client.send(Request("GET", "/home", (("Origin", "https://attacker.example"),), "cors"))
    assert isinstance(followed, Response) and followed.target == "/reflect"
    assert [entry.target for entry in client.log] == ["/away", "/home", "/reflect"]
    assert {(entry.host, entry.port) for entry in client.log} == {("127.0.0.1", server.port)}


def test_request_cap(servers) -> None:
    (server,) = need(servers, "flask_vuln")
    status, findings = probe_json(server.url, str(APPS / "flask_vuln.py"), "--isolated", "--max-requests", "2")
    results = [f["properties"]["probe"] for f in findings]
    assert sum(r["verdict"] == CONFIRMED for r in results) == 2
    assert all("request cap reached" in r["detail"] for r in results if r["verdict"] != CONFIRMED)


# ---------------------------------------------------------------------------
# Planning and judging, without a network
# ---------------------------------------------------------------------------


def finding(code: str = "COR101", **properties) -> Finding:
    return Finding("app.py", 3, 4, code, "message", properties=properties)


def test_placeholders_become_values() -> None:
    assert fill_placeholders("/items/{item_id}") == "/items/1"
    assert fill_placeholders("/u/<int:uid>/posts/<slug>") == "/u/1/posts/1"
    assert fill_placeholders("/a/:id/b") == "/a/1/b"
    assert fill_placeholders("/plain/path") == "/plain/path"


def test_plan_uses_route_then_path_then_base() -> None:
    routed = finding(proof_origin="https://attacker.example", route={"path": "/x/{id}", "methods": ["GET"]})
    assert plan_for(routed, "http://h:1/prefix", "/fallback").request.target == "/prefix/x/1"
    assert plan_for(routed, "http://h:1").route_source == "policy path"  # no handler: a path a policy covers
    declared = finding(proof_origin="https://attacker.example", route={"path": "/x", "methods": [], "handler": "view"})
    assert plan_for(declared, "http://h:1").route_source == "route"
    bare = finding(proof_origin="https://attacker.example")
    assert plan_for(bare, "http://h:1", "/fallback").request.target == "/fallback"
    assert plan_for(bare, "http://h:1").request.target == "/"
    assert plan_for(finding(), "http://h:1").request is None  # no proof origin: nothing to send
    assert plan_for(finding(proof_origin="not an origin"), "http://h:1").request is None


def test_plan_headers() -> None:
    creds = plan_for(finding(proof_origin="https://a.example", credentialed=True), "http://h").request
    assert creds.method == "GET" and creds.header("Origin") == "https://a.example" and creds.header("Cookie")
    plain = plan_for(finding(proof_origin="https://a.example"), "http://h").request
    assert plain.header("Cookie") is None
    referer = plan_for(finding(proof_origin="https://a.example", origin_header="referer"), "http://h").request
    assert referer.header("Referer") == "https://a.example/"
    pna = plan_for(finding("COR106", proof_origin="https://a.example", preflight_only=True, private_network=True), "http://h").request
    assert (pna.method, pna.header("Access-Control-Request-Method"), pna.header("Access-Control-Request-Private-Network")) == ("OPTIONS", "GET", "true")
    ws = plan_for(finding("COR401", proof_origin="https://a.example", websocket=True), "http://h").request
    assert ws.kind == "websocket" and ws.header("Upgrade") == "websocket" and ws.header("Sec-WebSocket-Version") == "13"


def respond(status: int = 200, **headers: str) -> Response:
    return Response(status, "", tuple((k.replace("_", "-"), v) for k, v in headers.items()), "/")


ACAO, ACAC = "Access_Control_Allow_Origin", "Access_Control_Allow_Credentials"


@pytest.mark.parametrize("props, response, expected", [
    ({"credentialed": True}, respond(**{ACAO: "https://a.example", ACAC: "true"}), CONFIRMED),
    ({"credentialed": True}, respond(**{ACAO: "https://a.example"}), NOT_CONFIRMED),  # no credentials
    ({"credentialed": True}, respond(**{ACAO: "*", ACAC: "true"}), NOT_CONFIRMED),  # browsers refuse
    ({"credentialed": False}, respond(**{ACAO: "*"}), CONFIRMED),  # any site reads it
    ({}, respond(**{ACAO: "https://app.example.com"}), NOT_CONFIRMED),
    ({}, respond(), NOT_CONFIRMED),
    ({}, respond(404), UNREACHABLE),
    ({}, respond(503), UNREACHABLE),
    ({}, respond(404, **{ACAO: "https://a.example"}), CONFIRMED),  # the headers show it anyway
    ({"credentialed": True}, respond(**{ACAO: "https://a.example", ACAC: "True"}), NOT_CONFIRMED),  # "true" exactly
])
def test_judging(props, response, expected) -> None:
    plan = plan_for(finding(proof_origin="https://a.example", **props), "http://h")
    assert judge(plan, response).status == expected


def test_two_allow_origin_headers_are_not_a_confirmation() -> None:
    plan = plan_for(finding(proof_origin="https://a.example"), "http://h")
    response = Response(200, "OK", (("Access-Control-Allow-Origin", "https://a.example"), ("Access-Control-Allow-Origin", "https://b.example")), "/")
    assert judge(plan, response).status == NOT_CONFIRMED


def test_websocket_judging() -> None:
    plan = plan_for(finding("COR401", proof_origin="https://a.example", websocket=True), "http://h")
    assert judge(plan, respond(101)).status == CONFIRMED
    assert judge(plan, respond(403)).status == NOT_CONFIRMED
    assert judge(plan, respond(404)).status == UNREACHABLE


@pytest.mark.parametrize("argv, message", [
    (["ftp://h"], "base URL must be http"),
    (["http://user:pw@h"], "must not carry credentials"),
    (["http://h", "--path", "x"], "--path must start with '/'"),
    (["http://h", "--max-requests", "0"], "--max-requests at least 1"),
    (["http://h", "--findings", "/nonexistent/report.json"], "cannot read"),
])
def test_usage_errors(argv, message) -> None:
    status, out, err = run_probe(*argv)
    assert status == 2 and message in err and "Traceback" not in err


def test_findings_file_that_is_not_a_report(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"findings": [{"path": "a.py"}]}')
    status, out, err = run_probe("http://127.0.0.1:9", "--findings", str(bad))
    assert status == 2 and "not a cors-lint JSON report" in err
    bad.write_text("not json")
    status, out, err = run_probe("http://127.0.0.1:9", "--findings", str(bad))
    assert status == 2 and "is not JSON" in err


def test_cli_dispatches_the_subcommand() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cors_lint", "probe", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0 and "server YOU OWN" in " ".join(proc.stdout.split())
