"""Personal data spans and redaction."""

from townhall.triage.nlp.pii import find_pii, luhn_ok, redact


def _types(text: str) -> dict[str, str]:
    return {s.type: text[s.start:s.end] for s in find_pii(text)}


def test_it_finds_a_uk_mobile_number() -> None:
    assert _types("ring me on 07700 900123 please")["phone"] == "07700 900123"


def test_it_finds_an_email_address() -> None:
    assert _types("write to jo.bloggs@example.org today")["email"] == "jo.bloggs@example.org"


def test_it_finds_a_postcode() -> None:
    assert _types("I live in SW1A 1AA")["postcode"] == "SW1A 1AA"


def test_it_finds_a_national_insurance_number() -> None:
    assert _types("my NI is AB 12 34 56 C")["national_insurance"] == "AB 12 34 56 C"


def test_it_finds_a_luhn_valid_card_number_only() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert _types("card 4111 1111 1111 1111")["card_number"] == "4111 1111 1111 1111"
    assert "card_number" not in _types("card 4111 1111 1111 1112")


def test_it_redacts_each_span_with_its_type() -> None:
    text = "Call 07700 900123 or email a@b.com about CF10 1AA"
    assert redact(text, find_pii(text)) == "Call [PHONE] or email [EMAIL] about [POSTCODE]"


def test_it_leaves_text_without_personal_data_alone() -> None:
    text = "The street light on Elm Road has been out for 3 weeks"
    assert find_pii(text) == [] and redact(text, []) == text
