import random

from townhall.analytics.buckets import (
    BOUNDS,
    BUCKETS,
    band_bound_text,
    bucket_of,
    count_within,
    nearest_rank,
    percentile_bucket,
)


def test_a_percentile_from_bands_is_the_band_of_the_direct_percentile() -> None:
    rng = random.Random(7)
    for size in (1, 2, 3, 10, 99, 1000):
        values = [int(rng.lognormvariate(8.5, 1.4)) for _ in range(size)]
        histogram = [0] * BUCKETS
        for value in values:
            histogram[bucket_of(value)] += 1
        for q in (0.5, 0.9):
            assert percentile_bucket(histogram, q) == bucket_of(nearest_rank(values, q))


def test_it_puts_a_time_on_a_band_edge_in_the_lower_band() -> None:
    assert bucket_of(0) == 0
    assert bucket_of(15 * 60) == 0
    assert bucket_of(15 * 60 + 1) == 1
    assert bucket_of(BOUNDS[-1] + 1) == BUCKETS - 1


def test_it_counts_exactly_how_many_were_within_a_target() -> None:
    values = [60, 899, 900, 901, 7200, 7201, 10 ** 7]
    histogram = [0] * BUCKETS
    for value in values:
        histogram[bucket_of(value)] += 1
    assert count_within(histogram, 15) == 3
    assert count_within(histogram, 120) == 5


def test_it_says_a_band_in_plain_words() -> None:
    assert band_bound_text(5) == "2 h"
    assert band_bound_text(4) == "1 h 30 min"
    assert band_bound_text(BUCKETS - 1) == "more than 160 h"
    assert band_bound_text(None) == "–"
    assert percentile_bucket([0] * BUCKETS, 0.5) is None
