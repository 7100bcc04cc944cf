import pytest

from townhall.cli import main
from townhall.open311.models import ApiKey
from townhall.open311.server import api_key_check

pytestmark = pytest.mark.django_db


def test_it_prints_a_new_key_that_works_and_keeps_only_its_hash(council, capsys) -> None:
    assert main(["open311", "key", "--council", "afon", "--name", "Reporting app"]) == 0
    raw = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(council=council)
    assert key.name == "Reporting app" and raw not in key.key_hash
    assert api_key_check(raw=raw) == key


def test_it_names_an_unknown_council(db) -> None:
    with pytest.raises(SystemExit, match="No council has the slug 'atlantis'"):
        main(["open311", "key", "--council", "atlantis"])


def test_the_test_back_office_starts_with_the_requests_townhall_sent_to_it(council) -> None:
    from townhall.open311.cli import _adopt_sent
    from townhall.open311.fake_backoffice import FakeBackOffice
    from townhall.open311.models import BackOfficeRequest, SendState
    from townhall.open311.services import backoffice_save
    from townhall.open311.sync import backoffice_sweep
    from townhall.shift.tests.helpers import post

    office = FakeBackOffice(api_key="demo-key", close_after=0).start()
    try:
        backoffice = backoffice_save(
            council=council, name="Highways", base_url=office.url, jurisdiction_id="",
            api_key_env="", api_key="demo-key", fmt="json", timeout_seconds=2,
            use_updates_extension=True, match_self_service=False, is_active=True, by=None)
        request = BackOfficeRequest.objects.create(
            council=council, conversation=post(council), service_code="POT",
            address_string="12 Mill Lane", send_state=SendState.SENT,
            service_request_id="HW-24100", status="investigating",
            status_notes="An inspector will visit.")
        assert _adopt_sent(office) == 1
        backoffice_sweep(backoffice=backoffice)
        backoffice.refresh_from_db()
        request.refresh_from_db()
        assert backoffice.last_sweep_error == ""
        assert request.status == "investigating" and not request.updates.exists()
    finally:
        office.stop()
