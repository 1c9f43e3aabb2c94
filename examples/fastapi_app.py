"""A FastAPI service whose CORS middleware trusts every origin with cookies.

Starlette answers ``allow_origins=["*"]`` plus ``allow_credentials=True`` by
reflecting the caller's Origin, so any website can call the API as the user.
"""

import os

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()

app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],  # dangerous together with allow_credentials=True
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

admin = FastAPI()
admin.add_middleware(
    CORSMiddleware,
    # Dangerous: a missing environment variable means "every origin".
    allow_origins=os.getenv("ADMIN_ORIGINS", "*").split(","),
    allow_credentials=True,
)

internal = FastAPI()
internal.add_middleware(
    CORSMiddleware,
    allow_origins=["https://dashboard.example.com"],  # safe: one exact origin
    allow_credentials=True,
)


@app.get("/items")
async def items(request: Request, response: Response):
    # Dangerous: the origin is reflected by hand as well.
    response.headers["Access-Control-Allow-Origin"] = request.headers.get("origin") or "*"
    return []
