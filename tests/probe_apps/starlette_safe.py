"""The safe twin of starlette_vuln.py: one exact origin."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com"],
    allow_credentials=True,
    allow_private_network=True,
)


@app.get("/items/{item_id}")
async def item(item_id: int):
    return {"item": item_id}
