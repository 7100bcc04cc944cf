import pytest

from townhall.core.models import AuditEvent
from townhall.open311.models import BackOfficeRequest, RequestUpdate, SendState
from townhall.open311.services import BackOfficeHandoff, mapping_save
from townhall.open311.sync import backoffice_sweep, client_for
from townhall.shift.models import LedgerEntry
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import categories, post, pothole_route

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(council, alice, backoffice, django_capture_on_commit_callbacks):
    conversation = post(council)
    with django_capture_on_commit_callbacks(execute=True):
        request = BackOfficeHandoff(conversation=conversation, by=alice, service_code="POT",
                                    address_string="12 Mill Lane", postcode="SW1A 1AA",
                                    description="Huge pothole").execute()
    request.refresh_from_db()
    assert request.send_state == SendState.SENT
    return request


def test_polling_shows_a_status_change_once(sent, backoffice, office) -> None:
    office.set_status(sent.service_request_id, "closed", "Filled in today.", push=False)
    backoffice.use_updates_extension = False
    backoffice.save()
    backoffice_sweep(backoffice=backoffice)
    backoffice_sweep(backoffice=backoffice)
    sent.refresh_from_db()
    assert sent.status == "closed" and sent.status_notes == "Filled in today." and sent.closed_at
    update = RequestUpdate.objects.get(request=sent)
    assert (update.status, update.source) == ("closed", "poll")
    assert f"GET requests/{sent.service_request_id}" in office.calls
    assert AuditEvent.objects.filter(action="open311.request_updated").count() == 1


def test_pushed_updates_arrive_through_servicerequestupdates(sent, backoffice, office) -> None:
    office.set_status(sent.service_request_id, "action_scheduled", "Crew booked for Tuesday.")
    office.set_status(sent.service_request_id, "fixed", "Repaired.")
    updates = list(client_for(backoffice).updates(sent.created_at.replace(year=2000),
                                                  sent.created_at.replace(year=2100)))
    assert [u["status"] for u in updates] == ["action_scheduled", "fixed"]
    backoffice_sweep(backoffice=backoffice)
    backoffice_sweep(backoffice=backoffice)
    statuses = list(RequestUpdate.objects.filter(request=sent, source="push")
                    .values_list("status", flat=True))
    assert statuses == ["action_scheduled", "fixed"]
    sent.refresh_from_db()
    assert sent.status == "fixed" and sent.closed_at is not None


def test_a_self_service_report_with_a_links_token_shifts_the_conversation(council, backoffice,
                                                                          office) -> None:
    pothole_route(council)
    conversation = post(council)
    link = signpost_for(conversation=conversation).link
    office.add_report(f"Pothole by the school. Ref: {link.token}")
    office.add_report("Another pothole, no reference")
    summary = backoffice_sweep(backoffice=backoffice)
    assert summary["shifted"] == 1
    entry = LedgerEntry.objects.get(conversation=conversation)
    assert entry.source == "open311_client" and entry.external_reference


def test_the_rule_hands_off_new_conversations_but_never_safeguarding_ones(
        council, backoffice, office, django_capture_on_commit_callbacks) -> None:
    mapping_save(category=categories(council)["roads_potholes"], service_code="POT",
                 send_automatically=True, by=None)
    ordinary = post(council)
    worrying = post(council, safeguarding=True)
    nowhere = post(council, "there is a pothole somewhere")
    with django_capture_on_commit_callbacks(execute=True):
        summary = backoffice_sweep(backoffice=backoffice)
    assert summary["handed_off"] == 1
    request = BackOfficeRequest.objects.get()
    assert request.conversation == ordinary and request.by_rule
    assert request.send_state == SendState.SENT
    assert office.received[-1]["address_string"] == "12 Mill Lane, SW1A 1AA"
    assert "email" not in office.received[-1]
    assert not BackOfficeRequest.objects.filter(conversation__in=[worrying, nowhere]).exists()


def test_a_failing_back_office_is_noted_and_the_sweep_carries_on(sent, backoffice,
                                                                 office) -> None:
    office.fail_next(500, times=10)
    backoffice_sweep(backoffice=backoffice)
    backoffice.refresh_from_db()
    assert "HTTP 500" in backoffice.last_sweep_error and backoffice.last_sweep_at
