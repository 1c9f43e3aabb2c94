"""One module per CORS library; each defines ``extract(ctx, facts)``."""
