"""The browser tests' pieces: finding Chromium, a fake Graph API, the service as a process,
phone- and desktop-sized screenshots, and waiting for what the service does in the background.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx

from tests.servers import free_port, wait_until_ready
from tests.whatsapp import APP_SECRET, envelope, signed, text_message

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
PHONE, DESKTOP = 390, 1280
T = TypeVar("T")

# Debian names first (CI installs `chromium` and `chromium-driver` with apt-get).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVERS = ("chromedriver",)
NO_BROWSER = (
    "no Chromium or no chromedriver found (looked for {} and chromedriver): the browser "
    "tests need both. "
    "On Debian: apt-get install chromium chromium-driver"
)


def find_chromium() -> tuple[str, str] | None:
    """Paths of a Chromium and its chromedriver, or None when either is missing."""
    browser = next((p for p in map(shutil.which, BROWSERS) if p), None)
    driver = next((p for p in map(shutil.which, DRIVERS) if p), None)
    return (browser, driver) if browser and driver else None


class FakeGraph(ThreadingHTTPServer):
    """Meta's Graph API as the sender sees it: every message accepted with a fresh id."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _GraphHandler)
        self.sent: list[dict[str, Any]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _GraphHandler(BaseHTTPRequestHandler):
    server: FakeGraph

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        self.server.sent.append(body)
        answer: dict[str, Any] = {"success": True}
        if body.get("status") != "read":
            answer = {
                "messaging_product": "whatsapp",
                "messages": [{"id": f"wamid.fake.{len(self.server.sent)}"}],
            }
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the test output is for the tests


class Service:
    """`whsp-ai serve` (API and workers in one process) on the test database."""

    def __init__(self, database_url: str, data_dir: Path, graph_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (SCREENSHOTS.parent / "service.log").open("w")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "GOOGLE_"))}
        env.update(
            DATABASE_URL=database_url,
            WHSP_DATA_DIR=str(data_dir),
            LLM_PROVIDER="offline",
            WHATSAPP_APP_SECRET=APP_SECRET,
            WHATSAPP_GRAPH_URL=graph_url,
            WHSP_LOG_FORMAT="json",
        )
        whsp = str(Path(sys.executable).with_name("whsp-ai"))
        self.proc = subprocess.Popen(
            [whsp, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        if not wait_until_ready(f"{self.url}/readyz", self.proc):  # type: ignore[arg-type]
            self.stop()
            raise RuntimeError("the service did not start: see artifacts/service.log")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def customer_says(self, phone_number_id: str, wa_id: str, body: str) -> None:
        """A customer's message, signed and delivered to /webhook as Meta would."""
        payload, headers = signed(envelope(phone_number_id, [text_message(wa_id, body)]))
        response = httpx.post(f"{self.url}/webhook", content=payload, headers=headers, timeout=10)
        assert response.status_code == 200, response.text


def wait_for(check: Callable[[], T | None], what: str, timeout_s: float = 30) -> T:
    """Poll `check` until it returns something; fail with `what` when time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def shoot(driver: Any, name: str) -> dict[int, int]:
    """Full-page PNGs of the current page at 390 px and 1280 px; the scroll width at each.

    The viewport is set through the DevTools protocol (a phone's metrics, `mobile` on), so
    390 px is the layout width the page gets, as on a phone, whatever the window's size.
    """
    widths: dict[int, int] = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (PHONE, DESKTOP):
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": 844 if width == PHONE else 900,
                "deviceScaleFactor": 1,
                "mobile": width == PHONE,
            },
        )
        widths[width] = int(driver.execute_script("return document.scrollingElement.scrollWidth"))
        height = int(driver.execute_script("return document.scrollingElement.scrollHeight"))
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
            },
        )
        (SCREENSHOTS / f"{name}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return widths


async def eventually(check: Callable[[], Any], what: str, timeout_s: float = 30) -> Any:
    """Await `check()` until it returns something truthy; fail with `what` after the timeout."""
    import asyncio

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
