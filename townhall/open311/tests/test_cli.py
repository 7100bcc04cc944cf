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
