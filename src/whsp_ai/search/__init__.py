"""Catalog search beyond the SQL of tools/catalog.py: embeddings, per-business vector indexes."""
