"""Run probe test apps on 127.0.0.1, each on a port the OS picks.

``python serve.py KIND LOGDIR NAME=SPEC [NAME=SPEC ...]`` where KIND is

* ``wsgi`` (SPEC ``module:attr``, werkzeug's WSGI server),
* ``asgi`` (SPEC ``module:attr``, uvicorn),
* ``tornado`` (SPEC ``module:make_app``, Tornado's own server),
* ``django`` (SPEC a settings module; Django's WSGI application under
  werkzeug; one per process, since Django's settings are process-wide).

Several apps of one kind share a process (imports dominate start-up time).
One line per app goes to stdout, ``NAME PORT``, once its socket is bound.
Every request is appended to ``LOGDIR/NAME.log`` as ``METHOD HOST TARGET``
before the app sees it, so a test can show what the probe sent.
"""

from __future__ import annotations

import importlib
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [HERE, ROOT]


def logged_wsgi(app, log_path):
    def wrapper(environ, start_response):
        target = environ.get("PATH_INFO", "") + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
        with open(log_path, "a") as fh:
            fh.write(f"{environ['REQUEST_METHOD']} {environ.get('HTTP_HOST', '')} {target}\n")
        return app(environ, start_response)

    return wrapper


def logged_asgi(app, log_path):
    async def wrapper(scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            method = scope.get("method", "GET")
            with open(log_path, "a") as fh:
                fh.write(f"{method} {headers.get(b'host', b'').decode()} {scope['path']}\n")
        await app(scope, receive, send)

    return wrapper


def serve_tornado(apps) -> None:
    import asyncio

    from tornado import httputil
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    def logged(app, log_path):
        class Logged(httputil.HTTPServerConnectionDelegate):
            def start_request(self, server_conn, request_conn):
                inner = app.start_request(server_conn, request_conn)

                class Delegate(httputil.HTTPMessageDelegate):
                    def headers_received(self, start_line, headers):
                        with open(log_path, "a") as fh:
                            fh.write(f"{start_line.method} {headers.get('Host', '')} {start_line.path}\n")
                        return inner.headers_received(start_line, headers)

                    def data_received(self, chunk):
                        return inner.data_received(chunk)

                    def finish(self):
                        return inner.finish()

                    def on_connection_close(self):
                        return inner.on_connection_close()

                return Delegate()

            def on_close(self, server_conn):
                app.on_close(server_conn)

        return Logged()

    async def run():
        for name, make_app, log in apps:
            sockets = bind_sockets(0, "127.0.0.1")
            HTTPServer(logged(make_app(), log)).add_sockets(sockets)
            announce(name, sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(run())


def load(spec: str):
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def announce(name: str, port: int) -> None:
    print(f"{name} {port}", flush=True)


def main() -> None:
    kind, log_dir = sys.argv[1:3]
    apps = [arg.split("=", 1) for arg in sys.argv[3:]]
    logs = {name: os.path.join(log_dir, f"{name}.log") for name, _ in apps}
    if kind == "tornado":
        serve_tornado([(name, load(spec), logs[name]) for name, spec in apps])
    elif kind == "asgi":
        serve_asgi([(name, load(spec), logs[name]) for name, spec in apps])
    elif kind == "django":
        ((name, spec),) = apps
        os.environ["DJANGO_SETTINGS_MODULE"] = spec
        from django.core.wsgi import get_wsgi_application

        serve_wsgi([(name, get_wsgi_application(), logs[name])])
    else:
        serve_wsgi([(name, load(spec), logs[name]) for name, spec in apps])


def serve_wsgi(apps) -> None:
    import threading

    from werkzeug.serving import make_server

    servers = []
    for name, app, log in apps:
        server = make_server("127.0.0.1", 0, logged_wsgi(app, log), threaded=True)
        announce(name, server.server_port)
        servers.append(server)
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


def serve_asgi(apps) -> None:
    """One uvicorn server per app, each in its own thread (and event loop);
    uvicorn installs no signal handlers off the main thread, so SIGTERM
    ends the whole process at once."""
    import threading

    import uvicorn

    threads = []
    for name, app, log in apps:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(logged_asgi(app, log), log_level="error", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        announce(name, sock.getsockname()[1])
        threads.append(thread)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
