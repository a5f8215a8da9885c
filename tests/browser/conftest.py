"""Fixtures of the browser tests: one Chromium for the session, one service per module.

Without Chromium the tests are skipped with a message saying how to install it; in CI
(CI=true) a missing browser is a failure instead, so CI can't go green without them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.harness import (
    BROWSERS,
    NO_BROWSER,
    SCREENSHOTS,
    FakeGraph,
    Service,
    find_chromium,
)
from tests.conftest import TEST_DATA_DIR, empty_tables
from whsp_ai.bench.dashboard_seed import Size, seed
from whsp_ai.db.database import Database
from whsp_ai.demo import import_demo_businesses

SMALL_SHOP = Size(
    products=200, orders=300, customers=40, open_carts=4, questions=2, product_approvals=2, days=30
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    found = find_chromium()
    if found is None:
        message = NO_BROWSER.format(", ".join(BROWSERS))
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    chrome, chromedriver = found
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
        "--lang=en-US",
    ):
        options.add_argument(flag)
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    driver = webdriver.Chrome(options=options, service=DriverService(executable_path=chromedriver))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@dataclass
class Live:
    service: Service
    graph: FakeGraph
    db: Database
    business_id: int
    phone_number_id: str
    owner_phone: str
    api_key: str

    @property
    def url(self) -> str:
        return self.service.url


@pytest.fixture(scope="module")
async def live(browser: Any, opened_db: Database, database_url: str) -> AsyncIterator[Live]:
    """The demo businesses on an emptied test database, and the service running on it."""
    await empty_tables(opened_db)
    results = {r.slug: r for r in await import_demo_businesses(opened_db)}
    pepe = results["ferreteria-don-pepe"]
    assert pepe.api_key
    from whsp_ai.db.models import Business

    async with opened_db.session() as session:
        # a month of sales, customers and their messages, so every page has something to show
        await seed(session, business_id=pepe.business_id, size=SMALL_SHOP)
    async with opened_db.session() as session:
        business = await session.get(Business, pepe.business_id)
        assert business is not None
        phone_number_id, owner_phone = business.phone_number_id, business.owner_phone
    graph = FakeGraph()
    graph.thread.start()
    service = Service(database_url, TEST_DATA_DIR, graph.url)
    try:
        yield Live(
            service, graph, opened_db, pepe.business_id, phone_number_id, owner_phone, pepe.api_key
        )
    finally:
        service.stop()
        graph.shutdown()
        graph.server_close()
