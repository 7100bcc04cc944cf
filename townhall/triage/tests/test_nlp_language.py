"""English and Welsh must be told apart; other scripts get a best guess."""

import pytest

from townhall.triage.nlp.language import detect_language

WELSH = [
    "Mae'r bin heb gael ei gasglu ers pythefnos",
    "Dw i eisiau siarad â rhywun am fy nhreth cyngor",
    "Diolch yn fawr am drwsio'r twll yn y ffordd",
    "Mae coeden wedi syrthio ar draws y llwybr ger yr ysgol",
    "Pryd fydd y llyfrgell yn ailagor?",
]
ENGLISH = [
    "The bin hasn't been collected for two weeks",
    "Llanelli Road has a massive pothole near the school",
    "Thanks for fixing the street light so quickly",
    "Dog mess all over the pavement on Church Lane",
]


@pytest.mark.parametrize("text", WELSH)
def test_it_recognises_welsh(text: str) -> None:
    assert detect_language(text) == "cy"


@pytest.mark.parametrize("text", ENGLISH)
def test_it_recognises_english_even_with_welsh_place_names(text: str) -> None:
    assert detect_language(text) == "en"


def test_it_guesses_other_languages_by_script_and_letters() -> None:
    assert detect_language("Dzień dobry, śmieci nie zostały zabrane") == "pl"
    assert detect_language("میرا کوڑا نہیں اٹھایا گیا ہے") == "ur"


def test_it_says_undetermined_when_there_are_no_letters() -> None:
    assert detect_language("12345 !!!") == "und"
