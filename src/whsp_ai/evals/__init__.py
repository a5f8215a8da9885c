"""Instruments: labeled search evaluation (and, later, conversation evals)."""
