"""Message shapes: what the agent replies, and the Cloud API bodies it becomes. A pure leaf."""
