"""One message's normalised forms, computed once and shared by the matchers.

Several steps read the same text: the classifier and incident grouping want its
stems, sentiment wants it casefolded, safeguarding and priority want it folded.
Each step limits how much it reads (4,000 characters for the classifier, 2,000
for grouping and sentiment, 20,000 for priority, all of it for safeguarding).
When the message is shorter than a limit, the normalised whole is the same as
the normalised prefix, so one copy serves them all; a longer message gets its
own copy for that step, exactly as if the step had run alone.
"""

from functools import cached_property

from townhall.triage.nlp.text import fold, normalise, stems

# The classifier's limit; its stems are kept because grouping usually reuses them.
_SHARED_LIMIT = 4000


class Prepared:
    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lowered(self) -> str:
        """normalise() of the whole text."""
        return normalise(self.text)

    @cached_property
    def folded(self) -> str:
        """normalise_for_matching() of the whole text."""
        return fold(self.lowered)

    def lowered_prefix(self, limit: int) -> str:
        """normalise(text[:limit]), reusing the whole-text copy when the text is short."""
        return self.lowered if len(self.text) <= limit else normalise(self.text[:limit])

    def folded_prefix(self, limit: int) -> str:
        """normalise_for_matching(text[:limit]), likewise."""
        return self.folded if len(self.text) <= limit else fold(normalise(self.text[:limit]))

    @cached_property
    def _shared_stems(self) -> list[str]:
        return stems(self.lowered_prefix(_SHARED_LIMIT))

    def stems_prefix(self, limit: int) -> list[str]:
        """stems(normalise(text[:limit])); callers must not change the list."""
        if limit == _SHARED_LIMIT or len(self.text) <= min(limit, _SHARED_LIMIT):
            return self._shared_stems
        return stems(self.lowered_prefix(limit))
