"""Runtime configuration: every variable of CONTRACT §2, read once from the environment."""

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    # Database. Unset DATABASE_URL means: run the embedded Postgres in WHSP_DATA_DIR.
    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    whsp_data_dir: Path = Field(
        default_factory=lambda data: _default_data_dir(data), alias="WHSP_DATA_DIR"
    )
    db_pool_min_size: int = Field(default=2, alias="WHSP_DB_POOL_MIN", ge=1)
    db_pool_max_size: int = Field(default=10, alias="WHSP_DB_POOL_MAX", ge=1)
    # Below the usual cloud/NAT idle cut-offs (AWS NLB 350 s, GCP 600 s), so the pool
    # never hands out a socket the network already dropped.
    db_max_idle_s: float = Field(default=300.0, alias="WHSP_DB_MAX_IDLE", gt=0)
    db_max_lifetime_s: float = Field(default=1800.0, alias="WHSP_DB_MAX_LIFETIME", gt=0)

    # WhatsApp Cloud API.
    whatsapp_graph_url: str = Field(
        default="https://graph.facebook.com", alias="WHATSAPP_GRAPH_URL"
    )
    whatsapp_api_version: str = Field(default="v23.0", alias="WHATSAPP_API_VERSION")
    whatsapp_app_secret: str | None = Field(default=None, alias="WHATSAPP_APP_SECRET")
    whatsapp_verify_token: str | None = Field(default=None, alias="WHATSAPP_VERIFY_TOKEN")
    whatsapp_access_token: str | None = Field(default=None, alias="WHATSAPP_ACCESS_TOKEN")

    # Proactive messages outside the 24-hour window need an approved template.
    reengage_template: str | None = Field(default=None, alias="WHSP_REENGAGE_TEMPLATE")
    reengage_template_language: str = Field(default="es_MX", alias="WHSP_REENGAGE_TEMPLATE_LANG")

    # Workers: a worker silent this long is dead and its job is retried elsewhere.
    stalled_after_s: float = Field(default=30.0, alias="WHSP_STALLED_AFTER_S", gt=0)
    # A message left "sending" by a dead process this long is sent again (at least once).
    sending_stuck_after_s: float = Field(default=120.0, alias="WHSP_SENDING_STUCK_AFTER_S", gt=0)

    # Language understanding.
    llm_provider: Literal["offline", "vertex"] | None = Field(default=None, alias="LLM_PROVIDER")
    google_cloud_project: str | None = Field(default=None, alias="GOOGLE_CLOUD_PROJECT")
    google_cloud_location: str = Field(default="us-central1", alias="GOOGLE_CLOUD_LOCATION")
    gemini_model: str = Field(default="gemini-2.5-flash", alias="GEMINI_MODEL")
    google_application_credentials: Path | None = Field(
        default=None, alias="GOOGLE_APPLICATION_CREDENTIALS"
    )
    # Product embeddings for search by meaning: vertex when a project is set, else off.
    embeddings_provider: Literal["off", "vertex"] | None = Field(
        default=None, alias="WHSP_EMBEDDINGS"
    )
    embedding_model: str = Field(default="text-embedding-005", alias="WHSP_EMBEDDING_MODEL")

    # The owners' dashboard (docs/dashboard.md): signs its session cookies and CSRF tokens.
    # Unset: a random secret generated once into WHSP_DATA_DIR/dashboard-secret.
    dashboard_secret: str | None = Field(default=None, alias="WHSP_DASHBOARD_SECRET", min_length=16)
    dashboard_session_hours: float = Field(default=12.0, alias="WHSP_DASHBOARD_SESSION_HOURS", gt=0)

    # Operations.
    log_level: str = Field(default="INFO", alias="WHSP_LOG_LEVEL")
    log_format: Literal["auto", "json", "console"] = Field(default="auto", alias="WHSP_LOG_FORMAT")

    @model_validator(mode="after")
    def _resolve_provider(self) -> "Settings":
        if self.llm_provider is None:
            self.llm_provider = "vertex" if self.google_cloud_project else "offline"
        if self.llm_provider == "vertex" and not self.google_cloud_project:
            raise ValueError("LLM_PROVIDER=vertex needs GOOGLE_CLOUD_PROJECT to be set")
        if self.embeddings_provider is None:
            self.embeddings_provider = "vertex" if self.google_cloud_project else "off"
        if self.embeddings_provider == "vertex" and not self.google_cloud_project:
            raise ValueError("WHSP_EMBEDDINGS=vertex needs GOOGLE_CLOUD_PROJECT to be set")
        if self.db_pool_min_size > self.db_pool_max_size:
            raise ValueError("WHSP_DB_POOL_MIN must not exceed WHSP_DB_POOL_MAX")
        self.whatsapp_graph_url = self.whatsapp_graph_url.rstrip("/")
        return self

    @property
    def provider(self) -> Literal["offline", "vertex"]:
        """The resolved provider: never None after validation."""
        return self.llm_provider or "offline"

    @property
    def uses_embedded_db(self) -> bool:
        return not self.database_url

    def database_label(self) -> str:
        """Which database this process uses, in words for people: never the password."""
        if not self.database_url:
            return f"embedded Postgres at {self.whsp_data_dir.expanduser().resolve()}"
        from psycopg.conninfo import conninfo_to_dict

        try:
            parts = conninfo_to_dict(self.database_url)
        except Exception:  # a malformed URL fails later, with libpq's own message
            return "the Postgres of DATABASE_URL"
        where = parts.get("host") or "localhost"
        if parts.get("port"):
            where = f"{where}:{parts['port']}"
        user = f"{parts['user']}@" if parts.get("user") else ""
        return f"Postgres database {parts.get('dbname') or '(default)'} on {user}{where}"


DATA_DIR_NAME = ".whsp-data"
PROJECT_NAME = "whsp-ai"


def find_data_dir(start: Path | None = None) -> Path:
    """The embedded Postgres's home when WHSP_DATA_DIR is unset (CONTRACT §2).

    `.whsp-data` in the working directory, as the contract says, unless the working
    directory lies inside a project that already has one: then the nearest existing
    `.whsp-data` above it, or the WHSP-AI checkout's own. Without this, a command run from
    a sub-folder (`whsp-ai business import` next to the business file) silently started a
    second, empty database there, which the running service never saw.
    """
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / DATA_DIR_NAME).is_dir() or _is_project_root(folder):
            return Path(DATA_DIR_NAME) if folder == here else folder / DATA_DIR_NAME
    return Path(DATA_DIR_NAME)


def _default_data_dir(fields: dict[str, Any]) -> Path:
    # With an external database the search is pointless, and it would touch the file system
    # from inside event loops that forbid blocking calls (`langgraph dev`'s blockbuster).
    if fields.get("database_url"):
        return Path(DATA_DIR_NAME)
    return find_data_dir()


def _is_project_root(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    try:
        with pyproject.open("rb") as f:
            return bool(tomllib.load(f).get("project", {}).get("name") == PROJECT_NAME)
    except (OSError, tomllib.TOMLDecodeError):
        return False


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
