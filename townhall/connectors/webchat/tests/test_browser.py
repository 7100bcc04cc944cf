"""A resident chats from the council's website; an officer answers from the inbox."""

import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.webchat.models import WebchatReceipt, WebchatSession
from townhall.connectors.webchat.services import webchat_origins_set
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import Conversation, DeliveryStatus, Message
from townhall.inbox.services import conversation_reply
from townhall.ingest.models import RawEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The council's page has styles of its own that must not reach the widget, and the
# widget's must not reach the page.
HOST_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font-family: Georgia, serif; font-size: 20px; color: rgb(40, 40, 40); }}
  p {{ color: rgb(180, 0, 0); }}
  button {{ background: rgb(255, 105, 180); }}
  textarea, input {{ display: none; }}
</style></head>
<body><main><h1>{heading}</h1><p id="host-text">{intro}</p>
<script src="{townhall}/static/webchat/widget.js" data-channel="{key}" data-mode="{mode}"{attrs} defer>
</script></main>
<footer style="height: 2400px"><p>{footer}</p></footer></body></html>"""
PAGES = {
    "en": {"title": "Contact us – Afon Borough Council", "heading": "Contact us",
           "intro": "Report a problem or ask us a question.", "footer": "Afon Borough Council"},
    "cy": {"title": "Cysylltu â ni – Cyngor Bwrdeistref Afon", "heading": "Cysylltu â ni",
           "intro": "Rhowch wybod am broblem neu gofynnwch gwestiwn i ni.",
           "footer": "Cyngor Bwrdeistref Afon"},
}


class CouncilSite:
    """The council's own website, on another origin than Townhall."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def embed(self, *, townhall: str, channel: Any, mode: str = "chat", lang: str = "en",
              attrs: str = "") -> str:
        self.html = HOST_PAGE.format(townhall=townhall, key=channel.key, mode=mode, lang=lang,
                                     attrs=attrs, **PAGES[lang])
        return f"{self.origin}/contact-us"


@pytest.fixture
def council_site() -> Iterator[CouncilSite]:
    site = CouncilSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


def widget(page: Any) -> Any:
    return page.locator(".townhall-webchat")


def eventually(page: Any, check: Callable[[], bool], *, seconds: float = 15) -> None:
    """Wait for something the widget does in its own time to reach the database."""
    for _ in range(int(seconds * 5)):
        if between_widget_requests(check):
            return
        page.wait_for_timeout(200)
    raise AssertionError("It did not happen in time.")


def between_widget_requests(work: Callable[[], Any], *, seconds: float = 10) -> Any:
    """Run the test's own database work, trying again while the widget's request holds
    the test database. (SQLite's shared in-memory test database refuses at once, where a
    real file database, and PostgreSQL, would wait.)"""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def officer_page(browser: Any, live_server: Any) -> tuple[Any, Any]:
    officer = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    inbox = officer.new_page()
    sign_in(inbox, live_server.url, "alice", PASSWORD)
    return officer, inbox


def test_a_resident_chats_and_the_officer_sees_the_reply_delivered_and_seen(
        live_server: Any, page: Any, browser: Any, council_site: CouncilSite,
        chat_channel: Any, alice: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel))
    chat = widget(page)
    expect(chat.get_by_role("heading", name="Chat with the council")).to_be_visible()
    assert axe_violations(page) == []

    # The page's styles stay on the page; the widget keeps its own.
    expect(page.locator("#host-text")).to_have_css("color", "rgb(180, 0, 0)")
    expect(chat.get_by_label("Your message")).to_be_visible()
    expect(chat.get_by_role("button", name="Send")).to_have_css("background-color",
                                                                "rgb(0, 112, 60)")

    # By keyboard alone: Tab into the message box, type, Tab to Send, press Enter.
    page.keyboard.press("Tab")
    expect(chat.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("The street light outside 14 Church Road has been out for a week")
    page.keyboard.press("Tab")
    expect(chat.get_by_role("button", name="Send")).to_be_focused()
    page.keyboard.press("Enter")
    mine = chat.locator(".thc-msg--me")
    expect(mine).to_contain_text("The street light outside 14 Church Road")
    expect(mine).not_to_contain_text("Sending")

    officer, inbox = officer_page(browser, live_server)
    try:
        inbox.get_by_role("link", name="The street light outside 14 Church Road").click()
        expect(inbox.locator("#th-chat-state")).to_contain_text(
            "The resident has this chat open in their browser.")
        inbox.get_by_label("Your reply to the resident").fill(
            "Thank you. An electrician will fix it by Friday.")
        inbox.get_by_role("button", name="Send reply").click()
        # Stored for the resident's chat to collect: not "queued", as for other platforms.
        expect(inbox.get_by_text("Your reply is stored for the resident. Their chat shows it "
                                 "when it is open.")).to_be_visible()

        reply = chat.locator(".thc-msg--council")
        expect(reply).to_contain_text("An electrician will fix it by Friday.", timeout=15_000)
        expect(chat.get_by_role("status")).to_contain_text(
            "New reply from the council: Thank you. An electrician will fix it by Friday.")
        assert axe_violations(page) == []

        # The widget has it and showed it on screen: the officer's thread follows, with
        # no reload, in words as well as colour.
        out = inbox.locator(".th-message--out .th-message__meta")
        expect(out.locator(".govuk-tag")).to_have_text("Seen", timeout=15_000)
        receipt = WebchatReceipt.objects.get()
        assert receipt.seen_at is not None
        delivered = timezone.localtime(receipt.delivered_at)
        seen = timezone.localtime(receipt.seen_at)
        expect(out).to_contain_text(f"delivered at {delivered:%H:%M}, seen at {seen:%H:%M}")
        assert Message.objects.get(direction="out").delivery_status == DeliveryStatus.SENT
        assert axe_violations(inbox) == []

        # Moving to another page of the site keeps the conversation, shown once.
        page.reload()
        expect(chat.locator(".thc-msg--council")).to_have_count(1)
        expect(chat.locator(".thc-msg--me")).to_have_count(1)

        # On a shared computer the resident clears the chat; the officer is told.
        chat.get_by_role("button", name="Clear this chat from this device").click()
        expect(chat.get_by_role("status")).to_have_text(
            "The chat has been cleared from this device.")
        expect(inbox.locator("#th-chat-state")).to_contain_text(
            "The resident cleared it from their device.", timeout=15_000)
        expect(inbox.locator("#th-chat-state")).to_contain_text(
            "Replies written here now will not reach the resident.")
    finally:
        officer.close()


def test_a_reply_out_of_sight_is_delivered_but_seen_only_when_on_screen(
        live_server: Any, page: Any, council_site: CouncilSite, chat_channel: Any,
        alice: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel))
    chat = widget(page)
    chat.get_by_label("Your message").fill("Is the recycling centre open on bank holidays?")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")

    # The resident scrolls down to the page's footer: the chat is off the screen.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    conversation = between_widget_requests(lambda: Conversation.objects.get(channel=chat_channel))
    reply = between_widget_requests(lambda: conversation_reply(
        conversation=conversation, text="Yes, from 8 until 4.", by=alice,
        version=conversation.version))
    expect(chat.locator(".thc-msg--council")).to_contain_text("from 8 until 4", timeout=15_000)
    eventually(page, lambda: WebchatReceipt.objects.filter(message=reply).exists())
    page.wait_for_timeout(3000)  # three times what the widget needs to count it seen
    assert between_widget_requests(
        lambda: WebchatReceipt.objects.get(message=reply).seen_at) is None

    chat.locator(".thc-msg--council").scroll_into_view_if_needed()
    eventually(page, lambda: WebchatReceipt.objects.get(message=reply).seen_at is not None)


def test_the_widget_speaks_welsh_on_a_welsh_page(live_server: Any, page: Any,
                                                 council_site: CouncilSite,
                                                 chat_channel: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel, lang="cy"))
    chat = widget(page)
    expect(chat.get_by_role("heading", name="Sgwrsio â'r cyngor")).to_be_visible()
    expect(chat.locator("section")).to_have_attribute("lang", "cy")
    chat.get_by_role("button", name="Anfon").click()
    expect(chat.get_by_label("Eich neges")).to_be_focused()
    expect(chat.get_by_role("alert")).to_have_text("Mae problem wedi codi: Rhowch eich neges")
    assert axe_violations(page) == []

    chat.get_by_label("Eich neges").fill("Mae golau'r stryd ar Heol yr Eglwys wedi diffodd")
    chat.get_by_role("button", name="Anfon").click()
    expect(chat.locator(".thc-msg--me")).to_contain_text("Chi")
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Yn anfon")
    chat.get_by_role("button", name="Clirio'r sgwrs hon o'r ddyfais hon").click()
    expect(chat.get_by_role("status")).to_have_text("Mae'r sgwrs wedi'i chlirio o'r ddyfais hon.")

    # The council's own choice on the script tag wins over the page's language.
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel, lang="cy",
                                 attrs=' data-lang="en"'))
    expect(widget(page).get_by_role("heading", name="Chat with the council")).to_be_visible()


def test_an_ended_chat_keeps_what_the_resident_typed_and_starts_afresh(
        live_server: Any, page: Any, browser: Any, council_site: CouncilSite,
        chat_channel: Any, alice: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel))
    chat = widget(page)
    box = chat.get_by_label("Your message")
    box.fill("My council tax bill is wrong")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")
    first = Conversation.objects.get(channel=chat_channel)
    reply = conversation_reply(conversation=first, text="Send us the bill number, please.",
                               by=alice, version=first.version)
    expect(chat.locator(".thc-msg--council")).to_contain_text("bill number", timeout=15_000)
    eventually(page, lambda: WebchatReceipt.objects.filter(message=reply).exists())

    # The tab stays open while the resident is away for more than a day (the laptop was
    # asleep: no poll got through), then they answer.
    page.route("**/replies*", lambda route: route.abort())
    WebchatSession.objects.update(last_seen_at=timezone.now() - timedelta(hours=25))
    box.fill("The number is 4471-2209")
    chat.get_by_role("button", name="Send").click()
    notice = chat.locator(".thc-notice")
    expect(notice.locator("p")).to_have_text(
        ["This chat has ended.", "Your message was not sent. It is still in the box below."])
    expect(box).to_have_value("The number is 4471-2209")
    # The old chat stays on screen to read until the resident starts a new one.
    expect(chat.locator(".thc-msg--council")).to_contain_text("bill number")
    expect(chat.locator(".thc-msg--me")).to_have_count(1)
    assert axe_violations(page) == []
    page.unroute("**/replies*")

    # What is in the box is kept on the device as it is typed, even across pages.
    box.press("End")
    box.press_sequentially(" (March bill)")
    page.wait_for_timeout(600)
    page.reload()
    expect(notice).to_contain_text("This chat has ended.")
    expect(box).to_have_value("The number is 4471-2209 (March bill)")

    chat.get_by_role("button", name="Start a new chat").click()
    expect(box).to_be_focused()
    expect(chat.get_by_role("status")).to_have_text("New chat started.")
    expect(chat.locator(".thc-msg")).to_have_count(0)
    expect(box).to_have_value("The number is 4471-2209 (March bill)")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")
    assert list(Conversation.objects.filter(channel=chat_channel).order_by("id")
                .values_list("subject", flat=True)) == [
        "My council tax bill is wrong", "The number is 4471-2209 (March bill)"]

    # The old conversation is still in the inbox, and says when and why the chat ended.
    officer, inbox = officer_page(browser, live_server)
    try:
        inbox.goto(f"{live_server.url}/conversations/{first.pk}/")
        state = inbox.locator("#th-chat-state")
        expect(state).to_contain_text("Chat ended")
        expect(state).to_contain_text("The resident's chat had not been open since")
        # The reply box says so before the officer writes. The resident gave no email
        # address in the chat, so there is nothing else to offer.
        warning = inbox.locator("#reply-chat-ended")
        expect(warning).to_contain_text(re.compile(
            r"This chat ended (at|on \d+ \w+ at) \d\d:\d\d\. The resident will not see a "
            r"reply here\."))
        expect(inbox.get_by_label(re.compile("Send it by email"))).to_have_count(0)
        assert axe_violations(inbox) == []
        inbox.get_by_label("Your reply to the resident").fill("Please send the bill number.")
        inbox.get_by_role("button", name="Send reply").click()
        expect(inbox.get_by_text("Your reply is stored here, but the resident's chat has "
                                 "ended, so they will not see it.")).to_be_visible()
    finally:
        officer.close()


def test_oversized_and_broken_posts_get_a_clear_answer_and_nothing_is_lost(
        live_server: Any, page: Any, council_site: CouncilSite, chat_channel: Any,
        settings: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel))
    chat = widget(page)
    box = chat.get_by_label("Your message")

    # The widget knows the limit and says so before sending anything.
    box.fill("x" * 4001)
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_role("alert")).to_have_text(
        "There is a problem: Your message must be 4,000 characters or fewer")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert len(box.input_value()) == 4001
    assert not RawEvent.objects.exists()

    # A server that takes less than the widget expects (a proxy, say) refuses it: the
    # message goes back into the box with the reason, not into the chat as sent.
    settings.TOWNHALL_WEBCHAT_MAX_BODY_BYTES = 300
    account = "Water is coming up through the road on Riverside Walk. " * 8
    box.fill(account)
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_role("alert")).to_have_text(
        "There is a problem: Your message is too long to send. Make it shorter and try again.")
    expect(box).to_have_value(account.strip())
    expect(chat.locator(".thc-msg--me")).to_have_count(0)
    assert not RawEvent.objects.exists()
    del settings.TOWNHALL_WEBCHAT_MAX_BODY_BYTES

    # Posts a broken or hostile script on the page might make get answers it can read.
    token = page.evaluate(
        "key => JSON.parse(localStorage.getItem('townhall-webchat:' + key)).token",
        chat_channel.key)
    answers = page.evaluate("""async ([url, token]) => {
        const post = (body) => fetch(url, {method: "POST", body, headers: {
            "Content-Type": "application/json", "Authorization": "Bearer " + token}})
          .then(async (r) => [r.status, (await r.json()).error]);
        const big = '{"id": "msg-0001-huge", "text": "' + "x".repeat(3 * 1024 * 1024) + '"}';
        return [await post(big), await post('{"id": "msg-0001-half", "text": "The bins')];
    }""", [f"{live_server.url}/webchat/{chat_channel.key}/messages", token])
    assert answers == [
        [413, "The message is too long to send. Keep it under 4,000 characters."],
        [400, "The message could not be read. Send it as JSON."]]

    # And the resident's message, shortened, goes through.
    box.fill("Water coming up through the road on Riverside Walk.")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")
    assert Message.objects.get(channel=chat_channel).text == \
        "Water coming up through the road on Riverside Walk."


def test_a_resident_sends_the_contact_form(live_server: Any, page: Any,
                                           council_site: CouncilSite,
                                           chat_channel: Any) -> None:
    webchat_origins_set(channel=chat_channel, origins=[council_site.origin], by=None)
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel, mode="form"))
    form = widget(page)
    form.get_by_role("button", name="Send message").click()
    expect(form.get_by_text("Enter your name").first).to_be_visible()
    expect(form.get_by_label("Your name")).to_be_focused()
    expect(form.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == []

    form.get_by_label("Your name").fill("Sam Evans")
    form.get_by_label("Email address").fill("sam@example.org")
    form.get_by_label("Postcode (optional)").fill("ac1 2bd")
    form.get_by_label("Your message").fill("Fly-tipped mattress behind the library")
    form.get_by_role("button", name="Send message").click()
    thanks = form.get_by_text("Thank you. We have your message.")
    expect(thanks).to_be_focused()
    expect(form.get_by_label("Your name")).to_be_hidden()
    expect(form.get_by_label("Add to your message")).to_be_visible()
    assert axe_violations(page) == []

    message = Message.objects.get(channel=chat_channel)
    assert message.author_name == "Sam Evans"
    assert message.text.endswith("Email: sam@example.org\nPostcode: AC1 2BD")


def test_a_website_the_admin_did_not_list_cannot_use_the_chat(live_server: Any, page: Any,
                                                              council_site: CouncilSite,
                                                              chat_channel: Any) -> None:
    page.goto(council_site.embed(townhall=live_server.url, channel=chat_channel))
    chat = widget(page)
    chat.get_by_label("Your message").fill("Hello from a site that is not listed")
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_role("alert")).to_contain_text("cannot connect")
    expect(chat.locator(".thc-msg--me")).to_contain_text("Not sent yet")
    assert not Message.objects.exists()


def test_an_admin_gets_the_embed_code_and_tries_the_chat(live_server: Any, page: Any,
                                                         chat_channel: Any, dave: Any) -> None:
    sign_in(page, live_server.url, "dave", PASSWORD)
    page.goto(f"{live_server.url}/manage/channels/{chat_channel.pk}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Get the embed code and allowed websites").click()
    expect(page.locator("#snippet-chat")).to_contain_text(f'data-channel="{chat_channel.key}"')
    assert axe_violations(page) == []

    hours = page.get_by_label("End a chat when the resident has been away for this many hours")
    hours.fill("a day")
    page.get_by_role("button", name="Save how long chats last").click()
    page.get_by_role("link", name="Enter the hours as a whole number, like 24").click()
    expect(hours).to_be_focused()
    assert axe_violations(page) == []
    hours.fill("12")
    page.get_by_role("button", name="Save how long chats last").click()
    expect(page.get_by_text("How long chats last has been saved.")).to_be_visible()
    expect(hours).to_have_value("12")

    page.get_by_role("link", name="Try the chat").click()
    chat = widget(page)
    chat.get_by_label("Your message").fill("Testing the chat from the preview page")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")
    assert axe_violations(page) == []
    assert Message.objects.get(channel=chat_channel).text == \
        "Testing the chat from the preview page"
