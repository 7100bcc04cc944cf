import pytest

from townhall.connectors.errors import UnknownPlatform
from townhall.connectors.facebook.connector import FacebookConnector
from townhall.connectors.registry import connector_class


def test_it_imports_a_connector_by_its_dotted_path() -> None:
    assert connector_class("facebook") is FacebookConnector


def test_it_names_the_known_connectors_for_an_unknown_platform() -> None:
    with pytest.raises(UnknownPlatform, match="no connector for 'myspace'.*facebook"):
        connector_class("myspace")
