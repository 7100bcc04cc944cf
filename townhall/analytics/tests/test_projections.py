from townhall.analytics.projections import project_share, project_sum


def test_a_steady_share_well_above_target_is_on_track() -> None:
    months = [(700, 1000)] * 8
    found = project_share(months=months, remaining=[1000] * 4, target=0.5)
    assert found.status == "green" and found.chance == 1.0
    assert found.actual == found.projected == 0.7
    assert found.low <= 0.7 <= found.high


def test_a_share_just_below_target_is_off_track_and_one_on_it_is_at_risk() -> None:
    assert project_share(months=[(920, 1000)] * 8, remaining=[1000] * 4,
                         target=0.95).status == "red"
    assert project_share(months=[(950, 1000), (940, 1000), (960, 1000)] * 2,
                         remaining=[1000] * 6, target=0.95).status == "amber"


def test_uneven_months_give_a_wider_band_than_steady_ones() -> None:
    steady = project_share(months=[(50, 100)] * 6, remaining=[100] * 6, target=0.5)
    swinging = project_share(months=[(20, 100), (80, 100)] * 3, remaining=[100] * 6,
                             target=0.5)
    assert (swinging.high - swinging.low) > (steady.high - steady.low)


def test_a_finished_year_is_what_it_was() -> None:
    found = project_share(months=[(90, 100)] * 12, remaining=[], target=0.95)
    assert found.status == "red" and found.low == found.high == 0.9
    assert project_sum(values=[10] * 12, weights=[1 / 12] * 12, remaining_weights=[],
                       target=100).status == "green"


def test_nothing_to_go_on_says_so() -> None:
    assert project_share(months=[(0, 0)], remaining=[10], target=0.5).status == "grey"
    assert project_sum(values=[], weights=[], remaining_weights=[1.0],
                       target=100).status == "grey"


def test_a_sum_is_carried_forward_at_its_seasonal_run_rate() -> None:
    # Half the year gone, but the busy half: 60% of the year's weight. £6,000 so far
    # means £10,000 by the end, not £12,000.
    found = project_sum(values=[1000] * 6, weights=[0.1] * 6, remaining_weights=[0.4 / 6] * 6,
                        target=12_000)
    assert round(found.projected) == 10_000
    assert found.status == "red"
    assert found.low <= found.projected <= found.high


def test_the_same_figures_give_the_same_projection() -> None:
    months = [(30, 100), (45, 120), (50, 90)]
    first = project_share(months=months, remaining=[100] * 9, target=0.4, seed="a")
    again = project_share(months=months, remaining=[100] * 9, target=0.4, seed="a")
    assert first == again
