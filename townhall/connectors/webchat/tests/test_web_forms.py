"""docs/web-forms.md: a council website's backend posts a signed form to /ingest/<key>."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from townhall.inbox.models import Message

pytestmark = pytest.mark.django_db


def documented_body(submission_id: int, name: str, email: str, message: str, postcode: str,
                    submitted_at: datetime) -> bytes:
    """The body the Python example in docs/web-forms.md builds, line for line."""
    details = [f"Name: {name}", f"Email: {email}"] + ([f"Postcode: {postcode}"] if postcode else [])
    return json.dumps({
        "platform_message_id": f"contact-{submission_id}",
        "author": email,
        "author_name": name,
        "text": message + "\n\n" + "\n".join(details),
        "created_at": submitted_at.isoformat(),
    }).encode("utf-8")


def test_the_documented_python_example_is_accepted_once(client: Any,
                                                        webform: tuple[Any, str]) -> None:
    channel, secret = webform
    body = documented_body(1042, "Siân Evans", "sian@example.org",
                           "The footpath by the school is flooded.", "AC1 2BD",
                           datetime(2026, 3, 2, 9, 15, tzinfo=UTC))
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    for expected in ({"accepted": 1, "duplicates": 0}, {"accepted": 0, "duplicates": 1}):
        response = client.post(f"/ingest/{channel.key}", data=body,
                               content_type="application/json",
                               headers={"X-Townhall-Signature": signature})
        assert response.status_code == 202
        assert {k: response.json()[k] for k in expected} == expected
    message = Message.objects.get(channel=channel)
    assert message.author_name == "Siân Evans"
    assert message.text.endswith("Email: sian@example.org\nPostcode: AC1 2BD")
