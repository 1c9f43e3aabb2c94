"""Tornado WebSocket handler that accepts handshakes from every origin."""

import tornado.web
import tornado.websocket


class Feed(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    def on_message(self, message):
        self.write_message(message)


def make_app():
    return tornado.web.Application([(r"/feed", Feed)])
