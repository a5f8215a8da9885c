"""/docs and /redoc work on a machine without internet: every asset comes from the service."""

from __future__ import annotations

import re

import httpx
import pytest

# src="...", href="...", spec-url="..." and Swagger UI's `url: '...'`
_REFERENCE = re.compile(r"""(?:src|href|spec-url)=["']([^"']+)["']|\burl:\s*'([^']+)'""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_reference_only_the_service(service: httpx.AsyncClient, page: str) -> None:
    response = await service.get(page)
    assert response.status_code == 200
    html = response.text
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), html
    references = [a or b for a, b in _REFERENCE.findall(html)]
    assert len(references) >= 3, references  # stylesheet or script, icon, the document
    for url in references:
        assert url.startswith("/"), url
        asset = await service.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
