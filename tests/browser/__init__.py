"""Browser tests: the dashboard in real headless Chromium against the running service."""
