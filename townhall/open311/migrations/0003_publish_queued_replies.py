"""Replies on the Open311 reports channel were left "queued" although the reporting app
already read them as the request's status_notes. They were published when stored, so
they are marked sent, as new ones now are (decision 606)."""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat


def publish_queued(apps, schema_editor):
    Message = apps.get_model("inbox", "Message")
    Message.objects.filter(channel__platform="open311", direction="out",
                           delivery_status="queued").update(
        delivery_status="sent",
        platform_message_id=Concat(Value("open311-reply-"), Cast("id", CharField())))


class Migration(migrations.Migration):

    dependencies = [
        ("open311", "0002_backoffice_updates_need_approval"),
        ("inbox", "0005_response_times_and_bilingual_replies"),
    ]

    operations = [
        migrations.RunPython(publish_queued, migrations.RunPython.noop),
    ]
