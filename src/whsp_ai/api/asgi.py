"""Module-level ASGI app for process managers (gunicorn with uvicorn workers in Docker)."""

from whsp_ai.api.app import create_app
from whsp_ai.log_config import configure_logging
from whsp_ai.settings import get_settings

_settings = get_settings()
configure_logging(_settings.log_level, _settings.log_format)
app = create_app(_settings)
