"""Replies in the persona's voice: the facts a model may use, and the guard that checks it."""
