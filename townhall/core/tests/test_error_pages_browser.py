import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("townhall.core.tests.error_urls")]


@pytest.mark.parametrize(("path", "status", "heading"), [
    ("/no-such-page/", 404, "Page not found"),
    ("/test-errors/400/", 400, "Townhall could not understand that request"),
    ("/test-errors/500/", 500, "Sorry, there is a problem with Townhall"),
])
def test_the_error_pages_are_accessible(live_server, page, path, status, heading) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == status
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert axe_violations(page) == []


def test_the_403_page_is_accessible(live_server, page, alice) -> None:
    sign_in(page, live_server.url, "alice", PASSWORD)
    response = page.goto(f"{live_server.url}/manage/")
    assert response.status == 403
    assert axe_violations(page) == []


def test_the_csrf_failure_page_is_accessible(live_server, page, alice) -> None:
    page.goto(f"{live_server.url}/login/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form could not be sent")
    assert axe_violations(page) == []
