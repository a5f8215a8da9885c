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


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "whsp-ai"\nversion = "0"\n')
    return root


@pytest.mark.usefixtures("clean_env")
def test_data_dir_from_a_sub_folder_is_the_projects(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`whsp-ai business import` run next to the business file writes where the service reads."""
    project = _project(tmp_path / "shop")
    (project / ".whsp-data").mkdir()
    inside = project / "catalogs" / "2026"
    inside.mkdir(parents=True)
    monkeypatch.chdir(inside)
    assert Settings().whsp_data_dir == project / ".whsp-data"


@pytest.mark.usefixtures("clean_env")
def test_data_dir_is_the_project_roots_before_its_first_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = _project(tmp_path / "checkout")
    (project / "src").mkdir()
    monkeypatch.chdir(project / "src")
    assert Settings().whsp_data_dir == project / ".whsp-data"


@pytest.mark.usefixtures("clean_env")
def test_an_existing_data_dir_above_is_found_without_a_project(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".whsp-data").mkdir()
    (tmp_path / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b")
    assert Settings().whsp_data_dir == tmp_path / ".whsp-data"


@pytest.mark.usefixtures("clean_env")
def test_in_the_project_root_the_default_stays_the_working_directorys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CONTRACT §2 as `make run` sees it: `.whsp-data` in the working directory."""
    project = _project(tmp_path / "repo")
    monkeypatch.chdir(project)
    assert Settings().whsp_data_dir == Path(".whsp-data")
    (project / ".whsp-data").mkdir()
    assert Settings().whsp_data_dir == Path(".whsp-data")


@pytest.mark.usefixtures("clean_env")
def test_another_projects_pyproject_is_not_ours(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    (tmp_path / "x").mkdir()
    monkeypatch.chdir(tmp_path / "x")
    assert Settings().whsp_data_dir == Path(".whsp-data")


@pytest.mark.usefixtures("clean_env")
def test_an_explicit_data_dir_is_never_searched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".whsp-data").mkdir()
    (tmp_path / "x").mkdir()
    monkeypatch.chdir(tmp_path / "x")
    monkeypatch.setenv("WHSP_DATA_DIR", "here-please")
    assert Settings().whsp_data_dir == Path("here-please")


@pytest.mark.usefixtures("clean_env")
def test_database_label_names_the_database_without_the_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Settings().database_label() == f"embedded Postgres at {tmp_path / '.whsp-data'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop:s3cret@db.example:5433/whsp")
    label = Settings().database_label()
    assert label == "Postgres database whsp on shop@db.example:5433"
    assert "s3cret" not in label


@pytest.mark.usefixtures("clean_env")
def test_with_an_external_database_the_file_system_is_not_searched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Settings are built inside event loops that refuse blocking calls (`langgraph dev`)."""
    (tmp_path / ".whsp-data").mkdir()
    (tmp_path / "x").mkdir()
    monkeypatch.chdir(tmp_path / "x")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/whsp")

    def no_cwd() -> Path:
        raise AssertionError("searched the file system")

    monkeypatch.setattr(Path, "cwd", staticmethod(no_cwd))
    assert Settings().whsp_data_dir == Path(".whsp-data")
