"""The safe twin of tornado_vuln.py: an exact origin allowlist."""

import tornado.web
import tornado.websocket

ALLOWED = {"https://app.example.com"}


class Feed(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return origin in ALLOWED

    def on_message(self, message):
        self.write_message(message)


def make_app():
    return tornado.web.Application([(r"/feed", Feed)])
