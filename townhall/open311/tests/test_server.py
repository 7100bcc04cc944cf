from xml.etree.ElementTree import fromstring

import pytest

from townhall.core.models import AuditEvent
from townhall.inbox.models import Conversation, Direction, Message
from townhall.ingest.models import RawEvent
from townhall.open311.models import ApiKey, Submission
from townhall.open311.server import api_key_create
from townhall.shift.models import LedgerEntry
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import categories, post, pothole_route

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REPORT = {"service_code": "roads_potholes", "lat": "51.501009", "long": "-0.141588",
          "address_string": "12 Mill Lane, SW1A 1AA", "description": "Huge pothole",
          "email": "sam@example.org", "first_name": "Sam", "last_name": "Evans",
          "media_url": "https://photos.example/pothole.jpg"}


@pytest.fixture
def key(council):
    categories(council)
    return api_key_create(council=council, name="Reporting app")[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_the_endpoint_and_both_formats(client, fmt) -> None:
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        endpoint = response.json()["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2")
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    else:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        formats = [f.text for f in fromstring(response.content).iter("format")]
        assert formats == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_list_the_councils_categories(client, council, fmt) -> None:
    categories(council)
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "afon"})
    assert response.status_code == 200
    if fmt == "json":
        pothole = next(s for s in response.json() if s["service_code"] == "roads_potholes")
        assert pothole == {"service_code": "roads_potholes", "service_name": "Roads and potholes",
                           "description": pothole["description"], "metadata": False,
                           "type": "realtime", "keywords": "", "group": "Street problems"}
    else:
        root = fromstring(response.content)
        assert root.tag == "services"
        codes = [s.findtext("service_code") for s in root.findall("service")]
        assert "roads_potholes" in codes
        assert root.find("service").findtext("metadata") == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_unknown_jurisdiction_is_an_error_in_the_specs_format(client, fmt) -> None:
    missing = client.get(f"{BASE}/services.{fmt}")
    unknown = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "atlantis"})
    assert (missing.status_code, unknown.status_code) == (400, 404)
    if fmt == "json":
        assert missing.json() == [{"code": 400,
                                   "description": "jurisdiction_id was not provided."}]
    else:
        root = fromstring(unknown.content)
        assert root.tag == "errors"
        assert root.find("error").findtext("code") == "404"
        assert "atlantis" in root.find("error").findtext("description")


def test_a_service_definition_has_no_extra_attributes(client, council) -> None:
    categories(council)
    found = client.get(f"{BASE}/services/roads_potholes.json", {"jurisdiction_id": "afon"})
    assert found.json() == {"service_code": "roads_potholes", "attributes": []}
    missing = client.get(f"{BASE}/services/nope.xml", {"jurisdiction_id": "afon"})
    assert missing.status_code == 404 and b"<code>404</code>" in missing.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_report_without_an_api_key_is_refused(client, council, key, fmt) -> None:
    for data in (REPORT, {**REPORT, "api_key": "o311_wrong"}):
        response = client.post(f"{BASE}/requests.{fmt}", data)
        assert response.status_code == 403
        text = response.content.decode()
        assert "api_key" in text and "403" in text
    assert not Submission.objects.exists() and not RawEvent.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_report_becomes_a_conversation_through_ingestion(client, council, key, fmt) -> None:
    response = client.post(f"{BASE}/requests.{fmt}", {**REPORT, "api_key": key})
    assert response.status_code == 200
    if fmt == "json":
        reference = response.json()[0]["service_request_id"]
    else:
        reference = fromstring(response.content).find("request").findtext("service_request_id")
    conversation = Conversation.objects.get(council=council, channel__platform="open311")
    assert reference == conversation.reference
    assert conversation.category.code == "roads_potholes"
    message = Message.objects.get(conversation=conversation)
    assert message.text.startswith("Huge pothole") and "12 Mill Lane, SW1A 1AA" in message.text
    assert message.raw_event is not None and message.author_name == "Sam Evans"
    assert message.attachments == [{"type": "image", "url": "https://photos.example/pothole.jpg"}]
    submission = Submission.objects.get(conversation=conversation)
    assert submission.postcode == "SW1A 1AA" and submission.email == "sam@example.org"
    assert AuditEvent.objects.filter(action="open311.report_received").exists()


@pytest.mark.parametrize(("change", "status", "text"), [
    ({"service_code": ""}, 400, "service_code was not provided"),
    ({"service_code": "nope"}, 404, "service_code 'nope' was not found"),
    ({"lat": "", "long": "", "address_string": ""}, 400, "A location is required"),
    ({"long": ""}, 400, "lat and long must be sent together"),
    ({"lat": "north"}, 400, "lat must be a number"),
    ({"long": "200"}, 400, "long must be between -180 and 180"),
    ({"email": "not-an-email"}, 400, "email is not a valid email address"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url must be an http or https URL"),
    ({"description": "x" * 4001}, 400, "description is longer than 4,000 characters"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_reports_get_the_specs_errors_and_store_nothing(client, council, key, change,
                                                            status, text, fmt) -> None:
    response = client.post(f"{BASE}/requests.{fmt}", {**REPORT, **change, "api_key": key})
    assert response.status_code == status
    if fmt == "json":
        assert text in " ".join(e["description"] for e in response.json())
    else:
        assert text in "".join(fromstring(response.content).itertext())
    assert not Submission.objects.exists()


def test_every_problem_is_listed_at_once(client, council, key) -> None:
    response = client.post(f"{BASE}/requests.json", {"api_key": key, "email": "bad"})
    descriptions = [e["description"] for e in response.json()]
    assert len(descriptions) == 3 and response.status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_request_shows_its_status_and_the_councils_reply(client, council, key, fmt) -> None:
    reference = client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key}).json()[0][
        "service_request_id"]
    conversation = Conversation.objects.get(council=council, channel__platform="open311")
    Message.objects.create(council=council, conversation=conversation,
                           channel=conversation.channel, direction=Direction.OUT,
                           text="Fixed this morning.", created_at=conversation.created_at,
                           received_at=conversation.created_at)
    Conversation.objects.filter(pk=conversation.pk).update(status="closed",
                                                           closed_at=conversation.created_at)
    response = client.get(f"{BASE}/requests/{reference}.{fmt}", {"api_key": key})
    assert response.status_code == 200
    if fmt == "json":
        found = response.json()[0]
        assert (found["status"], found["status_notes"]) == ("closed", "Fixed this morning.")
        assert found["requested_datetime"].endswith("Z") and found["zipcode"] == "SW1A 1AA"
        assert (found["lat"], found["long"]) == (51.501009, -0.141588)
    else:
        request = fromstring(response.content).find("request")
        assert request.findtext("status") == "closed"
        assert request.findtext("service_code") == "roads_potholes"


def test_requests_can_be_listed_by_id_status_and_service(client, council, key) -> None:
    first = client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key}).json()[0]
    client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key})
    ids = first["service_request_id"]
    assert len(client.get(f"{BASE}/requests.json", {"api_key": key}).json()) == 2
    assert [r["service_request_id"] for r in client.get(
        f"{BASE}/requests.json", {"api_key": key, "service_request_id": ids}).json()] == [ids]
    assert client.get(f"{BASE}/requests.json", {"api_key": key, "status": "closed"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"api_key": key,
                                                    "service_code": "roads_potholes"}).json()) == 2
    bad = client.get(f"{BASE}/requests.json", {"api_key": key, "start_date": "2026-01-01T00:00:00Z",
                                                "end_date": "2026-06-01T00:00:00Z"})
    assert bad.status_code == 400 and "90 days" in bad.json()[0]["description"]
    assert client.get(f"{BASE}/requests.json").status_code == 403


def test_a_key_sees_only_its_own_councils_requests(client, council, other_council, key) -> None:
    reference = client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key}).json()[0][
        "service_request_id"]
    categories(other_council)
    theirs = api_key_create(council=other_council, name="Their app")[1]
    assert client.get(f"{BASE}/requests/{reference}.json",
                      {"api_key": theirs}).status_code == 404
    assert client.get(f"{BASE}/requests.json", {"api_key": theirs}).json() == []
    wrong_place = client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key,
                                                        "jurisdiction_id": "elsewhere"})
    assert wrong_place.status_code == 404
    assert not Conversation.objects.filter(council=other_council).exists()


def test_a_token_gives_the_request_id(client, council, key) -> None:
    client.post(f"{BASE}/requests.json", {**REPORT, "api_key": key})
    submission = Submission.objects.get()
    found = client.get(f"{BASE}/tokens/{submission.token}.json", {"jurisdiction_id": "afon"})
    assert found.json() == [{"service_request_id": submission.conversation.reference,
                             "token": submission.token}]
    assert client.get(f"{BASE}/tokens/nope.json",
                      {"jurisdiction_id": "afon"}).status_code == 404


def test_a_report_carrying_a_tracked_links_reference_shifts_that_conversation(client, council,
                                                                              key) -> None:
    pothole_route(council)
    earlier = post(council)
    link = signpost_for(conversation=earlier).link
    response = client.post(f"{BASE}/requests.json", {
        **REPORT, "api_key": key, "attribute[townhall_reference]": link.token})
    entry = LedgerEntry.objects.get(conversation=earlier)
    assert entry.source == "open311_server"
    assert entry.external_reference == response.json()[0]["service_request_id"]


def test_an_unknown_method_is_a_404_in_the_specs_format(client) -> None:
    response = client.get(f"{BASE}/nothing.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


def test_keys_are_stored_hashed(council) -> None:
    key, raw = api_key_create(council=council, name="App")
    stored = ApiKey.objects.get(pk=key.pk)
    assert raw not in stored.key_hash and raw.startswith("o311_")
    assert raw not in str(AuditEvent.objects.get(action="open311.key_created").data)
