"""Catalog search beyond the SQL of tools/catalog.py: product embeddings by meaning."""
