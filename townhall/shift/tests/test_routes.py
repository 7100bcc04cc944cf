import pytest

from townhall.shift.routes import (
    RouteTemplateError,
    RouteValues,
    places_values,
    template_check,
    template_fill,
)

FORM = "https://www.afon.example/report?category={category}&postcode={postcode}"


def test_it_fills_in_the_category_and_postcode() -> None:
    url = template_fill(FORM, RouteValues(category="potholes", postcode="SW1A 1AA"))
    assert url == "https://www.afon.example/report?category=potholes&postcode=SW1A%201AA"


def test_it_encodes_values_so_they_cannot_add_parameters_or_change_the_path() -> None:
    url = template_fill("https://www.afon.example/report/{street}?pc={postcode}",
                        RouteValues(street="../../evil?x=1#", postcode="a&next=https://evil"))
    assert url.startswith("https://www.afon.example/report/")
    assert "evil?x" not in url and "&next=" not in url
    assert url.count("?") == 1


@pytest.mark.parametrize(("template", "message"), [
    ("http://www.afon.example/report", "starting with https://"),
    ("www.afon.example/report", "starting with https://"),
    ("https://{place}.afon.example/report", "not in it"),
    ("https://evil.example@{street}/x", "not in it"),
    ("https://www.afon.example/report?u={username}", "{username} is not a placeholder"),
    ("https://www.afon.example/report?p={postcode!r}", "is not a placeholder"),
    ("https://www.afon.example/report?p={postcode.__class__}", "is not a placeholder"),
    ("https://www.afon.example/report?p={postcode", "not closed"),
])
def test_it_refuses_a_template_it_cannot_send_residents_to_safely(template: str,
                                                                  message: str) -> None:
    with pytest.raises(RouteTemplateError, match=message.replace("{", r"\{").replace("}", r"\}")):
        template_check(template)


def test_it_takes_the_first_postcode_street_and_place_triage_found() -> None:
    places = [{"type": "street", "text": "12 Mill Lane"}, {"type": "postcode", "text": "sw1a 1aa"},
              {"type": "postcode", "text": "CF10 1AA"}, {"type": "place", "text": "Afon"}]
    assert places_values(places) == ("SW1A 1AA", "12 Mill Lane", "Afon")
    assert places_values([]) == ("", "", "")
