import pytest
from django.urls import reverse

from townhall.core.models import AuditEvent
from townhall.shift.models import ServiceRoute, ShiftSettings
from townhall.shift.tests.helpers import categories

pytestmark = pytest.mark.django_db


def test_an_admin_sets_a_categorys_route(signed_in, dave, council) -> None:
    category = categories(council)["roads_potholes"]
    client = signed_in(dave)
    response = client.post(reverse("shift:route", args=[category.pk]), {
        "url_template": "https://www.afon.example/report?postcode={postcode}",
        "resident_action": "Mark it on the map.", "is_reportable": "on"})
    assert response.status_code == 302
    route = ServiceRoute.objects.get(category=category)
    assert route.url_template.endswith("{postcode}") and route.is_reportable
    event = AuditEvent.objects.get(action="shift.route_saved")
    assert event.actor == dave.user and "url_template" in event.data["changes"]
    assert "www.afon.example" in client.get(reverse("shift:routes")).content.decode()


def test_a_bad_route_template_is_explained_and_nothing_saved(signed_in, dave, council) -> None:
    category = categories(council)["roads_potholes"]
    response = signed_in(dave).post(reverse("shift:route", args=[category.pk]), {
        "url_template": "https://{place}.example/report", "resident_action": "Report it."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Placeholders can only go after the site name" in page
    assert not ServiceRoute.objects.exists()


def test_an_admin_enters_unit_costs_in_pounds(signed_in, dave, council) -> None:
    client = signed_in(dave)
    page = client.get(reverse("shift:costs")).content.decode()
    assert 'value="8.62"' in page and 'value="2.83"' in page and 'value="0.15"' in page
    response = client.post(reverse("shift:costs"), {
        "source": "Our 2026 study", "face_to_face": "9.10", "phone": "3.05", "web": "0.12",
        "social": "1.5", "baseline": "phone"})
    assert response.status_code == 302
    row = ShiftSettings.objects.get(council=council)
    assert (row.face_to_face_pence, row.phone_pence, row.web_pence, row.social_pence) == (
        910, 305, 12, 150)
    bad = client.post(reverse("shift:costs"), {"source": "x", "face_to_face": "-1",
                                               "phone": "abc", "web": "0.1234", "social": "0",
                                               "baseline": "phone"}).content.decode()
    assert "The amount must be 0 or more" in bad and "Enter an amount in pounds" in bad


def test_the_webhook_secret_is_shown_once_and_stored_encrypted(signed_in, dave, council) -> None:
    response = signed_in(dave).post(reverse("shift:secret"))
    page = response.content.decode()
    row = ShiftSettings.objects.get(council=council)
    assert row.webhook_secret in page
    assert row.webhook_secret not in row.webhook_secret_encrypted
    assert row.webhook_secret not in str(AuditEvent.objects.get(
        action="shift.webhook_secret_rotated").data)


@pytest.mark.parametrize("name", ["shift:routes", "shift:costs"])
def test_only_admins_change_routes_and_costs(signed_in, bob, name) -> None:
    assert signed_in(bob).get(reverse(name)).status_code == 403
