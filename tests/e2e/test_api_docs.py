"""/api/docs/ in a real browser: Swagger UI renders every resource from the sidecar's files,
with no request leaving the server and no CSP violation."""

import pytest

from tests.factories import PASSWORD

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_without_csp_violations(live_server, page, attache):
    problems, foreign = [], []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    page.on(
        "request",
        lambda req: (
            foreign.append(req.url)
            if not req.url.startswith(live_server.url) and not req.url.startswith("data:")
            else None
        ),
    )
    login(page, live_server.url, attache.username, PASSWORD)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=15_000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    for resource in (
        "counterparts",
        "meetings",
        "agreements",
        "exercises",
        "action-items",
        "cables",
        "organizations",
    ):
        assert any(resource in tag for tag in tags), (resource, tags)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not foreign, foreign
    page.screenshot(path="test-artifacts/api-docs.png", full_page=False)
