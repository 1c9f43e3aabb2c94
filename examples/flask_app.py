"""A small Flask API with hand-written CORS headers: several are dangerous.

Run ``cors-lint examples/`` to see the findings.  Never deploy this file.
"""

import re

from flask import Flask, jsonify, request

app = Flask(__name__)

TRUSTED_ORIGINS = {"https://app.example.com", "https://admin.example.com"}


@app.after_request
def reflect_any_origin(response):
    # Dangerous: echoes whatever Origin the browser sent, with cookies allowed.
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@app.route("/api/profile")
def profile():
    origin = request.headers.get("Origin", "")
    response = jsonify(name="alice")
    # Dangerous: "https://example.com.attacker.net" passes this check.
    if origin.startswith("https://example.com"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/api/search")
def search():
    origin = request.headers.get("Origin", "")
    response = jsonify(results=[])
    # Dangerous: re.match without an end anchor; the dot is not escaped either.
    if re.match(r"https://.*example.com", origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/api/embed")
def embed():
    response = jsonify(ok=True)
    # Dangerous: sandboxed iframes send "Origin: null".
    response.headers["Access-Control-Allow-Origin"] = "null"
    return response


@app.route("/api/session")
def session_info():
    response = jsonify(user="alice")
    # Broken: browsers refuse "*" with credentials (and it invites "fixing" by reflection).
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@app.route("/api/account")
def account():
    origin = request.headers.get("Origin")
    response = jsonify(balance=10)
    # Safe: exact allowlist, Vary set.
    if origin in TRUSTED_ORIGINS:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@app.route("/public/status")
def status():
    response = jsonify(up=True)
    # Safe: public data, no credentials.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
