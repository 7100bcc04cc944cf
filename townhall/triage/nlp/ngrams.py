"""Counting a trained model's word and character n-grams, without scikit-learn.

The counts are exactly those of scikit-learn's CountVectorizer with a fixed
vocabulary (lowercased; word n-grams from the default token pattern, or `char_wb`
n-grams), so a model whose vocabulary scikit-learn fitted reads text the same
way here. It is faster: a word's character n-grams are looked up once and
cached, because the same words come back message after message, and all blocks
of a batch become one sparse matrix in one step. Prediction then needs neither
scikit-learn's import time nor its per-n-gram Python loop, and training builds
its feature matrix without the copies that stacking blocks would make.
"""

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

# scikit-learn's default token pattern: words of two or more word characters.
TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Distinct words remembered by a character counter before it starts again.
CACHE_LIMIT = 200_000
# Rows handled at a time, so temporary arrays stay small next to the result.
CHUNK = 4096


def char_wb_grams(word: str, min_n: int, max_n: int) -> list[str]:
    """A word's character n-grams as CountVectorizer(analyzer="char_wb") makes them."""
    padded = f" {word} "
    size = len(padded)
    grams = []
    for n in range(min_n, max_n + 1):
        if size <= n:
            # A word no longer than n counts once, whole, and longer n add nothing.
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def word_grams(tokens: list[str], min_n: int, max_n: int) -> list[str]:
    """Word n-grams as CountVectorizer(analyzer="word") makes them from `tokens`."""
    grams: list[str] = []
    for n in range(min_n, min(max_n, len(tokens)) + 1):
        # str.join is called from C, so no Python frame is built per n-gram.
        grams.extend(tokens if n == 1 else map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False)))
    return grams


def fit_vocabulary(
    lowered: Sequence[str],
    *,
    analyzer: str,
    ngram_range: Sequence[int],
    min_df: float = 1,
    max_df: float = 1.0,
    max_features: int | None = None,
) -> dict[str, int]:
    """The n-grams found in enough of the documents (and not in too many), numbered in sorted order.

    As CountVectorizer.fit chooses them (an int min_df or max_df is a number of
    documents, a float a share of them), except that `max_features` keeps the
    n-grams found in the most documents rather than those counted most often.
    """
    min_n, max_n = int(ngram_range[0]), int(ngram_range[1])
    found: Counter[str] = Counter()
    cache: dict[str, list[str]] = {}
    for doc in lowered:
        if analyzer == "word":
            found.update(set(word_grams(TOKEN.findall(doc), min_n, max_n)))
            continue
        grams: set[str] = set()
        for word in doc.split():
            known = cache.get(word)
            if known is None:
                known = cache[word] = char_wb_grams(word, min_n, max_n)
            grams.update(known)
        found.update(grams)
    n_docs = len(lowered)
    low = min_df if isinstance(min_df, int) else min_df * n_docs
    high = max_df if isinstance(max_df, int) else max_df * n_docs
    kept = [(count, term) for term, count in found.items() if low <= count <= high]
    if max_features is not None and len(kept) > max_features:
        kept = sorted(kept, key=lambda pair: (-pair[0], pair[1]))[:max_features]
    if not kept:
        raise ValueError("the texts have no words to learn from")
    return {term: i for i, term in enumerate(sorted(term for _, term in kept))}


class NgramCounter:
    """Column numbers of a document's n-grams in one vocabulary block, repeats included.

    `offset` is where the block starts among the columns of the whole matrix.
    """

    def __init__(
        self, vocabulary: dict[str, int], *, analyzer: str, ngram_range: Sequence[int], offset: int = 0
    ) -> None:
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"unsupported analyzer {analyzer!r}")
        self.vocabulary = vocabulary
        self.analyzer = analyzer
        self.min_n, self.max_n = int(ngram_range[0]), int(ngram_range[1])
        self.offset = offset
        self._cache: dict[str, tuple[int, ...]] = {}

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def add(self, lowered: str, columns: array) -> None:
        """Append the columns of `lowered` (already lowercased) to `columns`."""
        if self.analyzer == "word":
            self._add_words(lowered, columns)
        else:
            self._add_chars(lowered, columns)

    def _add_words(self, lowered: str, columns: array) -> None:
        found = map(self.vocabulary.get, word_grams(TOKEN.findall(lowered), self.min_n, self.max_n))
        offset = self.offset
        if offset:
            columns.extend([i + offset for i in found if i is not None])
        else:
            columns.extend([i for i in found if i is not None])

    def _add_chars(self, lowered: str, columns: array) -> None:
        cache = self._cache
        for word in lowered.split():
            found = cache.get(word)
            if found is None:
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                get, offset = self.vocabulary.get, self.offset
                grams = map(get, char_wb_grams(word, self.min_n, self.max_n))
                found = cache[word] = tuple(i + offset for i in grams if i is not None)
            columns.extend(found)


def count_matrix(counters: Sequence[NgramCounter], lowered: Sequence[str], *, dtype: Any = np.float32) -> Any:
    """A CSR matrix of n-gram counts: one row per lowercased document, the blocks side by side."""
    from scipy.sparse import csr_matrix

    width = max((c.offset + c.size for c in counters), default=0)
    chunks = []
    for start in range(0, len(lowered), CHUNK):
        columns = array("i")
        ends = [0]
        for doc in lowered[start : start + CHUNK]:
            for counter in counters:
                counter.add(doc, columns)
            ends.append(len(columns))
        indices = np.frombuffer(columns, dtype=np.int32) if columns else np.zeros(0, dtype=np.int32)
        chunk = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, np.asarray(ends, dtype=np.int64)),
            shape=(len(ends) - 1, width),
        )
        chunk.sum_duplicates()
        chunks.append(chunk)
    if len(chunks) == 1:
        return chunks[0].astype(dtype, copy=False)
    # Copied into arrays of the final size one chunk at a time, each chunk freed
    # as it goes, so the peak is the result plus one chunk rather than twice it.
    nnz = sum(c.nnz for c in chunks)
    data = np.empty(nnz, dtype=dtype)
    indices = np.empty(nnz, dtype=np.int32)
    indptr = np.zeros(len(lowered) + 1, dtype=np.int64)
    row = at = 0
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        data[at : at + chunk.nnz] = chunk.data
        indices[at : at + chunk.nnz] = chunk.indices
        indptr[row + 1 : row + 1 + chunk.shape[0]] = chunk.indptr[1:] + at
        row += chunk.shape[0]
        at += chunk.nnz
    return csr_matrix((data, indices, indptr), shape=(len(lowered), width), copy=False)


def tfidf_rows(counts: Any, idf: np.ndarray, bounds: Sequence[int]) -> Any:
    """(1 + log tf) * idf in place, each row scaled to unit length within each block.

    This is TfidfVectorizer(sublinear_tf=True) applied block by block; `bounds`
    are the first column of each block and the end of the last.
    """
    data, cols, indptr = counts.data, counts.indices, counts.indptr
    np.log(data, out=data)
    data += 1.0
    inner = np.asarray(bounds[1:-1])
    n_blocks = len(bounds) - 1
    for start in range(0, counts.shape[0], CHUNK):
        stop = min(start + CHUNK, counts.shape[0])
        a, b = int(indptr[start]), int(indptr[stop])
        part = data[a:b]
        part *= idf[cols[a:b]]
        rows = np.repeat(np.arange(stop - start), np.diff(indptr[start : stop + 1]))
        key = rows * n_blocks + np.searchsorted(inner, cols[a:b], side="right")
        norms = np.sqrt(np.bincount(key, weights=part * part, minlength=(stop - start) * n_blocks))
        norms[norms == 0.0] = 1.0
        part /= norms[key].astype(part.dtype)
    return counts
