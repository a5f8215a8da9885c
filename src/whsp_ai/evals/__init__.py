"""Instruments: the labeled search eval, and conversation evals graded on the database."""
