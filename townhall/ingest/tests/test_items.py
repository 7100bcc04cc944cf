import pytest

from townhall.conftest import message_data
from townhall.ingest.items import ItemError, parse_item


def test_it_parses_a_complete_message() -> None:
    item = parse_item(message_data(thread_id="t1", in_reply_to="m0", direction="out",
                                   attachments='[{"type": "image", "url": "https://x.invalid/a.jpg"}]'))
    assert item.platform == "facebook"
    assert item.direction == "out"
    assert item.attachments == [{"type": "image", "url": "https://x.invalid/a.jpg"}]
    assert item.created_at.utcoffset() is not None


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"created_at": "2026-03-02T09:15:00"}, "time zone"),
        ({"created_at": "yesterday"}, "ISO 8601"),
        ({"platform": "myspace"}, "not one Townhall knows"),
        ({"platform_message_id": ""}, "'platform_message_id' is missing"),
        ({"author": None}, "'author' is missing"),
        ({"direction": "sideways"}, "'in' or 'out'"),
        ({"text": "bad\x00byte"}, "NUL"),
        ({"text": "", "attachments": []}, "no text and no attachments"),
        ({"attachments": "not json"}, "JSON list"),
        ({"text": 42}, "must be text"),
    ],
)
def test_it_rejects_an_invalid_message_with_a_reason(overrides: dict, reason: str) -> None:
    with pytest.raises(ItemError, match=reason):
        parse_item(message_data(**overrides))


def test_it_treats_nfc_and_nfd_text_as_the_same_content() -> None:
    nfc = parse_item(message_data(text="Caf\u00e9 bins in Ysgol G\u0175yr"))
    nfd = parse_item(message_data(text="Cafe\u0301 bins in Ysgol Gw\u0302yr"))
    assert nfc.text != nfd.text
    assert nfc.content_hash() == nfd.content_hash()


def test_it_sees_an_edited_text_as_different_content() -> None:
    first = parse_item(message_data(text="Pothole on Mill Lane"))
    edited = parse_item(message_data(text="Pothole on Mill Lane, now huge"))
    assert first.content_hash() != edited.content_hash()
