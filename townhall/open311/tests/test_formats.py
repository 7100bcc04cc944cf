from townhall.open311.formats import as_list, parse_xml, to_json, to_xml

SPEC_SAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>The City will inspect within 24 hours</service_notice>
        <account_id/>
    </request>
</service_requests>"""


def test_it_reads_the_specs_xml_example() -> None:
    assert parse_xml(SPEC_SAMPLE) == [{"service_request_id": "293944", "account_id": "",
                                       "service_notice": "The City will inspect within 24 hours"}]


def test_it_writes_lists_with_singular_children_and_an_xml_declaration() -> None:
    body = to_xml("services", [{"service_code": "POT", "metadata": False, "group": None}])
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<services><service>')
    assert b"<metadata>false</metadata><group /></service></services>" in body
    assert parse_xml(body) == [{"service_code": "POT", "metadata": "false", "group": ""}]


def test_it_writes_discovery_as_an_object_with_nested_lists() -> None:
    body = to_xml("discovery", {"endpoints": [{"formats": ["text/xml", "application/json"]}]})
    assert b"<endpoints><endpoint><formats><format>text/xml</format>" in body
    assert to_json({"a": "é"}) == '{"a": "é"}'.encode()


def test_a_single_object_counts_as_a_list_of_one() -> None:
    assert as_list({"code": 403}) == [{"code": 403}]
    assert as_list("nonsense") == []
