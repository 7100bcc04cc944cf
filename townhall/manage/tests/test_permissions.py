import pytest

from townhall.connectors.services import channel_create
from townhall.triage.services import taxonomy_install

ADMIN_ONLY = ["/manage/channels/", "/manage/categories/", "/manage/audit/",
              "/manage/users/invite/", "/manage/teams/add/", "/manage/channels/add/",
              "/manage/categories/add/", "/manage/audit/export.csv", "/manage/background/"]
READ_ONLY = ["/manage/", "/manage/users/", "/manage/teams/"]


def test_it_sends_a_stranger_to_sign_in(client, db) -> None:
    response = client.get("/manage/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", READ_ONLY + ADMIN_ONLY)
def test_it_shows_an_officer_the_403_page(client, alice, path) -> None:
    client.force_login(alice.user)
    response = client.get(path)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


@pytest.mark.parametrize("path", READ_ONLY)
def test_it_lets_a_supervisor_look_at_people_and_teams(client, bob, path) -> None:
    client.force_login(bob.user)
    response = client.get(path)
    assert response.status_code == 200
    assert "Add a person" not in response.content.decode()
    assert "Create a team" not in response.content.decode()


@pytest.mark.parametrize("path", ADMIN_ONLY)
def test_it_refuses_a_supervisor_any_change(client, bob, path) -> None:
    client.force_login(bob.user)
    assert client.get(path).status_code == 403


def test_it_refuses_a_supervisor_a_change_to_a_person(client, bob, alice, highways) -> None:
    client.force_login(bob.user)
    assert client.get(f"/manage/users/{alice.pk}/").status_code == 200
    for suffix in ["role/", "teams/", "password/", "deactivate/"]:
        assert client.post(f"/manage/users/{alice.pk}/{suffix}",
                           {"role": "admin"}).status_code == 403
    assert client.post(f"/manage/teams/{highways.pk}/rename/", {"name": "X"}).status_code == 403


@pytest.mark.parametrize("path", READ_ONLY + ADMIN_ONLY)
def test_it_lets_an_admin_in(client, dave, path) -> None:
    client.force_login(dave.user)
    assert client.get(path).status_code == 200


def test_it_hides_this_councils_objects_from_another_councils_admin(
    client, council, eve, alice, customer_services
) -> None:
    channel, _ = channel_create(council=council, platform="x", handle="@afon")
    category = taxonomy_install(council=council)[0]
    client.force_login(eve.user)
    for path in [f"/manage/users/{alice.pk}/", f"/manage/users/{alice.pk}/role/",
                 f"/manage/users/{alice.pk}/deactivate/",
                 f"/manage/teams/{customer_services.pk}/",
                 f"/manage/teams/{customer_services.pk}/members/",
                 f"/manage/channels/{channel.pk}/", f"/manage/channels/{channel.pk}/rotate/",
                 f"/manage/categories/{category.pk}/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.content.decode()
    response = client.post(f"/manage/channels/{channel.pk}/rotate/")
    assert response.status_code == 404
    assert "Afon" not in client.get("/manage/users/").content.decode()
