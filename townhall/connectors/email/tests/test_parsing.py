"""MIME edge cases, parsed without any server."""

import pytest

from townhall.connectors.email.parsing import Skipped, email_item, reply_subject
from townhall.connectors.email.tests.mailboxes import eml
from townhall.connectors.email.text import html_to_text, trim_quoted
from townhall.ingest.items import IncomingItem, ItemError

COUNCIL = "contact@afon.test"


def item(raw: bytes) -> IncomingItem:
    parsed = email_item(raw, channel=COUNCIL, own_addresses={COUNCIL})
    assert isinstance(parsed, IncomingItem), parsed
    return parsed


def skipped(raw: bytes) -> Skipped:
    parsed = email_item(raw, channel=COUNCIL, own_addresses={COUNCIL})
    assert isinstance(parsed, Skipped), parsed
    return parsed


def simple(headers: str, body: str = "The bins were not collected.") -> bytes:
    base = ("From: Sam Hughes <sam@example.org>\r\nTo: contact@afon.test\r\n"
            "Date: Mon, 2 Mar 2026 08:00:00 +0000\r\nMessage-ID: <m1@example.org>\r\n")
    return (base + headers + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


def test_it_reads_a_plain_email_with_its_subject_as_the_first_line() -> None:
    parsed = item(eml("pothole.eml"))
    assert parsed.text.startswith("Pothole on Heol y Bont outside number 14\n\nHello,")
    assert parsed.platform_message_id == "CAF7x2k9Q3mPothole14@mail.example.org"
    assert parsed.author == "sam.hughes@example.org"
    assert parsed.author_name == "Sam Hughes"
    assert parsed.created_at.isoformat() == "2026-03-02T08:14:02+00:00"
    assert parsed.thread_id == "" and parsed.in_reply_to == ""


def test_it_decodes_welsh_in_encoded_headers_and_a_quoted_printable_body() -> None:
    parsed = item(eml("welsh-utf8.eml"))
    assert parsed.author_name == "Gwenllïan ap Dafydd"
    assert parsed.text.splitlines()[0] == "Biniau heb eu casglu ar Ffordd y Bryn — ŵyr a ŷd"
    assert "Mae'r ŵyn yn y cae drws nesaf a'r ŷd yn y lôn" in parsed.text


def test_it_decodes_iso_8859_1_headers_and_body() -> None:
    parsed = item(eml("latin1.eml"))
    assert parsed.author_name == "Siân Roberts"
    assert "y tu allan i'r café ar Stryd Fawr" in parsed.text
    assert parsed.text.endswith("Diolch, Siân")


def test_it_decodes_the_celtic_latin_8_charset() -> None:
    assert "Dŷ Gŵyn" in item(eml("latin8.eml")).text


def test_an_unknown_charset_still_gives_readable_text() -> None:
    raw = (b"From: sam@example.org\r\nMessage-ID: <odd@example.org>\r\n"
           b"Date: Mon, 2 Mar 2026 08:00:00 +0000\r\nSubject: Odd\r\n"
           b"Content-Type: text/plain; charset=x-made-up\r\n\r\nCaf\xc3\xa9 closed\r\n")
    assert item(raw).text == "Odd\n\nCafé closed"


def test_an_html_only_email_becomes_readable_text_without_its_quoted_history() -> None:
    parsed = item(eml("html-only.eml"))
    assert parsed.text == (
        "Street light out on Lon Glyndwr\n\nDear Council,\n\nThe street light by the bus "
        "stop on Lon Glyndwr has been out for a week.\nIt is very dark for people walking "
        "home.\n\nSee the map: Lon Glyndwr (https://maps.example.org/?q=lon+glyndwr)\n\n"
        "Kind regards,\nRhys Morgan")


def test_html_drops_styles_and_scripts_and_lists_items() -> None:
    text = html_to_text("<style>p{color:red}</style><script>alert(1)</script>"
                        "<p>Missed bins:</p><ul><li>Green</li><li>Blue</li></ul>")
    assert text == "Missed bins:\n\n- Green\n- Blue"


def test_it_prefers_text_plain_and_lists_attachments_as_metadata_only() -> None:
    parsed = item(eml("attachments.eml"))
    assert "<p>" not in parsed.text
    assert parsed.text.endswith("Photo and a map attached.")
    assert parsed.attachments == [
        {"type": "image", "filename": "sofa.jpg", "content_type": "image/jpeg", "size": 627},
        {"type": "file", "filename": "Map Tŷ Gwŵyn.pdf", "content_type": "application/pdf",
         "size": 45},
    ]


def test_a_reply_is_threaded_to_the_root_of_its_references_and_trimmed() -> None:
    parsed = item(eml("reply-quoted.eml"))
    assert parsed.thread_id == "CAF7x2k9Q3mPothole14@mail.example.org"
    assert parsed.in_reply_to == "townhall.reply1@afon.test"
    # A reply's subject is not repeated: the conversation already has it.
    assert parsed.text == "Thank you. It is getting bigger, there is now water in it."


def test_a_reply_with_only_in_reply_to_is_left_for_ingest_to_thread() -> None:
    parsed = item(simple("Subject: Re: Bins\r\nIn-Reply-To: <parent@afon.test>\r\n"))
    assert parsed.thread_id == ""
    assert parsed.in_reply_to == "parent@afon.test"


@pytest.mark.parametrize("quoted", [
    "Yes, Tuesday.\n\nOn Tue, 3 Mar 2026 at 10:00, Afon Council <contact@afon.test> wrote:\n"
    "> Which day were they missed?\n",
    "Yes, Tuesday.\n\nAr Maw, 3 Maw 2026 am 10:00, Cyngor Afon <contact@afon.test> "
    "ysgrifennodd:\n> Pa ddiwrnod?\n",
    "Yes, Tuesday.\n\n-----Original Message-----\nFrom: Afon Council\nWhich day?\n",
    "Yes, Tuesday.\n\n________________________________\nFrom: Afon Council <contact@afon.test>\n"
    "Sent: 03 March 2026 10:00\nSubject: Bins\n\nWhich day?\n",
    "Yes, Tuesday.\n\nFrom: Afon Council <contact@afon.test>\nSent: 03 March 2026 10:00\n"
    "Which day?\n",
])
def test_it_trims_the_quoted_history_mail_programs_add(quoted: str) -> None:
    assert trim_quoted(quoted) == "Yes, Tuesday."


def test_it_keeps_answers_written_between_quotes() -> None:
    assert trim_quoted("> Which street?\nHeol y Bont.\n> Which day?\nTuesday.") == \
        "Heol y Bont.\nTuesday."


def test_it_keeps_a_residents_own_words_that_only_look_like_an_attribution() -> None:
    text = "On Monday I wrote:\nthe bins were missed again."
    assert trim_quoted(text) == text


def test_an_email_that_is_all_quote_keeps_its_text() -> None:
    assert trim_quoted("> only a quote") == "> only a quote"


@pytest.mark.parametrize(("headers", "reason"), [
    ("Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"),
    ("Auto-Submitted: auto-generated\r\n", "Auto-Submitted: auto-generated"),
    ("Precedence: bulk\r\n", "Precedence: bulk"),
    ("Precedence: auto_reply\r\n", "Precedence: auto_reply"),
    ("X-Autoreply: yes\r\n", "X-Autoreply"),
])
def test_automatic_mail_is_skipped_with_the_reason(headers: str, reason: str) -> None:
    result = skipped(simple("Subject: Out of office\r\n" + headers))
    assert reason in result.reason
    assert result.message_id == "m1@example.org"


def test_auto_submitted_no_is_a_person_writing() -> None:
    assert item(simple("Subject: Bins\r\nAuto-Submitted: no\r\n")).author == "sam@example.org"


def test_bounces_are_skipped() -> None:
    assert "delivery report from mailer-daemon@mx.example.com" in skipped(eml("bounce.eml")).reason
    assert "out of the office" not in str(skipped(eml("auto-reply.eml")))


def test_the_councils_own_copy_of_a_reply_is_skipped() -> None:
    raw = simple("Subject: Re: Bins\r\n").replace(b"From: Sam Hughes <sam@example.org>",
                                                  b"From: Alice Jones <Contact@afon.test>")
    assert "council's own copy" in skipped(raw).reason


def test_an_email_without_a_message_id_gets_a_stable_one() -> None:
    raw = simple("Subject: Bins\r\n").replace(b"Message-ID: <m1@example.org>\r\n", b"")
    first, again = item(raw), item(raw)
    assert first.platform_message_id == again.platform_message_id
    assert first.platform_message_id.endswith("@townhall.invalid")


def test_an_email_without_a_sender_is_an_item_error() -> None:
    raw = simple("Subject: Bins\r\n").replace(b"From: Sam Hughes <sam@example.org>\r\n", b"")
    with pytest.raises(ItemError, match="no sender address"):
        email_item(raw, channel=COUNCIL, own_addresses={COUNCIL})


def test_a_missing_date_falls_back_to_when_the_server_received_it() -> None:
    from datetime import UTC, datetime

    raw = simple("Subject: Bins\r\n").replace(b"Date: Mon, 2 Mar 2026 08:00:00 +0000\r\n", b"")
    received = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    parsed = email_item(raw, channel=COUNCIL, own_addresses=set(), received_at=received)
    assert isinstance(parsed, IncomingItem) and parsed.created_at == received


@pytest.mark.parametrize(("subject", "expected"), [
    ("Pothole", "Re: Pothole"), ("Re: Pothole", "Re: Pothole"), ("RE: Re: Pothole", "Re: Pothole"),
    ("Ateb: Biniau", "Re: Biniau"), ("", "Re: your message"),
])
def test_reply_subjects_get_one_re(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected
