"""Settings follow CONTRACT §2: names, defaults, and the provider rule."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from whsp_ai.settings import Settings

CONTRACT_VARS = [
    "DATABASE_URL",
    "WHSP_DATA_DIR",
    "WHATSAPP_GRAPH_URL",
    "WHATSAPP_API_VERSION",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "WHATSAPP_ACCESS_TOKEN",
    "LLM_PROVIDER",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GEMINI_MODEL",
    "GOOGLE_APPLICATION_CREDENTIALS",
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in CONTRACT_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env file


@pytest.mark.usefixtures("clean_env")
def test_defaults_need_no_credentials() -> None:
    s = Settings()
    assert s.database_url is None and s.uses_embedded_db
    assert s.whsp_data_dir == Path(".whsp-data")
    assert s.whatsapp_graph_url == "https://graph.facebook.com"
    assert s.whatsapp_api_version.startswith("v")
    assert s.whatsapp_app_secret is None and s.whatsapp_verify_token is None
    assert s.provider == "offline"
    assert s.google_cloud_location == "us-central1"
    assert "flash" in s.gemini_model


@pytest.mark.usefixtures("clean_env")
def test_every_contract_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {
        "DATABASE_URL": "postgresql://u:p@db:5432/whsp",
        "WHSP_DATA_DIR": "/var/lib/whsp",
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9999/",
        "WHATSAPP_API_VERSION": "v99.0",
        "WHATSAPP_APP_SECRET": "s3cret",
        "WHATSAPP_VERIFY_TOKEN": "verify-me",
        "WHATSAPP_ACCESS_TOKEN": "EAAG123",
        "LLM_PROVIDER": "offline",
        "GOOGLE_CLOUD_PROJECT": "acme",
        "GOOGLE_CLOUD_LOCATION": "europe-west4",
        "GEMINI_MODEL": "gemini-x-flash",
        "GOOGLE_APPLICATION_CREDENTIALS": "/secrets/sa.json",
    }
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    s = Settings()
    assert s.database_url == values["DATABASE_URL"] and not s.uses_embedded_db
    assert s.whsp_data_dir == Path("/var/lib/whsp")
    assert s.whatsapp_graph_url == "http://127.0.0.1:9999"  # trailing slash trimmed
    assert s.whatsapp_api_version == "v99.0"
    assert (s.whatsapp_app_secret, s.whatsapp_verify_token, s.whatsapp_access_token) == (
        "s3cret",
        "verify-me",
        "EAAG123",
    )
    assert s.provider == "offline"  # explicit choice wins over the project being set
    assert (s.google_cloud_project, s.google_cloud_location, s.gemini_model) == (
        "acme",
        "europe-west4",
        "gemini-x-flash",
    )
    assert s.google_application_credentials == Path("/secrets/sa.json")


@pytest.mark.usefixtures("clean_env")
def test_provider_defaults_to_vertex_with_a_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "acme")
    assert Settings().provider == "vertex"


@pytest.mark.usefixtures("clean_env")
def test_vertex_without_project_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "vertex")
    with pytest.raises(ValidationError, match="GOOGLE_CLOUD_PROJECT"):
        Settings()


@pytest.mark.usefixtures("clean_env")
def test_unknown_provider_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.usefixtures("clean_env")
def test_empty_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """compose.yaml passes `${VAR:-}`, which arrives as an empty string."""
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "")
    monkeypatch.setenv("WHATSAPP_APP_SECRET", "")
    s = Settings()
    assert s.provider == "offline"
    assert s.google_cloud_location == "us-central1"
    assert s.whatsapp_app_secret is None
