"""Fault injection for crash tests: WHSP_FAULT=<point> makes the process die at that point.

Only the kill-and-restart tests set it. A real crash (os._exit) skips every cleanup, as a
SIGKILL or a power cut would.
"""

import os

# The points: turn_before_commit, turn_after_commit (graph/engine.py: the turn's one commit
# of effects, replies, processed mark and checkpoint), before_send, after_send
# (whatsapp/sender.py).


def crash_point(name: str) -> None:
    if os.environ.get("WHSP_FAULT") == name:
        os._exit(137)
