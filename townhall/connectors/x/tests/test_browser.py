"""Registering an X webhook from the channel's connection page in a real browser: the
fake X checks the address against the live Townhall, and every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.x.registration import x_webhook_url
from townhall.core.testing.browser import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PUBLIC_HOST = "townhall.afon.example.gov.uk"


def test_an_admin_registers_the_x_webhook_from_the_connection_page(
        live_server, page, settings, x_channel, x_api, dave) -> None:
    settings.TOWNHALL_BASE_URL = f"https://{PUBLIC_HOST}"
    x_api.activity.resolve[PUBLIC_HOST] = live_server.url
    x_api.activity.subscription_limit = 0
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/channels/{x_channel.pk}/connect/")
    expect(page.locator("#callback-url")).to_have_text(
        x_webhook_url(channel=x_channel, base_url=f"https://{PUBLIC_HOST}"))
    assert axe_violations(page) == []

    # The app's plan allows no more subscribed accounts: the page says so plainly.
    page.get_by_role("button", name="Register webhook and subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The X webhook is not set up yet")
    expect(page.locator("#problem")).to_contain_text(
        "X refused to subscribe the council's account")
    expect(page.locator("#webhook-steps")).to_contain_text("Registered https://")
    assert axe_violations(page) == []

    x_api.activity.subscription_limit = 5
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("X webhook registered and subscribed")
    webhook_id = next(iter(x_api.activity.webhooks))
    expect(page.locator("#webhook-id")).to_have_text(webhook_id)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Go to the channel's connection").click()
    expect(page.locator("#check-lines")).to_contain_text("the subscription is active")
    assert axe_violations(page) == []
