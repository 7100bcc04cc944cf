"""A resident chats from the council's website; an officer answers from the inbox."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import expect

from townhall.conftest import PASSWORD
from townhall.connectors.webchat.services import webchat_origins_set
from townhall.core.testing.browser import axe_violations, sign_in
from townhall.inbox.models import DeliveryStatus, Message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The council's page has styles of its own that must not reach the widget, and the
# widget's must not reach the page.
HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Contact us – Afon Borough Council</title>
<style>
  body {{ font-family: Georgia, serif; font-size: 20px; color: rgb(40, 40, 40); }}
  p {{ color: rgb(180, 0, 0); }}
  button {{ background: rgb(255, 105, 180); }}
  textarea, input {{ display: none; }}
</style></head>
<body><main><h1>Contact us</h1><p id="host-text">Report a problem or ask us a question.</p>
<script src="{townhall}/static/webchat/widget.js" data-channel="{key}" data-mode="{mode}" defer>
</script></main></body></html>"""


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

    def embed(self, *, townhall: str, channel: Any, mode: str = "chat") -> str:
        self.html = HOST_PAGE.format(townhall=townhall, key=channel.key, mode=mode)
        return f"{self.origin}/contact-us"


@pytest.fixture
def council_site() -> Iterator[CouncilSite]:
    site = CouncilSite()
    yield site
    site.server.shutdown()
    site.server.server_close()


def widget(page: Any) -> Any:
    return page.locator(".townhall-webchat")


def test_a_resident_chats_and_the_officers_reply_appears_in_the_widget(
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

    officer = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    try:
        inbox = officer.new_page()
        sign_in(inbox, live_server.url, "alice", PASSWORD)
        inbox.get_by_role("link", name="The street light outside 14 Church Road").click()
        inbox.get_by_label("Your reply to the resident").fill(
            "Thank you. An electrician will fix it by Friday.")
        inbox.get_by_role("button", name="Send reply").click()
        expect(inbox.get_by_text("Your reply is queued to send.")).to_be_visible()
        expect(inbox.locator(".th-message--out")).to_contain_text("Queued to send")

        reply = chat.locator(".thc-msg--council")
        expect(reply).to_contain_text("An electrician will fix it by Friday.", timeout=15_000)
        expect(chat.get_by_role("status")).to_contain_text(
            "New reply from the council: Thank you. An electrician will fix it by Friday.")
        assert axe_violations(page) == []

        # The widget confirms it; the thread no longer says it is waiting to be sent.
        out = Message.objects.get(direction="out")
        for _ in range(50):
            out.refresh_from_db()
            if out.delivery_status == DeliveryStatus.SENT:
                break
            page.wait_for_timeout(200)
        assert out.delivery_status == DeliveryStatus.SENT
        inbox.reload()
        expect(inbox.locator(".th-message--out")).not_to_contain_text("Queued to send")
    finally:
        officer.close()

    # Moving to another page of the site keeps the conversation, shown once.
    page.reload()
    expect(chat.locator(".thc-msg--council")).to_have_count(1)
    expect(chat.locator(".thc-msg--me")).to_have_count(1)


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

    page.get_by_role("link", name="Try the chat").click()
    chat = widget(page)
    chat.get_by_label("Your message").fill("Testing the chat from the preview page")
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".thc-msg--me")).not_to_contain_text("Sending")
    assert axe_violations(page) == []
    assert Message.objects.get(channel=chat_channel).text == \
        "Testing the chat from the preview page"
