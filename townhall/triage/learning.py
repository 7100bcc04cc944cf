"""The council model learns from its officers: retrain on what people confirmed.

Training rows are the first resident message of each conversation whose category a
person settled: corrected by an officer, or worked through to closed. A fifth of the
rows (chosen by id, so the same rows each time) is held back to compare the new model
with the one in use; the new one is switched on only if it scores better.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from townhall.core.models import Council
from townhall.core.services import audit_record
from townhall.inbox.models import Conversation, Message
from townhall.triage.classifiers import classifier_for
from townhall.triage.models import TrainedModelRecord
from townhall.triage.nlp.metrics import classification_report

logger = logging.getLogger(__name__)
MIN_ROWS = 50


@dataclass
class RetrainOutcome:
    record: TrainedModelRecord | None
    rows: int
    message: str


def training_rows(*, council: Council) -> list[tuple[int, str, str]]:
    """(conversation id, text, category code) for conversations a person settled."""
    from townhall.inbox.models import TriageCorrection

    corrected = TriageCorrection.objects.filter(conversation=OuterRef("pk"), field="category")
    settled = (Conversation.objects.filter(council=council, category__isnull=False)
               .filter(Q(status="closed") | Exists(corrected))
               .values_list("pk", "category__code"))
    labels = dict(settled)
    rows: dict[int, tuple[int, str, str]] = {}
    for conversation_id, text in (Message.objects.filter(
            conversation_id__in=list(labels), direction="in").order_by("created_at", "id")
            .values_list("conversation_id", "text")):
        if conversation_id not in rows and text.strip():
            rows[conversation_id] = (conversation_id, text, labels[conversation_id])
    return list(rows.values())


def model_retrain(*, council: Council, actor_label: str = "schedule") -> RetrainOutcome:
    from townhall.triage.nlp.model import train

    rows = training_rows(council=council)
    if len(rows) < MIN_ROWS:
        return RetrainOutcome(None, len(rows), f"Only {len(rows)} settled conversations; "
                              f"at least {MIN_ROWS} are needed to train.")
    held = [r for r in rows if r[0] % 5 == 0]
    train_rows = [r for r in rows if r[0] % 5 != 0]
    model = train([r[1] for r in train_rows], [r[2] for r in train_rows])
    truth = [r[2] for r in held]
    new = classification_report(truth, [p.label for p in model.predict([r[1] for r in held])])
    current = classifier_for(council_id=council.pk)
    old = classification_report(truth, [p.label for p in current.predict([r[1] for r in held])])
    folder = Path(settings.TOWNHALL_MODEL_DIR) / council.slug / timezone.now().strftime(
        "%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder)
    better = new["macro_f1"] > old["macro_f1"]
    with transaction.atomic():
        if better:
            TrainedModelRecord.objects.filter(council=council, is_active=True).update(
                is_active=False)
        record = TrainedModelRecord.objects.create(
            council=council, path=str(folder), training_rows=len(train_rows),
            accuracy=new["accuracy"], macro_f1=new["macro_f1"],
            previous_accuracy=old["accuracy"], previous_macro_f1=old["macro_f1"],
            is_active=better)
        audit_record(council=council, actor=None, actor_label=actor_label,
                     action="triage_model.trained", obj=record,
                     data={"rows": len(train_rows), "macro_f1": new["macro_f1"],
                           "previous_macro_f1": old["macro_f1"], "activated": better})
    verdict = "now in use" if better else "kept the current model, which scored as well or better"
    return RetrainOutcome(record, len(rows), (
        f"Trained on {len(train_rows):,} conversations, checked on {len(held):,}: "
        f"accuracy {old['accuracy']:.2f} → {new['accuracy']:.2f}, "
        f"macro-F1 {old['macro_f1']:.2f} → {new['macro_f1']:.2f}; {verdict}."))


def model_history(*, council: Council) -> list[TrainedModelRecord]:
    return list(TrainedModelRecord.objects.filter(council=council).order_by("-created_at")[:20])
