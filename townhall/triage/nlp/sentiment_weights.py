"""Weights of the sentiment layer, written by sentiment_fit.py: do not edit by hand.

Fitted on 6132 tweets (TweetEval tuning half, research use: no text kept)
and 375 of the team's own messages (weight 4); C=1.
One weight per feature of sentiment.FEATURES, in that order (docs/decisions/0104).
"""

BIASES: dict[str, float] = {
    "negative": -0.3695,
    "neutral": 0.5995,
    "positive": -0.2299,
}

WEIGHTS: dict[str, tuple[float, ...]] = {
    "negative": (
        0.257,  # lexicon_score
        -0.4848,  # positive_squashed
        1.5063,  # negative_squashed
        -0.8347,  # positive
        0.7088,  # negative
        -0.6256,  # question
        0.2714,  # request
        -0.795,  # thanked
        0.1559,  # courtesy
        0.269,  # shouting
        0.4856,  # double_question
        0.1168,  # mixed
        0.0004,  # link
    ),
    "neutral": (
        -0.0423,  # lexicon_score
        -0.6384,  # positive_squashed
        -0.86,  # negative_squashed
        -0.1629,  # positive
        0.1802,  # negative
        1.2008,  # question
        0.4052,  # request
        -0.812,  # thanked
        1.1462,  # courtesy
        0.2498,  # shouting
        -0.1492,  # double_question
        0.1864,  # mixed
        0.5941,  # link
    ),
    "positive": (
        -0.2147,  # lexicon_score
        1.1232,  # positive_squashed
        -0.6463,  # negative_squashed
        0.9976,  # positive
        -0.889,  # negative
        -0.5752,  # question
        -0.6766,  # request
        1.607,  # thanked
        -1.3021,  # courtesy
        -0.5188,  # shouting
        -0.3364,  # double_question
        -0.3032,  # mixed
        -0.5945,  # link
    ),
}
