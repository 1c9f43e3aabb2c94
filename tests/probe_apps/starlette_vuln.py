"""FastAPI app: CORSMiddleware reflecting every origin with credentials and
answering private-network preflights for everyone."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_private_network=True,
)


@app.get("/items/{item_id}")
async def item(item_id: int):
    return {"item": item_id}
