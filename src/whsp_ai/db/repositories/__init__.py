"""Repository functions: keyword-only, and every tenant-owned query takes `business_id`.

Only `businesses` resolves a tenant (by slug, phone number id or API key) without one.
"""
