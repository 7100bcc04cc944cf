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
    # Complaint tweets to an organisation (session 2 of 0104): frustration said plainly.
    "how hard is it": -2.2, "how difficult is it": -2.2, "how is this acceptable": -2.5,
    "how is that acceptable": -2.5, "how is this ok": -2.2, "how is this okay": -2.2, "how come": -0.8,
    "not even": -1.0, "no excuse": -2.2, "do better": -2.0, "get it together": -2.2,
    "get your act together": -2.5, "sort yourselves out": -2.2, "fix this": -1.5, "fix your": -1.5,
    "never flying": -2.5, "never fly": -2.5, "never using": -2.2, "never use": -1.5,
    "take my business elsewhere": -2.8, "going elsewhere": -2.0, "switching to": -1.2,
    "gotta love": -1.5, "got to love": -1.5, "so much for": -1.8, "yeah right": -1.5,
    "late again": -2.0, "running late": -1.2, "always late": -2.2, "been waiting": -1.8,
    "hold music": -1.0, "no one answers": -2.2, "nobody answers": -2.2,
    "passed around": -1.8, "pillar to post": -2.2, "round in circles": -2.0, "zero help": -2.5,
    "no communication": -2.2, "lack of communication": -2.2, "poor communication": -2.2,
    "customer care": -0.3, "still nothing": -2.2, "not ok": -1.8, "not okay": -1.8,
    "anyone there": -1.2, "is anyone": -0.8, "does anyone": -0.3,
    # How a complaint is told: what the writer was made to do or told.
    "had to": -0.8, "have to pay": -1.2, "now i have to": -1.5, "now we have to": -1.5,
    "now i'm": -0.6, "only to be told": -2.2, "only to find": -1.5, "was told": -0.6, "were told": -0.6,
    "been told": -0.8, "supposed to": -0.8, "apparently": -0.5, "why would": -0.8,
    "what happened to": -1.0, "should have": -0.8, "should've": -0.8, "shouldn't have to": -2.0,
    "no way to": -1.2, "no option": -1.2, "no choice": -1.2, "at least": -0.5,
    "and counting": -1.5, "every time": -0.8, "every single time": -1.8, "hold time": -1.2,
    "hold times": -1.2, "wait time": -0.8, "wait times": -0.8, "double booked": -1.5,
    "what's the point": -2.2, "whats the point": -2.2, "what is the point": -2.2,
    "down again": -1.5, "how am i meant to": -1.5, "how am i supposed to": -1.5,
    "how are we meant to": -1.5, "how are we supposed to": -1.5,
    # Wanting something is not liking it; "better" asked for is a complaint.
    "would love": 0.3, "i'd love": 0.3, "id love": 0.3, "would like": 0.0, "i'd like": 0.0,
    "id like": 0.0, "love to know": -0.5, "love to hear": 0.0, "best way to": 0.0,
    "expected better": -2.0, "expect better": -1.8, "deserve better": -2.2, "could be better": -1.2,
    "could have been better": -1.2, "the best you can do": -2.0, "is that the best": -1.5,
    # Thanks for a fix, said the short way.
    "great service": 2.8, "excellent service": 3.0, "amazing service": 3.0, "good service": 2.2,
    "fantastic service": 3.0, "brilliant service": 3.0, "quick reply": 2.0,
    "fast response": 2.2, "speedy response": 2.2, "quick to respond": 2.0, "got it sorted": 2.2,
    "sorted it": 1.8, "took care of": 1.8, "helped me": 1.5, "you rock": 2.8, "you guys rock": 2.8,
    "thank u": 1.8, "thankyou": 1.8, "much obliged": 2.0, "thanks so much": 2.4,
    "thank you so much": 2.6, "really appreciate": 2.5, "appreciate it": 2.2, "appreciate the": 2.0,
    "appreciate you": 2.2, "love you guys": 3.0, "keep it up": 2.2, "keep up the good work": 2.8,
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
    "chance": 0.0, "like": 0.3, "ok": 0.0, "okay": 0.0, "sure": 0.0, "yes": 0.5, "hope": 0.6,
    "free": 1.0, "safe": 0.8, "play": 0.0, "god": 0.0, "well": 0.3, "joke": -1.5, "true": 0.5,
    "matter": 0.0, "credit": 0.3, "want": 0.0, "no": -0.4, "waste": -0.5,
    "fixed": 1.2, "resolved": 1.2, "solved": 1.5, "legend": 2.5, "stars": 1.0, "kudos": 2.5,
    "chuffed": 2.8, "buzzing": 2.2, "unreal": 1.5, "star": 1.8, "superstar": 2.8, "gem": 2.2,
    "ta": 1.5, "thx": 1.6, "cheers": 2.1, "impressed": 2.2, "disgraceful": -3.0,
    "shameful": -2.8, "ruined": -2.5, "chasing": -1.5, "excuses": -1.8,
    "compensation": -1.0, "cold": -0.5, "freezing": -1.2, "stranded": -2.0,
    # Said flatly or in sarcasm as often as in warmth when writing to a service.
    "lol": 0.0, "lmao": 0.0, "lmfao": 0.0, "wow": 0.5, "sorry": -0.8, "fine": 0.3,
    # Hashtags people add to complaints and thanks, read as one word.
    "neveragain": -2.5, "fail": -2.0, "epicfail": -2.8, "badservice": -2.8, "poorservice": -2.8,
    "customerservicefail": -2.8, "notgoodenough": -2.5, "sortitout": -2.2, "ripoff": -2.8,
    "unacceptable": -2.8, "greatservice": 2.8, "goodservice": 2.5, "happycustomer": 2.8,
    "fails": -2.0, "customerservice": -0.3, "worstcustomerservice": -3.0,
    "worstservice": -3.0, "nothanks": -1.5, "frustrated": -2.2,
    "frustrating": -2.2, "annoying": -2.0, "infuriating": -2.8, "unprofessional": -2.3,
    "late": -0.5, "waited": -0.6, "queue": -0.3, "hold": -0.2, "stuck": -1.5,
    "nightmare": -2.8, "hassle": -1.5, "excuse": -1.2, "chaos": -2.0, "mess": -1.5,
    "speedy": 1.5, "promptly": 1.5, "prompt": 1.0, "ty": 1.5, "tysm": 2.5, "thnx": 1.6,
    "thanx": 1.6, "thanku": 1.8, "rockstar": 2.5, "rockstars": 2.5, "rocks": 1.8,
    "lifesaver": 2.8, "hero": 2.2, "heroes": 2.2, "smooth": 1.5, "seamless": 2.0,
    "courteous": 2.2, "attentive": 2.0, "friendly": 2.2, "downgraded": -1.5, "overbooked": -1.8,
    "bumped": -1.2, "ripped": -1.2, "torn": -1.0, "soaked": -1.0, "unanswered": -1.8,
    "crashes": -1.5, "crashing": -1.5, "crashed": -1.5, "glitchy": -1.5, "buggy": -1.5, "laggy": -1.5,
    "lagging": -1.2, "freezes": -1.2, "drains": -1.0, "draining": -1.0, "slow": -0.8, "slower": -0.8,
}

EMOJI: dict[str, float] = {
    "😀": 2.0, "😃": 2.0, "😄": 2.0, "😁": 2.0, "😊": 2.0, "🙂": 1.2, "😍": 2.8, "🥰": 2.8,
    "😂": 1.2, "🤣": 1.2, "😉": 1.2, "👍": 1.8, "👏": 2.0, "🙌": 2.0, "❤": 2.5, "♥": 2.2,
    "💕": 2.5, "💖": 2.5, "💙": 2.2, "💚": 2.2, "💜": 2.2, "🎉": 2.2, "✨": 1.2, "🔥": 1.0,
    "😎": 1.5, "🙏": 1.2, "💯": 1.5, "😢": -2.0, "😭": -2.0, "😞": -2.0, "😔": -1.8,
    "😠": -2.5, "😡": -2.8, "🤬": -3.0, "👎": -2.0, "💩": -2.0, "😒": -1.8, "🙄": -1.8,
    "😤": -2.0, "😩": -2.0, "😫": -2.0, "🤦": -1.8, "😱": -1.5, "😬": -1.0, "💔": -2.2,
    "😘": 2.2, "🤗": 2.0, "☺": 2.0, "😇": 1.5, "😆": 1.8, "👌": 1.5, "💪": 1.5, "🥳": 2.2,
    "😋": 1.5, "💗": 2.2, "💓": 2.2, "💞": 2.2, "💘": 2.2, "🧡": 2.2, "💛": 2.2, "⭐": 1.2,
    "🌟": 1.5, "🏆": 1.5, "✅": 0.8, "🤞": 1.0, "😻": 2.2, "🙁": -1.5, "☹": -2.0, "😕": -1.2,
    "😟": -1.5, "😣": -1.8, "😖": -1.8, "😥": -1.5, "😓": -1.5, "😪": -1.2, "😰": -1.5,
    "😨": -1.5, "😦": -1.2, "😧": -1.2, "😑": -1.0, "😐": -0.5, "🤢": -2.2, "🤮": -2.5,
    "🤯": -1.2, "🤡": -1.5, "🤷": -0.5, "❌": -1.0, "😾": -2.0, "😿": -2.0,
}

# Emoticons, matched on the raw text between non-word characters (so "http://"
# is not ":/").
EMOTICONS: dict[str, float] = {
    ":)": 1.8, ":-)": 1.8, ":))": 2.2, "=)": 1.8, ":]": 1.5, ":D": 2.0, ":-D": 2.0, "xD": 1.8,
    "XD": 1.8, ";)": 1.2, ";-)": 1.2, ":P": 1.2, ":p": 1.2, "<3": 2.5, ":(": -1.8, ":-(": -1.8,
    ":((": -2.2, "=(": -1.8, ":'(": -2.2, ":/": -1.2, ":-/": -1.2, ":\\": -1.2, ":|": -0.8,
    "-_-": -1.2, ">:(": -2.5, "D:": -1.5,
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
