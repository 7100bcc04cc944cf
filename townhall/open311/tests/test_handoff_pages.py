from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.core.models import AuditEvent
from townhall.inbox.models import Direction, Message
from townhall.open311.models import BackOffice, BackOfficeRequest, RequestUpdate, SendState
from townhall.open311.sync import backoffice_sweep
from townhall.shift.tests.helpers import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(council):
    return post(council, "huge pothole outside 12 Mill Lane, SW1A 1AA, call me on 07700 900123",
                attachments=[{"type": "image", "url": "https://photos.example/p.jpg"}])


def _form(**changes):
    data = {"service_code": "POT", "address_string": "12 Mill Lane", "postcode": "SW1A 1AA",
            "description": "Huge pothole", "media_url": "https://photos.example/p.jpg"}
    data.update(changes)
    return data


def test_the_form_starts_from_what_triage_found(signed_in, alice, backoffice,
                                                conversation) -> None:
    page = signed_in(alice).get(reverse("open311:handoff", args=[conversation.pk]))
    text = page.content.decode()
    assert 'value="12 Mill Lane"' in text and 'value="SW1A 1AA"' in text
    assert 'value="https://photos.example/p.jpg"' in text
    assert '<option value="POT" selected>' in text
    assert "07700 900123" not in text
    assert f"Townhall reference {conversation.reference}" in text


def test_an_officer_hands_off_without_contact_details(signed_in, alice, backoffice, office,
                                                      conversation,
                                                      django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                                         _form(email="sam@example.org", first_name="Sam"))
    assert response.status_code == 302
    request = BackOfficeRequest.objects.get(conversation=conversation)
    assert request.send_state == SendState.SENT and request.created_by == alice.user
    sent = office.received[-1]
    assert sent["service_code"] == "POT" and sent["address_string"] == "12 Mill Lane, SW1A 1AA"
    assert "email" not in sent and "first_name" not in sent
    assert request.email == "" and not request.contact_consent


def test_contact_details_go_only_when_the_resident_agreed(signed_in, alice, backoffice, office,
                                                          conversation,
                                                          django_capture_on_commit_callbacks
                                                          ) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                              _form(contact_consent="on", email="sam@example.org",
                                    first_name="Sam", last_name="Evans"))
    sent = office.received[-1]
    assert (sent["email"], sent["first_name"], sent["last_name"]) == (
        "sam@example.org", "Sam", "Evans")


def test_a_hand_off_without_a_place_is_explained(signed_in, alice, backoffice,
                                                 conversation) -> None:
    response = signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]),
                                     _form(address_string="", postcode="", lat="51.5"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter both latitude and longitude, or neither" in page
    assert not BackOfficeRequest.objects.exists()


def test_another_council_cannot_hand_off_our_conversation(signed_in, eve, backoffice,
                                                          conversation) -> None:
    client = signed_in(eve)
    assert client.get(reverse("open311:handoff", args=[conversation.pk])).status_code == 404
    assert client.post(reverse("open311:handoff", args=[conversation.pk]),
                       _form()).status_code == 404
    assert not BackOfficeRequest.objects.exists()


def test_the_conversation_page_shows_the_request_and_its_updates(signed_in, alice, backoffice,
                                                                 office, conversation,
                                                                 django_capture_on_commit_callbacks
                                                                 ) -> None:
    client = signed_in(alice)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Hand off to the back office" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("open311:handoff", args=[conversation.pk]), _form())
    request = BackOfficeRequest.objects.get()
    office.set_status(request.service_request_id, "closed", "Filled in.", push=False)
    backoffice_sweep(backoffice=backoffice)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert request.service_request_id in page and "Filled in." in page
    assert "Send this update to the resident" in page


def _closed(backoffice, office, conversation, status="fixed", note="Repaired this morning."):
    """The back office changes the request's status, and Townhall's sweep picks it up."""
    request = BackOfficeRequest.objects.get(conversation=conversation)
    office.set_status(request.service_request_id, status, note)
    backoffice_sweep(backoffice=backoffice)
    return request.updates.get(status=status)


@pytest.fixture
def handed_off(signed_in, alice, backoffice, office, conversation,
               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(alice).post(reverse("open311:handoff", args=[conversation.pk]), _form())
    return BackOfficeRequest.objects.get(conversation=conversation)


def test_telling_the_resident_is_a_normal_reply(signed_in, alice, backoffice, office,
                                                conversation, handed_off) -> None:
    client = signed_in(alice)
    update = _closed(backoffice, office, conversation)
    # The older link leads to the conversation, with the reply box started.
    link = client.get(reverse("open311:update-reply", args=[update.pk]))
    assert link.status_code == 302
    assert link["Location"].endswith(f"?about=backoffice-update-{update.pk}#id_reply-text")
    form = client.get(link["Location"]).content.decode()
    assert (f"An update on the problem you reported ({conversation.reference}): it has been "
            "fixed. The team&#x27;s note: Repaired this morning.</textarea>") in form
    assert "This reply tells the resident about the back-office update:" in form
    conversation.refresh_from_db()
    response = client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "Good news: the pothole is fixed.", "reply-version": conversation.version,
        "reply-idempotency_key": "k1", "reply-about": f"backoffice-update-{update.pk}"})
    assert response.status_code == 302
    reply = Message.objects.get(conversation=conversation, direction=Direction.OUT)
    assert reply.text.startswith("Good news: the pothole is fixed.") and reply.sent_by == alice.user
    assert reply.delivery_status == "queued"
    update.refresh_from_db()
    assert update.reply == reply
    assert AuditEvent.objects.filter(action="open311.update_told", actor=alice.user).exists()
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Resident told" in page and "Send this update to the resident" not in page


def test_a_back_office_update_is_not_a_message(signed_in, alice, backoffice, office,
                                               conversation, handed_off) -> None:
    client = signed_in(alice)
    conversation.refresh_from_db()
    before = (conversation.message_count, conversation.waiting_since,
              conversation.first_response_at, conversation.last_message_at)
    update = _closed(backoffice, office, conversation, "closed", "Filled in.")
    conversation.refresh_from_db()
    assert (conversation.message_count, conversation.waiting_since,
            conversation.first_response_at, conversation.last_message_at) == before
    assert Message.objects.filter(conversation=conversation).count() == 1
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert ">1 message</h2>" in page
    item = page[page.index(f'id="backoffice-update-{update.pk}"'):]
    item = item[:item.index("</li>")]
    assert "Back-office update" in item and "Highways system" in item
    assert "Not a message: the resident has not seen this." in item
    assert "Closed</strong>: Filled in." in item


def test_updates_sit_among_the_messages_in_time_order(signed_in, alice, backoffice, office,
                                                      conversation, handed_off) -> None:
    from townhall.inbox.services import conversation_reply

    client = signed_in(alice)
    first = _closed(backoffice, office, conversation, "investigating",
                    "Inspector visiting.")
    conversation.refresh_from_db()
    conversation_reply(conversation=conversation, text="We have passed it on.", by=alice,
                       version=conversation.version)
    later = RequestUpdate.objects.create(
        request=first.request, update_id="later", status="closed", description="Done.",
        updated_at=timezone.now() + timedelta(minutes=5), source="push")
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    order = [page.index(marker) for marker in (
        "huge pothole outside", f'id="backoffice-update-{first.pk}"', "We have passed it on.",
        f'id="backoffice-update-{later.pk}"')]
    assert order == sorted(order)


def test_the_update_wording_is_welsh_then_english_for_a_welsh_resident(
        signed_in, alice, council, backoffice, office,
        django_capture_on_commit_callbacks) -> None:
    conversation = post(council, "Mae twll mawr yn y ffordd tu allan i 12 Mill Lane, SW1A 1AA, "
                                 "bu bron i mi ddisgyn oddi ar fy meic")
    client = signed_in(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("open311:handoff", args=[conversation.pk]), _form())
    update = _closed(backoffice, office, conversation)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])
                      + f"?about=backoffice-update-{update.pk}").content.decode()
    text = page[page.index('name="reply-text"'):]
    text = text[text.index(">") + 1:text.index("</textarea>")]
    welsh, english = text.split("\n\n")
    assert welsh == (f"Diweddariad ar y broblem y rhoesoch wybod amdani "
                     f"({conversation.reference}): mae wedi&#x27;i drwsio.")
    assert english.startswith("An update on the problem you reported")
    from townhall.respond.welsh import has_welsh

    assert has_welsh(welsh.replace("&#x27;", "'") + "\n\n" + english)


def test_replies_about_updates_wait_for_approval_when_the_council_asks(
        signed_in, alice, bob, backoffice, office, conversation, handed_off) -> None:
    BackOffice.objects.filter(pk=backoffice.pk).update(updates_need_approval=True)
    client = signed_in(alice)
    update = _closed(backoffice, office, conversation)
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])
                      + f"?about=backoffice-update-{update.pk}").content.decode()
    assert "so it will wait for their approval" in page
    conversation.refresh_from_db()
    client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "It is fixed.", "reply-version": conversation.version,
        "reply-idempotency_key": "k2", "reply-about": f"backoffice-update-{update.pk}"})
    reply = Message.objects.get(conversation=conversation, direction=Direction.OUT)
    assert reply.delivery_status == "approval"
    assert reply.approval.reasons == [{"code": "backoffice-update", "label": "Replies about "
                                       "back-office updates need a supervisor's approval"}]
    page = client.get(reverse("inbox:conversation", args=[conversation.pk])).content.decode()
    assert "Reply waiting for a supervisor&#x27;s approval" in page
    # A plain reply, not about the update, is not held by this setting.
    conversation.refresh_from_db()
    client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": "Anything else?", "reply-version": conversation.version,
        "reply-idempotency_key": "k3"})
    assert Message.objects.get(idempotency_key="k3").delivery_status == "queued"


def test_a_reply_cannot_claim_another_conversations_update(signed_in, alice, council,
                                                           backoffice, office, conversation,
                                                           handed_off) -> None:
    client = signed_in(alice)
    update = _closed(backoffice, office, conversation)
    other = post(council, "Bins not collected on Mill Lane")
    response = client.post(reverse("inbox:reply", args=[other.pk]), {
        "reply-text": "Fixed!", "reply-version": other.version, "reply-idempotency_key": "k4",
        "reply-about": f"backoffice-update-{update.pk}"})
    assert response.status_code == 400
    assert "no longer in the conversation" in response.content.decode()
    assert not Message.objects.filter(direction=Direction.OUT).exists()
    update.refresh_from_db()
    assert update.reply is None


def test_another_council_cannot_follow_an_update_link(signed_in, eve, backoffice, office,
                                                      conversation, handed_off) -> None:
    update = _closed(backoffice, office, conversation)
    client = signed_in(eve)
    assert client.get(reverse("open311:update-reply", args=[update.pk])).status_code == 404


def test_admins_set_up_the_back_office_and_its_service_codes(signed_in, dave, council,
                                                             office) -> None:
    from townhall.open311.models import BackOffice, ServiceMapping
    from townhall.shift.tests.helpers import categories

    category = categories(council)["street_lighting"]
    client = signed_in(dave)
    response = client.post(reverse("open311:settings"), {
        "name": "Highways", "base_url": office.url, "api_key": "test-key", "format": "xml",
        "timeout_seconds": "5", "is_active": "on", "match_self_service": "on"})
    assert response.status_code == 302
    backoffice = BackOffice.objects.get(council=council)
    assert backoffice.api_key == "test-key" and "test-key" not in backoffice.api_key_encrypted
    check = client.post(reverse("open311:settings"), {"check": "yes"}).content.decode()
    assert "Street light not working" in check
    response = client.post(reverse("open311:mappings"), {f"code_{category.pk}": "LIGHT",
                                                         f"auto_{category.pk}": "on"})
    assert response.status_code == 302
    mapping = ServiceMapping.objects.get(category=category)
    assert mapping.service_code == "LIGHT" and mapping.send_automatically
    assert mapping.automatic_since is not None


def test_officers_cannot_change_the_back_office(signed_in, alice, bob) -> None:
    assert signed_in(alice).get(reverse("open311:settings")).status_code == 403


def test_the_thread_needs_no_query_per_update(signed_in, alice, backoffice, office, conversation,
                                              handed_off) -> None:
    from django.db import connection

    def queries(client, url):
        made = []

        def count(execute, sql, params, many, context):
            made.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            page = client.get(url).content.decode()
        return len(made), page

    client = signed_in(alice)
    url = reverse("inbox:conversation", args=[conversation.pk])
    first = _closed(backoffice, office, conversation, "investigating", "Looking.")
    client.get(url)
    one, _ = queries(client, url)
    RequestUpdate.objects.bulk_create([RequestUpdate(
        request=first.request, update_id=f"more-{n}", status="in_progress",
        description=f"Step {n}", updated_at=timezone.now(), source="push") for n in range(5)])
    six, page = queries(client, url)
    assert six == one and "Step 4" in page


def test_the_live_thread_refreshes_when_an_update_arrives(signed_in, alice, backoffice, office,
                                                          conversation, handed_off) -> None:
    client = signed_in(alice)
    live = reverse("inbox:live", args=[conversation.pk])
    first = client.get(live).content.decode()
    token = first.split("since=")[1].split("&")[0]
    assert client.get(f"{live}?since={token}").status_code == 204
    _closed(backoffice, office, conversation, "closed", "Filled in.")
    again = client.get(f"{live}?since={token}")
    assert again.status_code == 200 and "Filled in." in again.content.decode()
