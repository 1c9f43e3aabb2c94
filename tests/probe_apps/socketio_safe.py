"""The safe twin of socketio_vuln.py: one allowed origin."""

import socketio

sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=["https://app.example.com"])
app = socketio.ASGIApp(sio)
