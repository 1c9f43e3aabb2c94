"""Flask app whose CORS is dangerous in every way cors-lint can prove.

flask-cors' default origins with credentials on the /lib/ blueprint (it
reflects every origin), and hand-written headers on the other routes.
"""

import re

from flask import Blueprint, Flask, jsonify, redirect, request
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={r"/res/*": {"origins": "*"}}, supports_credentials=True)
lib = Blueprint("lib", __name__, url_prefix="/lib")
CORS(lib, supports_credentials=True)


@lib.route("/data")
def lib_data():
    return jsonify(secret=1)


@app.route("/reflect")
def reflect():
    response = jsonify(secret=1)
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")
    response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@app.route("/prefix/<int:item>")
def prefix(item):
    origin = request.headers.get("Origin", "")
    response = jsonify(item=item)
    if origin.startswith("https://app.example.com"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/regex")
def regex():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if re.match(r"https://\w+\.example\.com", origin):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@app.route("/null")
def null():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if origin in ("https://app.example.com", "null"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


@app.route("/plain")
def plain():
    origin = request.headers.get("Origin", "")
    response = jsonify(secret=1)
    if origin in ("https://app.example.com", "http://app.example.com"):
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
