import pytest
from django.test import Client
from playwright.sync_api import expect

from townhall.conftest import PASSWORD, message_data
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.ingest.items import parse_item
from townhall.ingest.services import items_ingest
from townhall.triage.models import SafeguardingAlert

CRY_FOR_HELP = "I can't cope any more, I want to end my life tonight"


def arrive(council, text=CRY_FOR_HELP):
    items_ingest(council=council, items=[parse_item(message_data(text=text))], source="api")


def test_another_council_cannot_acknowledge_an_alert(client: Client, council, eve) -> None:
    arrive(council)
    alert = SafeguardingAlert.objects.get()
    client.login(username="eve", password=PASSWORD)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_records_who_and_leaves_no_open_alert(client: Client, council,
                                                             alice) -> None:
    arrive(council)
    alert = SafeguardingAlert.objects.get()
    client.login(username="alice", password=PASSWORD)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice.user
    assert "1 message may mean" not in client.get("/alerts/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_duty_officer_sees_the_alert_everywhere_and_acts(live_server, page, council,
                                                             alice) -> None:
    arrive(council)
    sign_in(page, live_server.url, "alice", PASSWORD)
    banner = page.get_by_role("alert").filter(has_text="may mean someone is at risk")
    expect(banner).to_be_visible()
    banner.get_by_role("link", name="See the alerts").click()
    expect(page.get_by_role("heading", name="Safeguarding alerts", level=1)).to_be_visible()
    expect(page.get_by_text("self-harm or suicide")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Acknowledge and open").click()
    page.wait_for_url("**/conversations/*/")
    expect(page.get_by_text("end my life tonight").first).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="may mean someone")).to_have_count(0)
