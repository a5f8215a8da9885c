# syntax=docker/dockerfile:1.7
# Two-step uv build: dependencies first (cached while only our code changes), then the project.
FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-install-project --no-dev
COPY pyproject.toml uv.lock README.md gunicorn.conf.py ./
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev --no-editable

FROM python:3.11-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 whsp \
 && useradd --system --uid 10001 --gid whsp --home-dir /app --shell /usr/sbin/nologin whsp
WORKDIR /app
COPY --from=build --chown=whsp:whsp /app/.venv /app/.venv
COPY --from=build --chown=whsp:whsp /app/gunicorn.conf.py /app/gunicorn.conf.py
ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    WHSP_LOG_FORMAT=json \
    LANGGRAPH_STRICT_MSGPACK=true
USER whsp
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
# DATABASE_URL must point at a Postgres with pgvector (see compose.yaml).
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py", "whsp_ai.api.asgi:app"]
