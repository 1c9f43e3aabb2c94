"""The safe twin of flask_vuln.py: the same routes, exact allowlists."""

import re

from flask import Blueprint, Flask, jsonify, redirect, request
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={r"/res/*": {"origins": ["https://app.example.com"]}}, supports_credentials=True)
lib = Blueprint("lib", __name__, url_prefix="/lib")
CORS(lib, origins=["https://app.example.com"], supports_credentials=True)


@lib.route("/data")
def lib_data():
    return jsonify(secret=1)


@app.route("/reflect")
def reflect():
    response = jsonify(secret=1)
    if request.headers.get("Origin") == "https://app.example.com":
        response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"
        response.headers["Access-Control-Allow-Credentials"] = "true"
    response.headers["Vary"] = "Origin"
    return response


@app.route("/prefix/<int:item>")
def prefix(item):
    origin = request.headers.get("Origin", "")
    response = jsonify(item=item)
    if origin == "https://app.example.com":
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/regex")
def regex():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if re.fullmatch(r"https://\w+\.example\.com", origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@app.route("/null")
def null():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if origin in ("https://app.example.com", "https://admin.example.com"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/plain")
def plain():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if origin in ("https://app.example.com", "https://admin.example.com"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@app.route("/res/data")
def res_data():
    return jsonify(secret=1)


@app.route("/away")
def away():
    return redirect("http://elsewhere.example/landing")


@app.route("/home")
def home():
    return redirect("/reflect")


app.register_blueprint(lib)
