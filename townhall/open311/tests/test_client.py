from datetime import timedelta

import pytest
from django.utils import timezone

from townhall.open311.client import GeoReportClient
from townhall.open311.errors import NotConfigured, Refused, Retriable
from townhall.open311.models import BackOfficeRequest, SendState
from townhall.open311.services import BackOfficeHandoff
from townhall.open311.sync import MAX_ATTEMPTS, request_check, request_send
from townhall.shift.tests.helpers import post

pytestmark = pytest.mark.django_db
PLACE = {"service_code": "POT", "address_string": "12 Mill Lane, SW1A 1AA",
         "description": "Huge pothole"}


@pytest.fixture(params=["json", "xml"])
def client_for_office(request, office):
    return GeoReportClient(base_url=office.url, api_key="test-key", fmt=request.param,
                           timeout=2)


def test_it_creates_a_request_and_reads_it_back(client_for_office, office) -> None:
    answer = client_for_office.create(PLACE)
    rid = str(answer["service_request_id"])
    assert rid in office.requests
    assert office.received[-1]["address_string"] == "12 Mill Lane, SW1A 1AA"
    assert client_for_office.request(rid)["status"] == "open"
    assert {s["service_code"] for s in client_for_office.services()} >= {"POT", "LIGHT"}


def test_a_bad_api_key_is_refused_with_the_specs_error_text(client_for_office) -> None:
    client_for_office.api_key = "wrong"
    with pytest.raises(Refused) as refused:
        client_for_office.create(PLACE)
    assert refused.value.status == 403
    assert "Invalid api_key received" in str(refused.value)
    assert "wrong" not in str(refused.value)


def test_an_unknown_service_code_or_missing_location_is_refused(client_for_office) -> None:
    with pytest.raises(Refused) as unknown:
        client_for_office.create({**PLACE, "service_code": "NOPE"})
    assert unknown.value.status == 404 and "NOPE not found" in str(unknown.value)
    with pytest.raises(Refused) as nowhere:
        client_for_office.create({"service_code": "POT", "description": "somewhere"})
    assert nowhere.value.status == 400 and "A location is required" in str(nowhere.value)


def test_a_server_error_is_worth_retrying(client_for_office, office) -> None:
    office.fail_next(503)
    with pytest.raises(Retriable) as error:
        client_for_office.create(PLACE)
    assert error.value.status == 503


def test_a_back_office_that_does_not_answer_in_time_is_worth_retrying(office) -> None:
    office.stall(1.5)
    slow = GeoReportClient(base_url=office.url, api_key="test-key", timeout=0.3)
    with pytest.raises(Retriable, match="did not answer within 0.3 seconds"):
        slow.create(PLACE)


def test_nothing_is_sent_without_an_api_key(office) -> None:
    with pytest.raises(NotConfigured):
        GeoReportClient(base_url=office.url).create(PLACE)
    assert office.received == []


def test_it_cannot_connect_to_a_closed_port() -> None:
    with pytest.raises(Retriable, match="could not connect"):
        GeoReportClient(base_url="http://127.0.0.1:9/open311/v2", api_key="k",
                        timeout=1).services()


@pytest.fixture
def hand_off(council, alice, backoffice, django_capture_on_commit_callbacks):
    def run():
        conversation = post(council)
        with django_capture_on_commit_callbacks(execute=True):
            return BackOfficeHandoff(
                conversation=conversation, by=alice, service_code="POT",
                address_string="12 Mill Lane", postcode="SW1A 1AA",
                description="Huge pothole").execute()
    return run


def test_a_5xx_waits_and_sends_again_later(hand_off, office) -> None:
    office.fail_next(502, times=2)  # the send on commit and the first retry both fail
    request = hand_off()
    request.refresh_from_db()
    assert request.send_state == SendState.QUEUED and request.attempts == 1
    assert "HTTP 502" in request.last_error
    assert request.next_attempt_at > timezone.now()
    later = request.next_attempt_at + timedelta(seconds=1)
    request = request_send(request=request, now=later)
    assert request.send_state == SendState.QUEUED and request.attempts == 2
    request = request_send(request=request, now=request.next_attempt_at + timedelta(seconds=1))
    assert request.send_state == SendState.SENT and request.attempts == 3
    assert request.service_request_id in office.requests and request.last_error == ""


def test_it_gives_up_after_the_last_attempt(hand_off, office) -> None:
    office.fail_next(500, times=MAX_ATTEMPTS)
    request = hand_off()
    while request.send_state == SendState.QUEUED:
        request = request_send(request=request,
                               now=request.next_attempt_at + timedelta(seconds=1))
    assert request.send_state == SendState.FAILED and request.attempts == MAX_ATTEMPTS
    assert office.requests == {}


def test_a_refusal_is_final_and_shown(hand_off, office) -> None:
    office.api_key = "rotated"
    request = hand_off()
    request.refresh_from_db()
    assert request.send_state == SendState.FAILED and request.attempts == 1
    assert "HTTP 403" in request.last_error and "test-key" not in request.last_error


def test_a_token_is_swapped_for_the_request_id_once_the_back_office_has_one(
        hand_off, office) -> None:
    office.batch = True
    request = hand_off()
    request.refresh_from_db()
    assert request.send_state == SendState.SENT and request.token and not request.service_request_id
    client = GeoReportClient(base_url=office.url, api_key="test-key")
    request_check(request=request, client=client)
    request.refresh_from_db()
    assert request.service_request_id == ""
    rid = office.assign_token(request.token)
    request_check(request=request, client=client)
    request.refresh_from_db()
    assert request.service_request_id == rid
    assert BackOfficeRequest.objects.count() == 1
