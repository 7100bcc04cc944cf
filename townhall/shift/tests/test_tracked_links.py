from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from townhall.shift.models import LinkVisitor, TrackedLink
from townhall.shift.services import NotSignpostable, route_remove, route_save, tracked_link_get_or_create
from townhall.shift.signpost import signpost_for
from townhall.shift.tests.helpers import categories, post, pothole_route

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile Safari/604.1"


def _go(client, token, *, agent=BROWSER, address="203.0.113.7", method="get"):
    return getattr(client, method)(reverse("shift-go", args=[token]), HTTP_USER_AGENT=agent,
                                   REMOTE_ADDR=address)


def test_it_suggests_a_reply_with_a_tracked_link_for_a_reportable_problem(council) -> None:
    route = pothole_route(council)
    conversation = post(council)
    signpost = signpost_for(conversation=conversation)
    assert signpost is not None and signpost.route == route
    assert signpost.text.startswith("Thanks for letting us know, Sam.")
    assert f"/go/{signpost.link.token}" in signpost.text
    assert "Mark the pothole on the map" in signpost.text
    query = parse_qs(urlsplit(signpost.destination).query)
    assert query == {"category": ["potholes"], "postcode": ["SW1A 1AA"],
                     "ref": [signpost.link.token]}
    assert signpost.sent_at is None


def test_the_panel_says_when_the_link_was_sent(signed_in, alice, council) -> None:
    pothole_route(council)
    conversation = post(council)
    client = signed_in(alice)
    url = reverse("inbox:conversation", args=[conversation.pk])
    text = signpost_for(conversation=conversation).text
    assert "The link went to the resident" not in client.get(url).content.decode()
    client.post(reverse("inbox:reply", args=[conversation.pk]), {
        "reply-text": text, "reply-version": conversation.version,
        "reply-idempotency_key": "k-1"})
    assert "The link went to the resident on" in client.get(url).content.decode()


def test_it_suggests_in_welsh_to_a_resident_who_wrote_in_welsh(council) -> None:
    pothole_route(council)
    conversation = post(council, "Mae twll mawr yn y ffordd ar Heol y Bont, CF10 1AA",
                        language="cy", category=categories(council)["roads_potholes"])
    signpost = signpost_for(conversation=conversation)
    assert signpost.language == "cy"
    assert signpost.text.startswith("Diolch am roi gwybod i ni")
    assert "Marciwch y twll" in signpost.text


def test_it_makes_one_unguessable_link_per_conversation_and_route(council) -> None:
    route = pothole_route(council)
    first, second = post(council), post(council)
    link = tracked_link_get_or_create(conversation=first, route=route)
    assert tracked_link_get_or_create(conversation=first, route=route) == link
    other = tracked_link_get_or_create(conversation=second, route=route)
    assert other.token != link.token
    assert len(link.token) == 16 and str(first.pk) not in link.token


@pytest.mark.parametrize("fields", [{"safeguarding": True}, {"priority": "critical"}])
def test_it_never_signposts_safeguarding_or_critical_conversations(council, fields) -> None:
    route = pothole_route(council)
    conversation = post(council, **fields)
    signpost = signpost_for(conversation=conversation)
    assert signpost.blocked and "A person must answer it" in signpost.blocked
    assert signpost.link is None
    with pytest.raises(NotSignpostable):
        tracked_link_get_or_create(conversation=conversation, route=route)
    assert not TrackedLink.objects.filter(conversation=conversation).exists()


def test_it_suggests_nothing_where_the_category_is_not_a_reportable_problem(council) -> None:
    route = pothole_route(council)
    route_save(category=route.category, url_template=route.url_template,
               resident_action="Pay online", is_reportable=False, by=None)
    assert signpost_for(conversation=post(council)) is None


def test_a_click_redirects_to_the_form_with_the_category_and_postcode(client, council) -> None:
    pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    response = _go(client, link.token)
    assert response.status_code == 302
    assert response["Location"] == (
        "https://www.afon.example/report?category=potholes&postcode=SW1A%201AA"
        f"&ref={link.token}")
    assert response["Cache-Control"] == "no-store"
    link.refresh_from_db()
    assert (link.visitors, link.repeat_clicks) == (1, 0) and link.first_clicked_at


def test_repeat_clicks_count_once_per_visitor_and_separately_as_repeats(client,
                                                                        council) -> None:
    pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    for _ in range(3):
        _go(client, link.token)
    _go(client, link.token, address="198.51.100.20")
    link.refresh_from_db()
    assert (link.visitors, link.repeat_clicks) == (2, 2)
    # Nothing that identifies the visitor is stored: only a keyed hash.
    keys = list(LinkVisitor.objects.filter(link=link).values_list("visitor_key", flat=True))
    assert len(keys) == 2 and all("203.0.113.7" not in k and len(k) == 32 for k in keys)


@pytest.mark.parametrize("agent", ["facebookexternalhit/1.1", "Twitterbot/1.0", "",
                                   "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1)"])
def test_link_previews_are_redirected_but_not_counted(client, council, agent) -> None:
    pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    assert _go(client, link.token, agent=agent).status_code == 302
    link.refresh_from_db()
    assert link.visitors == 0 and link.repeat_clicks == 0


def test_an_officer_checking_the_link_is_not_counted(signed_in, alice, council) -> None:
    pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    assert _go(signed_in(alice), link.token).status_code == 302
    link.refresh_from_db()
    assert link.visitors == 0


def test_an_unknown_token_gets_a_plain_page_and_no_redirect(client, council) -> None:
    response = _go(client, "not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert "Location" not in response


def test_a_removed_route_stops_the_link_without_sending_anyone_elsewhere(client,
                                                                         council) -> None:
    route = pothole_route(council)
    link = signpost_for(conversation=post(council)).link
    route_remove(route=route, by=None)
    response = _go(client, link.token)
    assert response.status_code == 410
    assert "no longer works" in response.content.decode()


def test_the_link_only_ever_leads_to_the_site_the_council_configured(client, council) -> None:
    pothole_route(council, "https://www.afon.example/report/{street}?pc={postcode}")
    conversation = post(council, "pothole on Evil Road https://evil.example/x SW1A 1AA")
    link = signpost_for(conversation=conversation).link
    location = _go(client, link.token)["Location"]
    assert urlsplit(location).netloc == "www.afon.example"
    assert location.startswith("https://www.afon.example/report/")
