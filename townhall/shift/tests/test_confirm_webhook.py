import json

import pytest
from django.urls import reverse

from townhall.core.lib.signatures import sign
from townhall.shift.models import LedgerEntry
from townhall.shift.services import shift_webhook_secret_rotate
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import post, pothole_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(council):
    pothole_route(council)
    return signpost_for(conversation=post(council)).link


def _send(client, body, secret):
    raw = json.dumps(body).encode()
    return client.post(reverse("shift:confirm"), raw, content_type="application/json",
                       HTTP_X_TOWNHALL_SIGNATURE=sign(secret, raw))


def test_a_signed_confirmation_shifts_the_conversation(client, council, link) -> None:
    secret = shift_webhook_secret_rotate(council=council, by=None)
    response = _send(client, {"council": "afon", "token": link.token, "reference": "FMS-77",
                              "completed_at": "2026-03-02T10:00:00Z"}, secret)
    assert response.status_code == 200
    assert response.json()["saved_pence"] == 268
    entry = LedgerEntry.objects.get(conversation=link.conversation)
    assert entry.external_reference == "FMS-77" and entry.source == "webhook"
    assert entry.shifted_at.isoformat() == "2026-03-02T10:00:00+00:00"
    assert _send(client, {"council": "afon", "token": link.token}, secret).status_code == 200
    assert LedgerEntry.objects.filter(conversation=link.conversation).count() == 1


def test_a_bad_or_missing_signature_changes_nothing(client, council, link) -> None:
    shift_webhook_secret_rotate(council=council, by=None)
    response = _send(client, {"council": "afon", "token": link.token}, "not-the-secret")
    assert response.status_code == 401
    raw = json.dumps({"council": "afon", "token": link.token}).encode()
    unsigned = client.post(reverse("shift:confirm"), raw, content_type="application/json")
    assert unsigned.status_code == 401
    assert not LedgerEntry.objects.exists()


def test_a_council_without_a_secret_accepts_no_confirmation(client, council, link) -> None:
    assert _send(client, {"council": "afon", "token": link.token}, "").status_code == 401


def test_one_councils_secret_cannot_confirm_anothers_link(client, council, other_council,
                                                         link) -> None:
    theirs = shift_webhook_secret_rotate(council=other_council, by=None)
    response = _send(client, {"council": "elsewhere", "token": link.token}, theirs)
    assert response.status_code == 404
    assert not LedgerEntry.objects.exists()


def test_bad_input_gets_a_clear_error(client, council, link) -> None:
    secret = shift_webhook_secret_rotate(council=council, by=None)
    bad_json = client.post(reverse("shift:confirm"), b"{nope", content_type="application/json")
    assert bad_json.status_code == 400 and "not valid" in bad_json.json()["error"]
    no_token = _send(client, {"council": "afon"}, secret)
    assert no_token.status_code == 400 and "'token'" in no_token.json()["error"]
    bad_date = _send(client, {"council": "afon", "token": link.token,
                              "completed_at": "yesterday"}, secret)
    assert bad_date.status_code == 400
    assert client.get(reverse("shift:confirm")).status_code == 405
