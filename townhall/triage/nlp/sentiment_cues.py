"""Customer-service cues for sentiment, written for Townhall (docs/decisions/0104).

People writing to a council or a company rarely use strong sentiment words. They
state a failure flatly ("no signal for 4 days", "order says delivered but i dont
have it") and wrap it in polite words ("hi", "please", "thanks") that a general
lexicon reads as positive. These patterns run on normalised text with links and
@mentions removed; valences use VADER's -4..4 scale.
"""

_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple of)"
_PERIOD = r"(?:mins?|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|years?)"
_SERVICE = (r"(?:signal|service|internet|wifi|wi-fi|broadband|connection|power|electricity|gas|"
            r"water|heating|hot water|tv|phone line|dial tone|reply|response|answer|update|updates|"
            r"refund|show|call ?back|one|news|sign of|record of|apology|information|info|staff|"
            r"trains?|bus|buses|notice|warning|explanation|contact|help|diversion signs?|letter|email)")

_PERIOD_WORDS = "min mins minute minutes hour hours hrs day days week weeks wks month months year years"
_NOT_WORDS = ("not isn't isnt aren't arent wasn't wasnt stopped never hasn't hasnt haven't havent "
              "doesn't doesnt don't dont didn't didnt")
_FAILURE_WORDS = ("cancelled canceled delayed overcharged charged cut disconnected lost missing stolen "
                  "damaged faulty broken leaking wrong incorrect sold declined rejected blocked frozen "
                  "stranded stuck unable can't cannot cant couldn't couldnt won't wont hung hangs hold show")

# A stated service failure: (words, pattern). The pattern is only tried when the
# message holds one of the words, which every match must contain; that keeps the
# long list cheap. Each match adds FAILURE_VALENCE, up to FAILURE_CAP matches.
FAILURE_VALENCE = -1.6
FAILURE_CAP = 3
FAILURES: list[tuple[str, str]] = [
    ("no", rf"\bno {_SERVICE}\b"),
    ("without", rf"\bwithout (?:any )?{_SERVICE}\b"),
    (_NOT_WORDS,
     r"\b(?:not|isn't|isnt|aren't|arent|wasn't|wasnt|stopped|never|hasn't|hasnt|haven't|havent|"
     r"doesn't|doesnt|don't|dont|didn't|didnt) (?:been )?(?:work|working|worked|arrived|received|"
     r"turned up|shown up|showed up|come|came|delivered|collected|emptied|fixed|resolved|sorted|"
     r"refunded|credited|replied|responded|answered|called|rung|heard|got|had|been told|updated)\b"),
    ("still yet",
     r"\b(?:still|yet to) (?:no|not|waiting|nothing|havent|haven't|hasn't|hasnt|broken|down|off|"
     r"out|missing|cancelled|delayed|without|unable|can't|cant|ongoing|happening|the same)\b"),
    ("keep keeps",
     r"\bkeeps? (?:on )?(?:dropping|cutting|crashing|freezing|failing|saying|going off|breaking|"
     r"disconnecting|buffering|losing|charging|sending|happening|cancelling|delaying|"
     r"telling|transferring|changing|moving|rescheduling|pushing|bumping|ignoring)\b"
     # Any other "keeps ...ing" said to a service is a fault, bar a few kind ones.
     r"|\bkeeps? (?:on )?(?!getting better|improving|smiling|going|growing)[a-z]+ing\b"),
    ("cut cuts cutting dropped dropping drop drops",
     r"\b(?:cuts?|cutting|dropp(?:ed|ing)|drops) out\b|\bdrops? (?:off|every)\b"),
    ("down offline dead broken off", r"\b(?:is|are|was|been|went|goes|still) (?:down|offline|dead|broken|off)\b"),
    ("down offline",
     r"\b(?:server|servers|site|website|app|system|systems|network|line|lines|internet|wifi|broadband|"
     r"phones?|signal|portal|login) (?:down|offline)\b"),
    ("update updates upgrade",
     r"\b(?:since|after) (?:the|this|that|last|latest|an?|your|my) (?:\w+ )?(?:update|updates|upgrade)\b"),
    (_PERIOD_WORDS,
     rf"\b(?:for|over|after|nearly|almost|about) (?:the (?:last|past) )?{_NUMBER} {_PERIOD}\b"),
    (_PERIOD_WORDS, rf"\b(?:it'?s|its|it has|that'?s|thats|that was) (?:been )?(?:over )?{_NUMBER} {_PERIOD}\b"),
    (_PERIOD_WORDS, rf"\b{_NUMBER} {_PERIOD} (?:now|later|on|and still|late|delay|delayed|waiting|on hold)\b"),
    (_PERIOD_WORDS, rf"\b(?:\d+|an?) ?{_PERIOD} (?:late|delay|delayed)\b"),
    (_PERIOD_WORDS,
     rf"\b(?:waited|waiting|stuck|sat|sitting|queued|queuing|queueing|delayed|late|held up) "
     rf"(?:over |almost |nearly |about |another )?{_NUMBER} {_PERIOD}\b"),
    ("times",
     r"\b(?:called|rang|phoned|emailed|e-mailed|tried|reported|asked|complained|chased|messaged|tweeted|"
     r"dm'd|dmed|written|wrote|contacted|visited|transferred|cancelled|canceled|delayed) "
     r"(?:you |them |it |this |up |in )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|"
     r"multiple|numerous|so many|countless) times\b"),
    ("missed",
     r"\bmissed (?:my|our|the|a|his|her|their) (?:connection|connecting|flight|train|bus|appointment|"
     r"collection|delivery|meeting|interview|funeral|wedding)\b"),
    ("charged", r"\bcharged (?:me |us )?(?:£|\$|€) ?\d"),
    ("time day week visit call email engineer delay cancellation attempt redelivery complaint",
     r"\b(?:2nd|second|3rd|third|4th|fourth|5th|fifth|another|yet another|same) "
     r"(?:time|day|week|visit|call|email|engineer|delay|cancellation|attempt|redelivery|complaint)\b"),
    (_FAILURE_WORDS,
     r"\b(?:cancelled|canceled|delayed|overcharged|double charged|charged twice|charged me twice|"
     r"cut off|disconnected|lost|missing|stolen|damaged|faulty|broken|leaking|wrong|incorrect|"
     r"mis-sold|declined|rejected|blocked|frozen|stranded|stuck|unable|can't|cannot|cant|couldn't|"
     r"couldnt|won't let|wont let|hung up|hangs up|on hold|no show|no-show)\b"),
    ("where where's what what's whats",
     r"\bwhere(?: is| are|'s) (?:my|our|the)\b|\bwhat(?:'s| is|s) (?:going on|happening|the point)\b"),
    ("why",
     r"\bwhy (?:is|isn't|isnt|are|aren't|arent|has|hasn't|hasnt|have|haven't|havent|do|does|don't|"
     r"dont|did|didn't|didnt|was|wasn't|wasnt|were|can't|cant|won't|wont|am i|would)\b"),
    ("money refund compensation explanation apology",
     r"\b(?:want|need|demand|expect) (?:my|a|an) (?:money|refund|compensation|explanation|apology)\b"),
    ("error errors glitch bug outage fault issue issues problem problems",
     r"\b(?:error|errors|glitch|bug|outage|fault|issue|issues|problem|problems)\b"),
    ("actually even",
     r"\b(?:actually|even) (?:turns? up|arrive|arrives|works?|bother|read|answer|reply|listen)\b"),
    ("says say",
     r"\bsays? (?:delivered|dispatched|completed|resolved)\b.{0,40}\b(?:not|no|never|haven't|havent|dont|don't)\b"),
    ("promised told assured supposed meant due booked",
     r"\b(?:promised|told|assured|supposed to|meant to|due to|booked for)\b.{0,60}"
     r"\b(?:but|still|never|nobody|no one|nothing|yet)\b"),
    ("nobody one", r"\bnobody|\bno one\b|\bno-one\b"),
    ("through", r"\b(?:trying to|try to|can't|cant|cannot|couldn't|couldnt|unable to) get through\b"),
]

# Irony: a praise word opening a message that then states a failure.
IRONY_OPENERS = r"^(?:oh |wow |well )?(?:great|brilliant|fantastic|lovely|perfect|wonderful|excellent|" \
                r"marvellous|amazing|superb|nice one|good job|well done|cheers|thanks|thank you)\b[\s,.!]"
IRONY_PHRASES = [
    r"\bthanks? (?:you )?for nothing\b", r"\bcheers for nothing\b", r"\bjust what (?:i|we) needed\b",
    r"\blovely way to\b", r"\bwhat a (?:surprise|shock)\b",
    # Thanks for the failure itself: "thanks for the 4 hour delay", "thanks for losing my bag".
    r"\b(?:thanks?|thank you|cheers) (?:you )?(?:so much |a lot )?for (?:the|another|a|an|my) (?:\w+ )?"
    r"(?:hour |hr |minute |min |day )?(?:delay|wait|cancellation|cancelation)\b",
    r"\b(?:thanks?|thank you|cheers) (?:you )?(?:so much |a lot )?for (?:losing|cancelling|canceling|ruining|"
    r"wasting|delaying|ignoring|stranding|leaving (?:me|us) (?:stranded|stuck|waiting))\b",
    r"\b(?:love|loving) (?:how|that|the fact|being|waiting|sitting|spending)\b.{0,50}"
    r"\b(?:delay\w*|waiting|on hold|stuck|cancel\w*|late|hours)\b",
]
# A message with none of these words cannot hold an IRONY_PHRASES match.
IRONY_WORDS = ("nothing needed lovely surprise shock delay wait cancellation cancelation losing cancelling "
               "canceling ruining wasting delaying ignoring stranding leaving love loving")

# Weak signs of a complaint: they count only when nothing in the message is
# positive and it is not a plain question ("no signs at all", "since august").
WEAK_VALENCE = -1.2
WEAK = (r"\b(?:not|no|never|nothing|nowhere|none|nobody|isn't|isnt|wasn't|wasnt|weren't|werent|"
        r"didn't|didnt|doesn't|doesnt|don't|dont|haven't|havent|hasn't|hasnt|won't|wont|can't|cant|"
        r"couldn't|couldnt|wouldn't|wouldnt|shouldn't|shouldnt)\b|"
        r"\bsince (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last \w+|"
        r"the \d+|\d|january|february|march|april|june|july|august|september|october|november|december|"
        r"this morning|it was|we moved|i moved|then)\b")

# Praise closing a complaint ("no trains, no staff, no information. brilliant").
IRONY_CLOSERS = (r"\b(?:brilliant|great|fantastic|lovely|perfect|wonderful|superb|marvellous|well done|"
                 r"good job|nice one|cheers|thanks|thanks a lot|great service)[\s!.]*$")

# Words that ask for something, not feel something: neutral in a request.
REQUEST = [
    "please", "pls", "plz", "can you", "could you", "would you", "can someone", "could someone",
    "can i", "could i", "how do", "how can", "how long", "how much", "what is", "what's",
    "what time", "when is", "when will", "when does", "is there", "are there", "is it", "do you",
    "does the", "do i", "any chance", "wondering", "please advise", "let me know", "dm", "dms",
    "dm'd", "direct message", "private message", "follow back",
]

# Thanks for something done: keeps its warmth even beside a request.
THANKS_DONE = (r"\b(?:thanks|thank you|thx|ta|cheers|appreciate it|appreciated)\b"
               r"(?! (?:in advance|for nothing|for that$))")
THANKS_IN_ADVANCE = r"\b(?:thanks|thank you|thx|cheers|ta) in advance\b|\btia\b"
