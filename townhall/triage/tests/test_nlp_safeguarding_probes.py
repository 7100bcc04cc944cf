"""Safeguarding probe set written for Townhall: must-flag messages and hard negatives.

bench.py reuses POSITIVES and HARD_NEGATIVES to report recall and false alarms.
"""

import pytest

from townhall.triage.nlp.safeguarding import safeguarding_reasons

SHY = "\u00ad"
ZW = "\u200b"

# (message, a reason that must be among those found)
POSITIVES: list[tuple[str, str]] = [
    ("I want to kill myself", "self_harm"),
    ("i just want to die", "self_harm"),
    ("thinking about ending my life tonight", "self_harm"),
    ("I'm suicidal and nobody is listening", "self_harm"),
    ("feel like commiting sucide", "self_harm"),
    ("im so done, gonna kms", "self_harm"),
    ("k1ll mys3lf", "self_harm"),
    ("i w4nt t0 d1e", "self_harm"),
    (f"I want to ki{SHY}ll my{ZW}self", "self_harm"),
    ("su\u200ci\u200dcide is the only way out", "self_harm"),
    ("thinking of s\u2060u\ufeffi\u00adc\u200bi\u200bd\u200be", "self_harm"),
    ("I've been self harming again", "self_harm"),
    ("been cutting myself since the eviction notice", "self_harm"),
    ("no reason to live anymore", "self_harm"),
    ("I don't want to be here anymore, I don't want to live", "self_harm"),
    ("better off dead honestly", "self_harm"),
    ("going to unalive myself", "self_harm"),
    ("took all my pills, sorry", "self_harm"),
    ("I'm going to jump off the bridge", "self_harm"),
    ("k.i.l.l m.y.s.e.l.f", "self_harm"),
    ("kiiiill myselfff", "self_harm"),
    ("dw i eisiau lladd fy hun", "self_harm"),
    ("Rwy'n meddwl am hunanladdiad", "self_harm"),
    ("dw i ddim eisiau byw rhagor", "self_harm"),
    ("SUICIDAL", "self_harm"),
    ("i cant take it anymore i want to end it all", "self_harm"),
    ("the kids next door have been left home alone for two days", "child_at_risk"),
    ("a toddler is wandering on the road on his own", "child_at_risk"),
    ("I can hear the neighbour beating his child every night", "child_at_risk"),
    ("the little girl at number 4 has bruises and looks starving", "child_at_risk"),
    ("I think a child is being groomed by a man in the park", "child_at_risk"),
    ("mae plentyn mewn perygl", "child_at_risk"),
    ("baby crying for hours and no adults in the flat", "child_at_risk"),
    ("child fell in the river by the bridge", "danger_to_life"),
    ("a 6 year old is locked in the car in this heat", "child_at_risk"),
    ("my elderly neighbour hasn't been seen for a week", "vulnerable_adult_at_risk"),
    ("old man collapsed on the pavement outside the shops", "vulnerable_adult_at_risk"),
    ("my mum has dementia and has gone missing", "vulnerable_adult_at_risk"),
    ("the pensioner next door is being scammed and has no food", "vulnerable_adult_at_risk"),
    ("my husband hits me when he drinks", "domestic_abuse"),
    ("my boyfriend beat me again last night", "domestic_abuse"),
    ("I'm scared of my partner, he threatened to kill me", "domestic_abuse"),
    ("I'm a victim of domestic abuse and need to leave", "domestic_abuse"),
    ("he punched me and took my phone", "domestic_abuse"),
    ("my ex won't stop threatening me", "domestic_abuse"),
    ("mae e'n fy nharo i bob nos", "domestic_abuse"),
    ("trais yn y cartref, dw i angen help", "domestic_abuse"),
    ("there are county lines kids dealing from the flat", "exploitation"),
    ("drug dealers have taken over her flat, it's cuckooing", "exploitation"),
    ("young lads being forced to sell drugs for a gang", "exploitation"),
    ("I think the workers at the car wash are trafficked", "exploitation"),
    ("gas leak smell in the street", "danger_to_life"),
    ("strong smell of gas outside number 10", "danger_to_life"),
    ("live wires hanging down from the lamp post", "danger_to_life"),
    ("cables sparking at the bottom of the street light", "danger_to_life"),
    ("a man with a knife is chasing people in the high street", "danger_to_life"),
    ("someone has been stabbed outside the station", "danger_to_life"),
    ("the house on the corner is on fire", "danger_to_life"),
    ("man lying in the road not breathing", "danger_to_life"),
    ("mae arogl nwy cryf yn y stryd", "danger_to_life"),
    ("someone fell into the canal and can't get out", "danger_to_life"),
    ("G4S LEAK on Station Road, smells strong", "danger_to_life"),
]

HARD_NEGATIVES: list[str] = [
    "this traffic is killing me",
    "I could murder a bacon sandwich",
    "suicide prevention training for staff is great",
    "the potholes are a death trap",
    "my phone battery died",
    "kill the lights when you leave the hall",
    "dead fox on the pavement outside the school",
    "dying for a cuppa after that meeting",
    "the grass verge is dead and brown",
    "my car died on the high street",
    "the street light is dead again",
    "our bins are killing the view",
    "the new cycle lane is killing local shops",
    "domestic abuse awareness week starts on Monday",
    "great talk at the suicide awareness event",
    "child benefit question about my payment",
    "the children's playground is covered in litter",
    "kids left their bikes on the pavement",
    "school run traffic is terrible on Elm Road",
    "the gas bill went up again",
    "gas works on the main road causing delays",
    "fire station open day was brilliant",
    "fireworks kept the dog awake all night",
    "the team were on fire at the match",
    "that joke killed me",
    "I nearly died laughing",
    "potholes will kill someone's suspension",
    "the wires from the Christmas lights look messy",
    "the bus shelter is a health hazard",
    "they murdered that song at karaoke",
    "bin day is killing my back",
    "can you cut back the hedge, it's hurting nobody but looks bad",
    "hitting the gym at the leisure centre",
    "the kids loved the library story time",
    "elderly residents need more benches in the park",
    "my neighbour's dog keeps barking",
    "the old lady at the library was so helpful",
    "my husband and I love the new park",
    "my partner says thank you for fixing the light",
    "knife crime talk at the youth club",
    "groom the verges please, they're overgrown",
    "shoot me an email with the times",
    "the plants in the planters have all died",
    "the battery in the parking meter is dead",
    "this form is the death of me",
    "I'd kill for a working street light on our road",
    "the river path is flooded after the rain",
    "flytipping is killing our neighbourhood",
    "a dead pigeon is lying in the gutter",
    "the wasps nest is dead now, thanks",
    "we're dying to see the new library open",
    "drop-off for kids at the leisure centre is chaotic",
    "I'm dead tired of reporting this pothole",
    "the heating in the library is killing us, way too hot",
    "gritting lorry nearly hit my parked car",
    "the hanging baskets on the high street look great",
    "mae'r llyfrgell ar gau heddiw",
    "diolch am drwsio'r golau stryd",
    "the council's domestic violence strategy consultation is open",
    "can I get a parking permit for my carer",
    "my son's school bus was late again",
    "noisy neighbours shouting at 2am",
]


@pytest.mark.parametrize(("message", "reason"), POSITIVES)
def test_it_flags_every_safeguarding_probe(message: str, reason: str) -> None:
    assert reason in safeguarding_reasons(message)


def test_it_raises_at_most_ten_percent_false_alarms_on_hard_negatives() -> None:
    alarms = [m for m in HARD_NEGATIVES if safeguarding_reasons(m)]
    assert len(alarms) <= 0.1 * len(HARD_NEGATIVES), alarms


def test_it_has_a_probe_set_big_enough_to_mean_something() -> None:
    assert len(POSITIVES) >= 60
    assert len(HARD_NEGATIVES) >= 60
