"""Run one probe test app on 127.0.0.1, on a port the OS picks.

``python serve.py wsgi MODULE:ATTR LOG`` (werkzeug's WSGI server),
``python serve.py asgi MODULE:ATTR LOG`` (uvicorn), or
``python serve.py django SETTINGS_MODULE LOG`` (Django's WSGI application
under werkzeug), or ``python serve.py tornado MODULE:make_app LOG``.  The first line on stdout is the port.  Every request is
appended to LOG as ``METHOD HOST TARGET`` before the app sees it, so a test
can show what the probe sent.
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


def serve_tornado(make_app, log_path):
    import asyncio

    from tornado import httputil
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets

    app = make_app()

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

    async def run():
        sockets = bind_sockets(0, "127.0.0.1")
        HTTPServer(Logged()).add_sockets(sockets)
        print(sockets[0].getsockname()[1], flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


def load(spec: str):
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def main() -> None:
    kind, spec, log_path = sys.argv[1:4]
    if kind == "tornado":
        serve_tornado(load(spec), log_path)
        return
    if kind == "asgi":
        import uvicorn

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1], flush=True)
        config = uvicorn.Config(logged_asgi(load(spec), log_path), log_level="error", lifespan="off")
        uvicorn.Server(config).run(sockets=[sock])
        return
    from werkzeug.serving import make_server

    if kind == "django":
        os.environ["DJANGO_SETTINGS_MODULE"] = spec
        from django.core.wsgi import get_wsgi_application

        app = get_wsgi_application()
    else:
        app = load(spec)
    server = make_server("127.0.0.1", 0, logged_wsgi(app, log_path), threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
