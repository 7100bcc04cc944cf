import pytest
from django.test import Client

pytestmark = pytest.mark.urls("townhall.core.tests.error_urls")


@pytest.fixture
def anonymous(db) -> Client:
    return Client(raise_request_exception=False)


def test_it_explains_a_missing_page(anonymous) -> None:
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "check it is correct" in page
    assert 'class="govuk-template"' in page


def test_it_explains_a_bad_request(anonymous) -> None:
    response = anonymous.get("/test-errors/400/")
    assert response.status_code == 400
    assert "could not understand that request" in response.content.decode()


def test_it_explains_a_server_error_without_a_stack_trace(anonymous) -> None:
    response = anonymous.get("/test-errors/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with Townhall" in page
    assert "Traceback" not in page and "secret-detail" not in page


def test_it_explains_a_refused_form(db, alice) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_it_explains_a_page_you_may_not_see(client, alice) -> None:
    client.force_login(alice.user)
    response = client.get("/manage/")
    assert response.status_code == 403
    assert "ask an administrator" in response.content.decode()
