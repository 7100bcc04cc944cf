"""The admin pages drive the services, and every change leaves an audit event."""

import csv
import io

from townhall.accounts.models import Membership, Role, Team
from townhall.connectors.models import Channel
from townhall.core.models import AuditEvent
from townhall.manage.actions import _cell
from townhall.triage.models import Category
from townhall.triage.services import taxonomy_install


def test_it_invites_a_person_and_shows_the_password_once(client, council, dave, highways) -> None:
    client.force_login(dave.user)
    response = client.post("/manage/users/invite/", {
        "first_name": "Gwen", "last_name": "Price", "email": "gwen@example.invalid",
        "username": "gwen", "role": "supervisor", "teams": [highways.pk]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    member = Membership.objects.get(user__username="gwen")
    assert member.role == Role.SUPERVISOR and member.must_change_password
    password = response.context["password"]
    assert password in response.content.decode()
    assert password not in client.get(f"/manage/users/{member.pk}/").content.decode()


def test_it_explains_what_is_wrong_with_an_invitation(client, dave) -> None:
    client.force_login(dave.user)
    response = client.post("/manage/users/invite/", {"username": "dave", "role": "officer"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter their first name" in page
    assert "That username is already taken" in page


def test_it_shows_why_the_last_admin_cannot_be_demoted(client, dave) -> None:
    client.force_login(dave.user)
    response = client.post(f"/manage/users/{dave.pk}/role/", {"role": "officer"})
    assert "only administrator" in response.content.decode()
    assert Membership.objects.get(pk=dave.pk).role == Role.ADMIN


def test_it_deactivates_a_person_from_the_page(client, dave, alice) -> None:
    client.force_login(dave.user)
    assert client.get(f"/manage/users/{alice.pk}/deactivate/").status_code == 200
    client.post(f"/manage/users/{alice.pk}/deactivate/")
    alice.user.refresh_from_db()
    assert not alice.user.is_active
    assert Membership.objects.filter(pk=alice.pk).exists()


def test_it_creates_renames_and_fills_a_team(client, council, dave, alice) -> None:
    client.force_login(dave.user)
    client.post("/manage/teams/add/", {"name": "Libraries"})
    team = Team.objects.get(council=council, name="Libraries")
    client.post(f"/manage/teams/{team.pk}/rename/", {"name": "Libraries and Leisure"})
    client.post(f"/manage/teams/{team.pk}/members/", {"members": [alice.pk]})
    team.refresh_from_db()
    assert team.name == "Libraries and Leisure"
    assert list(team.members.all()) == [alice]


def test_it_creates_a_channel_and_shows_its_webhook_address_and_secret(client, council,
                                                                       dave) -> None:
    client.force_login(dave.user)
    response = client.post("/manage/channels/add/", {"platform": "mastodon",
                                                     "handle": "@afon@social.example"})
    channel = Channel.objects.get(council=council, handle="@afon@social.example")
    secret = response.context["secret"]
    page = response.content.decode()
    assert secret in page and f"http://testserver/ingest/{channel.key}" in page
    assert channel.webhook_secret == secret
    assert secret not in client.get(f"/manage/channels/{channel.pk}/").content.decode()
    assert secret not in client.get("/manage/channels/").content.decode()
    event = AuditEvent.objects.get(action="channel.created", object_id=str(channel.pk))
    assert event.actor == dave.user and secret not in str(event.data)


def test_it_refuses_a_duplicate_channel_with_a_message(client, council, dave) -> None:
    client.force_login(dave.user)
    client.post("/manage/channels/add/", {"platform": "x", "handle": "@afon"})
    response = client.post("/manage/channels/add/", {"platform": "x", "handle": "@afon"})
    assert "already has a channel" in response.content.decode()


def test_it_rotates_a_secret_so_the_old_one_stops_working(client, dave, webform) -> None:
    channel, old = webform
    client.force_login(dave.user)
    response = client.post(f"/manage/channels/{channel.pk}/rotate/")
    new = response.context["secret"]
    channel.refresh_from_db()
    assert new != old and channel.webhook_secret == new
    assert AuditEvent.objects.filter(action="channel.secret_rotated").exists()


def test_it_deactivates_a_channel(client, dave, webform) -> None:
    channel, _ = webform
    client.force_login(dave.user)
    client.post(f"/manage/channels/{channel.pk}/active/", {"active": "no"})
    channel.refresh_from_db()
    assert not channel.is_active
    assert client.post(f"/ingest/{channel.key}", b"{}",
                       content_type="application/json").status_code == 404
    assert AuditEvent.objects.filter(action="channel.deactivated").exists()


def test_it_edits_a_category_and_records_what_changed(client, council, dave) -> None:
    category = taxonomy_install(council=council)[0]
    client.force_login(dave.user)
    response = client.post(f"/manage/categories/{category.pk}/", {
        "name": "Bins", "group": category.group, "description": "Missed collections",
        "examples": "my bin was missed\n\n  no recycling collection  \n",
        "self_service_url": "https://www.example.gov.uk/bins", "is_active": "on"})
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Bins"
    assert category.examples == ["my bin was missed", "no recycling collection"]
    event = AuditEvent.objects.get(action="category.updated")
    assert event.data["changes"]["name"]["to"] == "Bins"


def test_it_adds_a_category_and_lists_it_in_its_group(client, council, dave) -> None:
    client.force_login(dave.user)
    client.post("/manage/categories/add/", {"name": "Allotments", "group": "Parks",
                                            "examples": "waiting list for a plot"})
    category = Category.objects.get(council=council, name="Allotments")
    assert category.code == "allotments" and category.examples == ["waiting list for a plot"]
    page = client.get("/manage/categories/").content.decode()
    assert "Parks" in page and "Allotments" in page


def test_it_filters_pages_and_exports_the_audit_log(client, council, dave, alice) -> None:
    client.force_login(dave.user)
    for n in range(55):
        client.post("/manage/teams/add/", {"name": f"Team {n}"})
    page = client.get("/manage/audit/", {"action": "team.created"})
    assert page.context["page"].paginator.count == 55
    assert "Page 1 of 2" in page.content.decode()
    export = client.get("/manage/audit/export.csv",
                        {"action": "team.created", "user": str(dave.user_id)})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][0] == "at_utc" and len(rows) == 56
    assert all(row[2] == "team.created" for row in rows[1:])
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.data == {"filters": {"action": "team.created", "user_id": dave.user_id},
                          "rows": 55}
    assert not client.get("/manage/audit/", {"user": str(alice.user_id)}).context[
        "page"].paginator.count


def test_it_defuses_formulas_in_the_export() -> None:
    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("team.created") == "team.created"
