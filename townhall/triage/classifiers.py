"""Which classifier triages a council's messages: its own trained model, or the default."""

import logging
import threading
from pathlib import Path
from typing import Any

from townhall.triage.nlp.default_classifier import DefaultClassifier

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_default: DefaultClassifier | None = None
_trained: dict[tuple[int, str], Any] = {}


def _default_classifier() -> DefaultClassifier:
    global _default
    with _lock:
        if _default is None:
            _default = DefaultClassifier()
        return _default


def classifier_for(*, council_id: int) -> Any:
    """The council's active trained model if it has one, else the built-in classifier.

    Models are loaded once per process and per model directory, so a retrain takes
    effect as soon as it is activated, without a restart.
    """
    path = active_model_path(council_id=council_id)
    if path is None:
        return _default_classifier()
    key = (council_id, path)
    if key not in _trained:
        from townhall.triage.nlp.model import TrainedModel

        try:
            _trained[key] = TrainedModel.load(Path(path))
        except (OSError, ValueError) as error:
            logger.error("Cannot load the model at %s (%s); using the default.", path, error)
            return _default_classifier()
    return _trained[key]


def active_model_path(*, council_id: int) -> str | None:
    from townhall.triage.models import TrainedModelRecord

    record = (TrainedModelRecord.objects.filter(council_id=council_id, is_active=True)
              .order_by("-created_at").first())
    return record.path if record else None
