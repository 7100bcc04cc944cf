import base64
import json
from pathlib import Path
from typing import Any

import pytest

from townhall.connectors.email.tests.conftest import WEBHOOK_SECRET
from townhall.connectors.email.tests.smtp_faults import SmtpFaults
from townhall.connectors.testing import ConnectorContract

FIXTURES = Path(__file__).parent / "fixtures"


def numbered_email(n: int) -> bytes:
    """Resident email n, shaped like the recorded ones."""
    return (f"From: Resident {n} <resident{n}@example.org>\r\n"
            f"To: contact@afon.test\r\n"
            f"Subject: Report number {n}\r\n"
            f"Date: Mon, 2 Mar 2026 09:{n % 60:02d}:00 +0000\r\n"
            f"Message-ID: <report-{n}@mail.example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            f"The street light number {n} is out.\r\n").encode()


class TestEmailContract(ConnectorContract):
    platform = "email"
    fixtures_dir = FIXTURES
    app_secret = WEBHOOK_SECRET
    send_route = ("SMTP", "DATA")

    @pytest.fixture
    def fake(self, smtp_faults: SmtpFaults) -> SmtpFaults:
        return smtp_faults

    @pytest.fixture
    def channel(self, email_channel: Any) -> Any:
        return email_channel

    def entries_body(self, entries: list[str]) -> bytes:
        messages: list[dict[str, Any]] = []
        for entry in entries:
            if entry == "bad":
                messages.append({"mime": "this is not base64!"})
            else:
                raw = numbered_email(int(entry.split(":")[1]))
                messages.append({"mime": base64.b64encode(raw).decode()})
        return json.dumps({"messages": messages}).encode()

    def reply_to(self) -> bytes:
        # The same email is in the test mailbox (conftest.MAILBOX_START), as it is when
        # the council's mail server pushes what it has just delivered.
        return (FIXTURES / "webhooks" / "pothole.json").read_bytes()

    def sent_replies(self, fake: SmtpFaults) -> list[Any]:
        return fake.sent()
