"""HTTP surface: FastAPI app factory, dependencies and routes."""
