"""Every output field of the triage pipeline, and odd input that must not break it."""

import unicodedata

import pytest

from townhall.triage.nlp.pipeline import OUTPUT_KEYS, Triager, triage_one


def test_it_fills_every_output_field_for_a_street_report() -> None:
    result = triage_one("Huge pothole outside 14 Mill Road, CB1 2AB, nearly came off my bike",
                        created_at="2026-01-10T09:00:00+00:00", message_id="m1")
    out = result.as_output()
    assert tuple(out) == OUTPUT_KEYS
    assert out["category"] == "roads_potholes"
    assert 0 < out["category_confidence"] <= 1
    assert out["priority"] == "normal"
    assert out["safeguarding"] is False and out["safeguarding_reasons"] == []
    assert out["language"] == "en"
    assert {"type": "postcode", "text": "CB1 2AB", "start": 35, "end": 42} in out["places"]
    assert any(p["type"] == "street" and p["text"] == "14 Mill Road" for p in out["places"])
    assert "[POSTCODE]" in out["redacted_text"] and "CB1 2AB" not in out["redacted_text"]


def test_it_marks_a_disclosure_critical_with_its_reason() -> None:
    result = triage_one("my husband hits me and I am scared to go home")
    assert result.priority == "critical"
    assert result.safeguarding and "domestic_abuse" in result.safeguarding_reasons


def test_it_gives_urgent_hazards_high_priority() -> None:
    assert triage_one("Exposed wires at the base of the lamp post by the school").priority == "high"
    assert triage_one("Water pouring into our house from the blocked drain").priority == "high"


def test_it_gives_thanks_low_priority_and_positive_sentiment() -> None:
    result = triage_one("Thank you to the crew who cleared our road so quickly, brilliant work!")
    assert result.category == "compliments"
    assert result.priority == "low"
    assert result.sentiment == "positive" and result.sentiment_score > 0


def test_it_reads_an_angry_complaint_as_negative() -> None:
    result = triage_one("Still waiting for my bin to be collected, third time this month. Useless.")
    assert result.sentiment == "negative" and result.sentiment_score < 0


def test_it_reports_welsh_for_a_welsh_message() -> None:
    assert triage_one("Mae'r golau stryd tu allan i'r tŷ wedi torri ers wythnos").language == "cy"


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "🙂🙂🙂", "שלום עולם مرحبا بالعالم",
                                  "a" * 3_000_000])
def test_it_survives_odd_input(text: str) -> None:
    out = triage_one(text).as_output()
    assert tuple(out) == OUTPUT_KEYS
    assert isinstance(out["redacted_text"], str)


def test_it_finds_a_disclosure_at_the_end_of_a_huge_message() -> None:
    assert triage_one("x " * 1_000_000 + "I want to kill myself").safeguarding


def test_it_treats_nfc_and_nfd_text_the_same() -> None:
    text = "Mae'r ffordd ar gau ger yr ysgol, mae'n beryglus iawn i'r plant"
    nfc, nfd = unicodedata.normalize("NFC", text + " â"), unicodedata.normalize("NFD", text + " â")
    assert triage_one(nfc).language == triage_one(nfd).language == "cy"
    assert triage_one(nfc).category == triage_one(nfd).category


def test_it_keeps_input_order_in_a_batch() -> None:
    messages = [{"id": str(i), "text": t} for i, t in enumerate(["dead fox on the road", "graffiti on the wall"])]
    results = list(Triager().triage_many(messages))
    assert [r.id for r in results] == ["0", "1"]
    assert [r.category for r in results] == ["dead_animal", "graffiti_flyposting"]
