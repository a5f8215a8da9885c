"""WHSP-AI: a multi-tenant WhatsApp sales agent for small businesses."""

__version__ = "0.1.0"
