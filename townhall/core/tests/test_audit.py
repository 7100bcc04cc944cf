import pytest

from townhall.core.models import AppendOnlyError, AuditEvent


def test_creating_a_council_is_audited(council) -> None:
    event = AuditEvent.objects.get(council=council, action="council.created")
    assert event.actor_label == "cli"
    assert event.at.utcoffset().total_seconds() == 0


def test_an_audit_event_cannot_be_changed_or_deleted(council) -> None:
    event = AuditEvent.objects.get(council=council, action="council.created")
    event.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(council=council).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(council=council).delete()
