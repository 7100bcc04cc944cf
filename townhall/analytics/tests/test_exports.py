from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from townhall.accounts.models import Role
from townhall.analytics.exports import reports_email_due
from townhall.analytics.models import ReportSubscription, TargetKind
from townhall.analytics.services import report_subscription_set, target_set
from townhall.cli import main
from townhall.conftest import at
from townhall.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(council, bob, make_thread):
    make_thread(at=at("2026-05-05T10:00:00+01:00"), reply_after=timedelta(minutes=40))
    make_thread(at=at("2026-06-05T10:00:00+01:00"), reply_after=timedelta(hours=4))
    target_set(by=bob, year=2026, kind=TargetKind.FIRST_RESPONSE, percent=Decimal(50),
               office_minutes=120)


def test_a_supervisor_downloads_the_committee_pdf_and_it_is_audited(client, council, bob,
                                                                    year) -> None:
    client.force_login(bob.user)
    response = client.get("/analytics/report/download/?format=pdf&year=2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="townhall-afon-report-2026-' in response["Content-Disposition"]
    event = AuditEvent.objects.get(council=council, action="analytics.report_exported")
    assert event.actor == bob.user and event.data["format"] == "pdf"


def test_the_csv_report_has_the_targets_and_every_table(client, bob, year) -> None:
    client.force_login(bob.user)
    text = client.get("/analytics/report/download/?format=csv&year=2026").content.decode(
        "utf-8-sig")
    assert "Targets for 2026 to 2027" in text
    assert "Median first reply within 2 h of office time,50.0" in text
    assert "Messages and conversations over time" in text and "By officer" not in text


def test_the_monthly_email_goes_once_to_each_supervisor_who_asked(council, bob, alice,
                                                                  year) -> None:
    bob.user.email = "bob@afon.example"
    bob.user.save()
    report_subscription_set(by=bob, subscribed=True)
    # Alice asked while she was a supervisor; she is an officer now, so it stops.
    ReportSubscription.objects.create(council=council, user=alice.user)
    assert alice.role == Role.OFFICER
    assert reports_email_due(today=date(2026, 12, 1)) == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["bob@afon.example"]
    assert email.subject == "Social media report for November 2026: Afon Borough Council"
    assert "Median first reply within 2 h of office time" in email.body
    name, content, kind = email.attachments[0]
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    assert reports_email_due(today=date(2026, 12, 1)) == 0
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="analytics.report_emailed").count() == 1


def test_the_command_writes_the_report(council, year, tmp_path, capsys) -> None:
    output = tmp_path / "report.csv"
    assert main(["report", "--council", "afon", "--year", "2026", "--format", "csv",
                 "--output", str(output)]) == 0
    assert "Targets for 2026 to 2027" in output.read_text(encoding="utf-8-sig")
    said = capsys.readouterr().out
    assert "Wrote the CSV report for Afon Borough Council, financial year 2026 to 2027" in said
    assert "- Median first reply within 2 h of office time: On track" in said
    pdf = tmp_path / "report.pdf"
    assert main(["report", "--council", "afon", "--year", "2026", "--format", "pdf",
                 "--output", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_command_explains_a_wrong_year_or_folder(council, tmp_path, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--council", "afon", "--year", "26", "--format", "csv",
              "--output", str(tmp_path / "r.csv")])
    assert "such as 2026 for April 2026 to March 2027" in capsys.readouterr().err
    assert main(["report", "--council", "afon", "--year", "2026", "--format", "csv",
                 "--output", str(tmp_path / "missing" / "r.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="No council has the slug"):
        main(["report", "--council", "nowhere", "--year", "2026", "--format", "csv",
              "--output", str(tmp_path / "r.csv")])
