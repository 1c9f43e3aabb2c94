"""Starlette app (no FastAPI): an origin regex with an unescaped dot, and a
plain-HTTP origin trusted with credentials."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def account(request):
    return JSONResponse({"balance": 10})


app = Starlette(
    routes=[Route("/account", account)],
    middleware=[
        Middleware(
            CORSMiddleware,
            allow_origins=["http://intranet.example.com"],
            allow_origin_regex=r"https://[a-z]+.example.com",
            allow_credentials=True,
        )
    ],
)
