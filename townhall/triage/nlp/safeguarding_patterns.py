"""Phrase patterns for safeguarding, written for Townhall (English and Welsh).

All patterns run on text from text.normalise_for_matching: casefolded, NFKC,
no invisible characters, leetspeak folded and stretched letters squeezed. They
aim for recall: a false alarm costs an officer a minute, a miss can cost a life.
"""

REASONS = (
    "self_harm",
    "child_at_risk",
    "vulnerable_adult_at_risk",
    "domestic_abuse",
    "exploitation",
    "danger_to_life",
)


def near(left: str, right: str, gap: int = 6) -> str:
    """Regex for `left` and `right` within `gap` words of each other, either order.

    Both must be in one sentence: "the sign is missing. My elderly mum lives here"
    is two facts, not a missing person.
    """
    between = rf"(?:[^\w.!?\n]+\w+){{0,{gap}}}?[^\w.!?\n]+"
    return rf"\b(?:{left})\w*{between}(?:{right})|\b(?:{right})\w*{between}(?:{left})"


_MYSELF = r"m[yi]\s?s[ae]?l[fv]e?|myslef|mysef|meself|my\s?own\s?self|mysel"
_CHILD = (r"child|children|kid|kids|kiddie|baby|babies|toddler|infant|little (?:boy|girl|one)|"
          r"young (?:boy|girl)|\d{1,2}[- ]?(?:year|yr)s?[- ]?old|schoolgirl|schoolboy|minor|"
          r"plentyn|plant|babi")
_ADULT = (r"elderly|old (?:man|woman|lady|gentleman|fella|guy|chap|boy)|pensioner|oap|"
          r"vulnerable|dementia|alzheimer|disabled (?:man|woman|person|neighbour|adult)|"
          r"my (?:mum|mam|dad|nan|nana|gran|granny|grandad|grandma|grandpa|auntie|uncle)|"
          r"neighbour|neighbor|oedrannus|bregus")
_PARTNER = (r"partner|husband|wife|boyfriend|girlfriend|bf|gf|ex|fiance|fiancee|hubby|"
            r"stepdad|step dad|stepfather|dad|father|mum|mother|son|daughter|brother|flatmate")
_HIT = (r"hits?|hitting|beats?|beating|beat|punch(?:es|ed|ing)?|kick(?:s|ed|ing)?|slap(?:s|ped|ping)?|"
        r"strangl\w*|chok(?:es|ed|ing)|push(?:es|ed)|hurts?|hurting|abus\w*|rap(?:ed|es|ing)|"
        r"threaten\w*|attack\w*|batter\w*|locks? me|locked me|won'?t let me")

PATTERNS: dict[str, list[str]] = {
    "self_harm": [
        rf"\b(?:kill|killing|hang|hanging|hurt|hurting|harm|harming|cut|cutting|stab|shoot|drown|poison|starve|unalive|top|topping|off)\s+(?:{_MYSELF})\b",
        r"\bkms\b",
        r"\bsu[iy]?[cs]+[iy]?d(?:e|al|le|el|ing)?\b|\bsuicd\w*",
        r"\bself[\s-]?harm\w*|\bself[\s-]?injur\w*",
        r"\b(?:end|ending|take|taking|ended)\s+(?:my|me|ma)\s+(?:own\s+)?life\b",
        r"\b(?:end|ending)\s+it\s+(?:all|tonight|now|today)\b",
        r"\b(?:want|wanna|wanting|going|gonna|ready|plan|planning|deserve)\s+(?:to\s+)?die\b",
        r"\bwish\s+i\s+(?:was|were|wasn'?t|weren'?t)\s+(?:dead|alive|here|born)\b",
        r"\bbetter off dead\b|\bbetter off without me\b",
        r"\b(?:don'?t|dont|do not|no longer)\s+want\s+to\s+(?:live|be alive|be here|exist|wake up|go on)\b",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on)\b",
        r"\bnot worth living\b|\bcan'?t go on\b|\bcannot go on\b|\bcan'?t take (?:it|this) any ?more\b",
        r"\bunalive\w*",
        r"\boverdos\w*|\btook (?:all (?:of )?|a load of |loads of |a bunch of |a handful of )(?:my |the |her |his )?(?:pills|tablets|meds|medication)\b",
        r"\bjump(?:ing)? (?:off|from|in front of) (?:a |the )?(?:bridge|train|building|roof|car park|cliff|balcony)",
        r"\b(?:lladd|ladd|nladd) fy hun\b|\bhunan[\s-]?laddiad\w*|\bhunan[\s-]?niwed\w*",
        r"\b(?:niweidio|brifo|anafu) fy hun\b",
        r"\b(?:ddim|dim) (?:eisiau|isio|moyn|am) (?:byw|fyw)\b|\b(?:eisiau|isio|moyn) marw\b",
        r"\brhoi diwedd ar fy (?:mywyd|hun)\b",
    ],
    "child_at_risk": [
        near(_CHILD, r"home alone|left alone|on (?:their|his|her) own|by (?:themselves|himself|herself)|unsupervised|unattended"),
        near(_CHILD, r"abus\w*|beat\w*|hitting|hits|punch\w*|kick(?:ed|ing)|slapp\w*|neglect\w*|starv\w*|hungry|not (?:been )?fed|bruis\w*|locked (?:in|out)|in danger|at risk|groom\w*|sexual\w*|touch(?:ed|ing)|screaming for help|crying for hours|being hurt|missing|taken away|mewn perygl|cam[\s-]?drin|esgeulus\w*"),
        near(_CHILD, r"fell|fallen|drown\w*|in the (?:river|canal|lake|water|pond)|choking|not breathing|unconscious", 4),
        r"\b(?:cam[\s-]?drin|esgeuluso) (?:plant|plentyn)\b|\bplentyn (?:ar ei ben ei hun|mewn perygl)\b",
        r"\bchild (?:abuse|neglect|cruelty|protection concern)\b",
    ],
    "vulnerable_adult_at_risk": [
        near(_ADULT, r"not (?:been )?seen|hasn'?t been seen|haven'?t seen|no one has seen|collapsed|on the floor|can'?t get up|fallen over|had a fall|no food|not eating|no heating|freezing|confused|wandering|gone missing|went missing|is missing|scammed|taken advantage|financial(?:ly)? abus\w*|neglect\w*|being abused|locked in|not answering|mewn perygl", 8),
        r"\bvulnerable (?:adult|person|man|woman) (?:at risk|in danger|being)\b",
        r"\boedolyn (?:bregus|mewn perygl)\b",
    ],
    "domestic_abuse": [
        rf"\b(?:my|her|his|our)\s+(?:{_PARTNER})\s+(?:[\w']+\s+){{0,3}}(?:{_HIT})\b",
        r"\b(?:he|she|they)\s+(?:\w+\s+)?(?:hits|hit|beats|beat|punched|kicked|slapped|strangled|choked|raped|abuses|abused|hurts|threatened|attacked)\s+me\b",
        r"\bdomestic (?:abuse|violence)\b(?!\s+(?:awareness|training|week|campaign|month|strategy|policy|conference|forum|charity|fundraiser|champion|course))",
        r"\b(?:scared|afraid|terrified|frightened) of (?:my (?:partner|husband|wife|boyfriend|girlfriend|ex|dad|son)|him|her)\b",
        r"\bcoercive control\w*|\babusive (?:partner|relationship|husband|wife|boyfriend|girlfriend|ex|marriage)\b",
        r"\b(?:threaten\w*|going|gonna|wants?|tried) to kill (?:me|us|my|the kids|the children)\b",
        r"\b(?:beats|hits|punches|hurts|abuses|chokes|strangles) me\b|\bhitting me\b|\bbeating me\b",
        r"\btrais (?:yn y cartref|domestig)|\bcam[\s-]?drin domestig",
        r"\bmae(?:'n| e'n| o'n| hi'n) fy (?:nharo|mwrw|mrifo|ngham[\s-]?drin)\b|\bofn fy (?:mhartner|ngŵr|ngwr|ngwraig|nghariad)\b",
    ],
    "exploitation": [
        r"\bcounty lines?\b|\bcuckoo(?:ing|ed)\b",
        r"\bgroom(?:ed|ing)\b(?!\s+(?:dog|dogs|the dog|my dog|pet|parlour))",
        r"\btraffick\w*|\bmodern slavery\b|\bforced (?:to work|labour|labor|to sell|to deal|to carry|into)\b",
        r"\bsexual(?:ly)? exploit\w*|\bexploit(?:ed|ing) (?:children|kids|a child|young people|vulnerable)\b",
        r"\btaken over (?:his|her|their|my) (?:flat|house|home)\b",
        r"\bcamfantei\w*|\bcaethwasiaeth\b",
    ],
    "danger_to_life": [
        r"\bgas (?:leak|escape)\w*|\b(?:smell|smells|smelling|stink|stench|whiff) (?:of )?gas\b|\bgas smell\w*",
        r"\blive (?:wire|wires|cable|cables|electric\w*)\b|\b(?:wire|wires|cable|cables)\b[^.]{0,30}\bspark\w*|\bsparking\b[^.]{0,30}\b(?:wire|wires|cable|cables|lamp|post|column|box)\b",
        r"\belectrocut\w*",
        near(r"man|woman|person|someone|somebody|child|kid|boy|girl|baby|people|pedestrian|cyclist|elderly", r"fell (?:in|into)|fallen (?:in|into)|drown\w*|in the (?:river|canal|lake|thames|water)|trapped|collapsed|unconscious|not breathing|stabbed|shot|bleeding|hit by a (?:car|van|bus|lorry)|knocked (?:down|over) by", 5),
        r"\bdrowning\b|\bnot breathing\b|\bcarbon monoxide\b|\bexplosion\b",
        r"\b(?:house|flat|building|block|car|van|bin|bins|shed|garage|kitchen|tree|bus|home|roof|school|shop)s?\b(?:\s+[\w']+){0,4}?\s+(?:is\s+|are\s+|was\s+)?(?:on fire|ablaze|burning|alight)\b|\bfire in (?:the|a|my|our)\b|\bset (?:fire to|alight|on fire) (?:a |the |my |our |his |her |their |next door'?s? )?(?:house|flat|home|front door|door|letterbox|building|block|someone|somebody|him|her|me|us|them)\b",
        r"\b(?:with|carrying|waving|holding|pulled|has|had|got) (?:a |an )?(?:knife|knives|machete|gun|firearm|blade|weapon)\b|\b(?:stabbed|stabbing|shooting|shot at)\b",
        r"\bdanger to life\b|\brisk to life\b|\blife[\s-]?threatening\b|\bimmediate danger\b",
        r"\b(?:arogl|ogla|oglau) nwy\b|\bnwy yn (?:gollwng|dianc)\b|\bgollyngiad nwy\b|\bperygl (?:i|i'r) fywyd\b|\bar d[aâ]n\b|\bboddi\b|\bwedi (?:syrthio|disgyn) i'r (?:afon|gamlas|llyn)\b",
    ],
}

# Figurative or institutional uses that must not raise an alarm on their own:
# they are blanked out before the patterns run.
NEGATIVE_CONTEXT: list[str] = [
    r"\bsuicide (?:prevention|awareness|training|helpline|statistics|rates?|squad|bomb\w*|mission|doors?|lane)\b",
    r"\b(?:prevent|preventing|prevention of) suicide\b",
    r"\bself[\s-]?harm (?:awareness|training|prevention)\b",
    r"\b(?:overdose) (?:awareness|prevention|training)\b",
    r"\bchild (?:benefit|care|minder|seat|seats|friendly|protection training)\b",
    r"\bgroom(?:ed|ing) (?:the )?(?:verge|verges|hedge|hedges|grass|park|dog|dogs)\b",
    r"\bdon'?t (?:want|wanna) to die of (?:boredom|embarrassment)\b",
]
