"""Triage NLP for Townhall: plain Python, no Django, no network, no pickle.

The Django app should only need what is re-exported here. Heavy modules
(scikit-learn) are imported lazily inside the trained-model code, so importing
this package stays fast.
"""

from townhall.triage.nlp.pipeline import (
    Triager,
    TriageResult,
    triage_batch,
    triage_one,
    triage_one_safe,
)

__all__ = ["TriageResult", "Triager", "triage_batch", "triage_one", "triage_one_safe"]
