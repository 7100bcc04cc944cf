"""Sentiment cues written for Townhall: complaint and thanks phrases, emoji, modifiers.

The general word list comes from VADER (MIT licence, read from the installed
vaderSentiment package); these entries add what residents write to a council.
"""

# Phrase cues, matched on normalised text; valence on VADER's -4..4 scale.
PHRASES: dict[str, float] = {
    "still waiting": -2.5, "still not": -2.0, "still no": -2.0, "third time": -2.0,
    "second time": -1.2, "fourth time": -2.5, "yet again": -1.8, "once again": -1.2,
    "no one has": -2.0, "nobody has": -2.0, "no one came": -2.2, "nobody came": -2.2,
    "no response": -2.0, "no reply": -2.0, "not heard back": -2.0, "heard nothing": -2.0,
    "how many times": -2.2, "fed up": -2.5, "sick of": -2.5, "sick and tired": -3.0,
    "not good enough": -2.5, "waste of": -2.0, "is a joke": -2.5, "a disgrace": -3.0,
    "been ignored": -2.2, "ignored": -1.8, "not acceptable": -2.5, "unacceptable": -2.8,
    "for weeks": -1.2, "for months": -1.5, "weeks now": -1.2, "months now": -1.5,
    "not fixed": -1.8, "never fixed": -2.2, "not been collected": -1.8, "not collected": -1.5,
    "missed again": -2.2, "on hold": -1.2, "cancelled": -1.0, "delayed": -1.2, "delay": -1.0,
    "worst": -3.0, "rubbish service": -3.0, "customer service": -0.3, "why is": -0.8,
    "why do": -0.6, "why are": -0.8, "why can't": -1.2, "what is going on": -1.2,
    "thanks for sorting": 2.8, "thanks for fixing": 2.8, "thank you for": 2.2,
    "thanks for": 2.0, "thank you": 1.8, "thanks": 1.6, "cheers": 2.0, "many thanks": 2.0,
    "sorted": 1.2, "quick response": 2.2, "so quickly": 1.8, "well done": 2.5,
    "great job": 2.8, "great work": 2.8, "much appreciated": 2.5, "diolch": 1.8,
    "da iawn": 2.0, "can't wait": 1.8, "cant wait": 1.8, "looking forward": 1.8,
    "love it": 2.5, "so proud": 2.5, "happy birthday": 2.5, "good luck": 1.8,
    "no problem": 1.0, "not bad": 1.0, "no worries": 1.0,
    # Customer service (docs/decisions/0104).
    "thanks for nothing": -3.0, "on hold for": -2.0, "not impressed": -2.5,
    "not happy": -2.5, "sort it out": -2.2, "fix it": -1.5, "waste of time": -2.8,
    "want my money back": -2.5, "never again": -2.5, "fobbing": -2.0, "fobbed off": -2.5,
    "hangs up": -1.8, "hung up": -1.8, "let down": -2.2, "letting down": -2.2, "no help": -2.2,
    "not helpful": -2.2, "unhelpful": -2.2, "can't believe": -1.5, "cant believe": -1.5,
    "problem solved": 2.5, "issue resolved": 2.5, "all sorted": 2.5, "sorted now": 2.2,
    "working again": 2.0, "back on": 1.2, "fixed it": 1.5, "above and beyond": 2.8,
    "fair play": 2.2, "top marks": 2.8, "nice one": 2.2, "made my day": 2.8, "happy days": 2.5,
    "can't fault": 2.5, "cant fault": 2.5, "spot on": 2.5, "great stuff": 2.5,
    "thanks again": 2.0, "ta very much": 2.2, "so helpful": 2.5, "really helpful": 2.5,
    "very helpful": 2.5, "you guys are": 0.8, "on time": 1.2, "arrived early": 1.5,
    # A negated nuisance is good news.
    "no fuss": 2.0, "no hassle": 2.0, "no mess": 1.5, "no lag": 1.5, "no issues": 1.5,
    "no problems": 1.5, "no delays": 1.5, "no complaints": 2.0, "not a problem": 1.5,
    "shout out": 2.0, "big thanks": 2.8, "top notch": 2.8, "over the moon": 2.8, "made up": 1.5,
}

# Complaint words that VADER scores weakly or not at all.
WORDS: dict[str, float] = {
    "overflowing": -1.2, "dumped": -1.2, "broken": -1.5, "filthy": -2.5, "flytipping": -1.2,
    "potholes": -0.8, "pothole": -0.8, "dangerous": -1.8, "unsafe": -1.8, "incompetent": -2.8,
    "shambles": -2.8, "appalling": -3.0, "shocking": -2.0, "ridiculous": -2.2, "pathetic": -2.8,
    "useless": -2.5, "diabolical": -3.0, "atrocious": -3.0, "outrageous": -2.5, "rude": -2.2,
    "lies": -2.0, "scam": -2.5, "overcharged": -2.2, "refund": -1.0, "complaint": -1.5,
    "complain": -1.5, "waiting": -0.8, "never": -0.6, "nothing": -0.5,
    "anyone": -0.2, "blocked": -1.2, "leaking": -1.2, "mould": -1.8, "damp": -1.0,
    "sucks": -2.0, "smh": -1.5, "ugh": -1.8, "wtf": -2.0, "ffs": -2.5, "fuming": -3.0,
    "gutted": -2.2, "annoyed": -2.0, "disappointing": -2.2, "disappointed": -2.2,
    "lovely": 2.2, "brilliant": 2.8, "amazing": 2.8, "fab": 2.5, "fabulous": 2.8,
    "helpful": 2.0, "excited": 2.2, "congrats": 2.5, "congratulations": 2.5, "yay": 2.2,
    "tonight": 0.3, "tomorrow": 0.2, "weekend": 0.4, "again": -1.0,
    # Polite or routine in a message to a service, whatever VADER says.
    "please": 0.0, "help": 0.0, "support": 0.0, "kindly": 0.0, "care": 0.0, "pay": 0.0,
    "chance": 0.0, "like": 0.6, "ok": 0.3, "okay": 0.3, "sure": 0.3, "yes": 0.5, "hope": 0.6,
    "free": 1.0, "safe": 0.8, "play": 0.0, "god": 0.0, "well": 0.3, "joke": -1.5, "true": 0.5,
    "matter": 0.0, "credit": 0.3, "want": 0.0, "no": -0.4, "waste": -0.5,
    "fixed": 1.2, "resolved": 1.2, "solved": 1.5, "legend": 2.5, "stars": 1.0, "kudos": 2.5,
    "chuffed": 2.8, "buzzing": 2.2, "unreal": 1.5, "star": 1.8, "superstar": 2.8, "gem": 2.2,
    "ta": 1.5, "thx": 1.6, "cheers": 2.1, "impressed": 2.2, "disgraceful": -3.0,
    "shameful": -2.8, "ruined": -2.5, "chasing": -1.5, "excuses": -1.8,
    "compensation": -1.0, "cold": -0.5, "freezing": -1.2, "stranded": -2.0,
    # Hashtags people add to complaints and thanks, read as one word.
    "neveragain": -2.5, "fail": -2.0, "epicfail": -2.8, "badservice": -2.8, "poorservice": -2.8,
    "customerservicefail": -2.8, "notgoodenough": -2.5, "sortitout": -2.2, "ripoff": -2.8,
    "unacceptable": -2.8, "greatservice": 2.8, "goodservice": 2.5, "happycustomer": 2.8,
}

EMOJI: dict[str, float] = {
    "😀": 2.0, "😃": 2.0, "😄": 2.0, "😁": 2.0, "😊": 2.0, "🙂": 1.2, "😍": 2.8, "🥰": 2.8,
    "😂": 1.2, "🤣": 1.2, "😉": 1.2, "👍": 1.8, "👏": 2.0, "🙌": 2.0, "❤": 2.5, "♥": 2.2,
    "💕": 2.5, "💖": 2.5, "💙": 2.2, "💚": 2.2, "💜": 2.2, "🎉": 2.2, "✨": 1.2, "🔥": 1.0,
    "😎": 1.5, "🙏": 1.2, "💯": 1.5, "😢": -2.0, "😭": -2.0, "😞": -2.0, "😔": -1.8,
    "😠": -2.5, "😡": -2.8, "🤬": -3.0, "👎": -2.0, "💩": -2.0, "😒": -1.8, "🙄": -1.8,
    "😤": -2.0, "😩": -2.0, "😫": -2.0, "🤦": -1.8, "😱": -1.5, "😬": -1.0, "💔": -2.2,
    ":)": 1.8, ":-)": 1.8, ":(": -1.8, ":-(": -1.8, ":D": 2.0, ";)": 1.2,
}

NEGATIONS = frozenset(
    "not no never nor nobody none nothing neither without cannot can't cant don't dont "
    "doesn't doesnt didn't didnt isn't isnt wasn't wasnt aren't arent won't wont wouldn't "
    "wouldnt shouldn't shouldnt haven't havent hasn't hasnt couldn't couldnt ain't aint".split())
BOOSTERS: dict[str, float] = {
    "very": 0.3, "really": 0.3, "so": 0.25, "extremely": 0.45, "absolutely": 0.4, "totally": 0.3,
    "completely": 0.35, "utterly": 0.45, "incredibly": 0.4, "truly": 0.3, "such": 0.2,
    "most": 0.25, "too": 0.2, "super": 0.3, "bloody": 0.35, "fucking": 0.45, "well": 0.1,
    "slightly": -0.3, "somewhat": -0.3, "kinda": -0.3, "bit": -0.2, "barely": -0.3,
}
