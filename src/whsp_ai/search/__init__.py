"""Catalog search machinery beyond the SQL in tools/catalog.py: embeddings and per-business vector indexes."""
