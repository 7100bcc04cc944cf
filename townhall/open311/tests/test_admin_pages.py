"""Where an admin finds Open311: the reports channel among the channels, and the
back-office link on the Manage pages (decision 606)."""

import pytest
from django.urls import reverse

from townhall.connectors.models import Channel, Platform
from townhall.core.models import AuditEvent
from townhall.open311.server import api_key_create
from townhall.shift.tests.helpers import categories

pytestmark = pytest.mark.django_db


def test_open311_reports_arrive_on_a_registered_channel(client, council, signed_in,
                                                       dave) -> None:
    categories(council)
    key = api_key_create(council=council, name="Reporting app")[1]
    client.post("/open311/v2/requests.json", {"api_key": key, "service_code": "roads_potholes",
                                              "address_string": "12 Mill Lane",
                                              "description": "Huge pothole"})
    channel = Channel.objects.get(council=council, platform=Platform.OPEN311)
    assert channel.get_platform_display() == "Open311 reports"
    assert AuditEvent.objects.filter(action="channel.created", actor_label="open311").exists()
    admin = signed_in(dave)
    listing = admin.get(reverse("manage:channels")).content.decode()
    assert "Open311 reports" in listing
    detail = admin.get(reverse("manage:channel", args=[channel.pk])).content.decode()
    assert "use an API key, not the webhook below" in detail
    inbox = admin.get(reverse("inbox:inbox") + "?platform=open311").content.decode()
    assert "Huge pothole" in inbox


def test_admins_cannot_add_an_open311_channel_by_hand(signed_in, dave) -> None:
    admin = signed_in(dave)
    form = admin.get(reverse("manage:channel-add")).content.decode()
    assert 'value="open311"' not in form
    response = admin.post(reverse("manage:channel-add"), {"platform": "open311",
                                                          "handle": "open311"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Channel.objects.filter(platform="open311").exists()


def test_the_manage_pages_lead_to_the_back_office_link(signed_in, dave, backoffice) -> None:
    admin = signed_in(dave)
    index = admin.get(reverse("manage:index")).content.decode()
    settings = reverse("open311:settings")
    assert f'href="{settings}">Back office (Open311)</a>' in index
    channels = admin.get(reverse("manage:channels")).content.decode()
    section = channels[channels.index('id="th-backoffice-summary"'):]
    assert "Connected" in section and "Highways system" in section and backoffice.base_url in section
    assert f'href="{settings}">Change' in section
    assert f'href="{reverse("open311:mappings")}">Change' in section


def test_the_channels_page_says_when_the_back_office_is_not_set_up(signed_in, dave) -> None:
    channels = signed_in(dave).get(reverse("manage:channels")).content.decode()
    section = channels[channels.index('id="th-backoffice-summary"'):]
    assert "Not set up" in section and ">Set up<" in section
