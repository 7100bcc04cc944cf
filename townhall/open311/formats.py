"""GeoReport v2 in JSON and XML, one mapping for both (the spec's Spark convention).

A list is written as a container element whose children are named in the singular
(`services` holds `service`s, `service_requests` holds `request`s), a dict as an element
with one child per key, None as an empty element and a boolean as true or false.
"""

import json
from typing import Any
from xml.etree.ElementTree import Element, tostring

from defusedxml.ElementTree import ParseError, fromstring

SINGULAR = {
    "services": "service", "service_requests": "request", "errors": "error",
    "endpoints": "endpoint", "formats": "format", "attributes": "attribute",
    "values": "value", "service_request_updates": "request_update",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class FormatError(ValueError):
    """The body is not the JSON or XML it should be."""


def _element(name: str, value: Any) -> Element:
    element = Element(name)
    if isinstance(value, list):
        for item in value:
            element.append(_element(SINGULAR.get(name, "item"), item))
    elif isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def to_xml(root: str, value: Any) -> bytes:
    body = tostring(_element(root, value), encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def render(fmt: str, root: str, value: Any) -> bytes:
    return to_xml(root, value) if fmt == "xml" else to_json(value)


def _from_element(element: Element) -> Any:
    children = list(element)
    if element.tag in SINGULAR:
        return [_from_element(child) for child in children]
    if not children:
        return (element.text or "").strip()
    return {child.tag: _from_element(child) for child in children}


def parse_xml(body: bytes) -> Any:
    try:
        return _from_element(fromstring(body))
    except ParseError as error:
        raise FormatError(f"not valid XML ({error})") from None


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormatError(f"not valid JSON ({error})") from None


def parse(fmt: str, body: bytes) -> Any:
    return parse_xml(body) if fmt == "xml" else parse_json(body)


def as_list(value: Any) -> list[dict[str, Any]]:
    """A response that should be a list of objects; a single object counts as one."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]
