"""The fictional Afoncaster County Borough Council: its teams, officers, channels and places.

Afoncaster is invented. It sits on the Welsh border, so street signs are bilingual and some
residents write in Welsh. Domains use the reserved ``.example`` top-level domain so that no demo
address can ever reach a real inbox.
"""

from __future__ import annotations

from .model import ChannelSpec, Officer, Team

SLUG = "afoncaster"
NAME = "Afoncaster County Borough Council"
NAME_CY = "Cyngor Bwrdeistref Sirol Caerafon"
DOMAIN = "afoncaster.example"
WEBSITE = "https://www.afoncaster.example"

TEAMS: list[Team] = [
    Team("customer_services", "Customer Services"),
    Team("highways", "Highways"),
    Team("waste", "Waste and Recycling"),
    Team("environment", "Environment and Community Safety"),
    Team("housing", "Housing"),
    Team("communications", "Communications"),
    Team("safeguarding", "Safeguarding"),
    Team("digital", "Digital Services"),
]


def _officer(username: str, first: str, last: str, team: str, role: str = "officer") -> Officer:
    local = username if "." in username else f"{first}.{last}".lower()
    local = local.replace("â", "a").replace("ô", "o").replace("'", "")
    return Officer(username, first, last, f"{local}@{DOMAIN}", team, role)  # type: ignore[arg-type]


# The usernames "officer", "supervisor" and "admin" are fixed because the demo login page and the
# loader's tests sign in as them.
OFFICERS: list[Officer] = [
    _officer("officer", "Alex", "Morgan", "customer_services"),
    _officer("supervisor", "Priya", "Shah", "customer_services", "supervisor"),
    _officer("sian.evans", "Siân", "Evans", "customer_services"),
    _officer("tom.bradley", "Tom", "Bradley", "customer_services"),
    _officer("megan.pritchard", "Megan", "Pritchard", "customer_services"),
    _officer("gareth.jones", "Gareth", "Jones", "highways"),  # the highways inspector
    _officer("lucy.fenwick", "Lucy", "Fenwick", "highways"),
    _officer("daniel.okafor", "Daniel", "Okafor", "highways", "supervisor"),
    _officer("chris.watkins", "Chris", "Watkins", "waste"),
    _officer("nia.roberts", "Nia", "Roberts", "waste"),
    _officer("kieran.walsh", "Kieran", "Walsh", "environment"),
    _officer("elin.thomas", "Elin", "Thomas", "environment"),
    _officer("james.obrien", "James", "O'Brien", "housing"),
    _officer("ffion.davies", "Ffion", "Davies", "housing"),
    _officer("hannah.lloyd", "Hannah", "Lloyd", "communications", "supervisor"),
    _officer("owen.price", "Owen", "Price", "communications"),
    _officer("carys.bevan", "Carys", "Bevan", "safeguarding"),  # the safeguarding duty officer
    _officer("emma.hart", "Emma", "Hart", "safeguarding"),  # covers nights and weekends
    _officer("admin", "Dafydd", "Hughes", "digital", "admin"),
]

# Officers who answer in Welsh. Every team that answers residents has at least one, so a Welsh
# message never has to wait for a translator (Welsh Language Standards).
WELSH_SPEAKERS: tuple[str, ...] = (
    "sian.evans", "megan.pritchard", "gareth.jones", "nia.roberts", "elin.thomas",
    "ffion.davies", "hannah.lloyd", "carys.bevan",
)

SAFEGUARDING_DUTY = "carys.bevan"
SAFEGUARDING_OUT_OF_HOURS = "emma.hart"

CHANNELS: list[ChannelSpec] = [
    ChannelSpec("facebook", "afoncastercouncil", "Afoncaster Council on Facebook"),
    ChannelSpec("x", "AfoncasterCBC", "Afoncaster Council on X"),
    ChannelSpec("x", "CyngorCaerafon", "Cyngor Caerafon ar X"),
    ChannelSpec("instagram", "afoncastercouncil", "Afoncaster Council on Instagram"),
    ChannelSpec("nextdoor", "afoncaster-council", "Afoncaster Council on Nextdoor"),
    ChannelSpec("mastodon", "afoncaster@social.example", "Afoncaster Council on Mastodon"),
    ChannelSpec("bluesky", "afoncaster.bsky.social", "Afoncaster Council on Bluesky"),
    ChannelSpec("email", f"contact@{DOMAIN}", "Afoncaster Council contact centre"),
    ChannelSpec("webchat", "afoncaster-webchat", "Afoncaster Council web chat"),
]

# The channel a Welsh speaker writes to, where the council runs a Welsh account on that platform.
WELSH_CHANNEL: dict[str, str] = {"x": "CyngorCaerafon"}

# Which team owns each category. Categories that need no specialist go to Customer Services.
CATEGORY_TEAM: dict[str, str] = {
    "flytipping": "environment",
    "street_cleaning_litter": "environment",
    "roads_potholes": "highways",
    "vehicles_parking": "highways",
    "graffiti_flyposting": "environment",
    "pavements_footpaths": "highways",
    "trees_parks_verges": "environment",
    "bins_collections": "waste",
    "street_lighting": "highways",
    "signs_signals": "highways",
    "dead_animal": "waste",
    "drains_flooding": "highways",
    "dog_fouling": "environment",
    "antisocial_behaviour": "environment",
    "pests_environmental_health": "environment",
    "other": "customer_services",
    "council_tax": "customer_services",
    "benefits": "customer_services",
    "housing": "housing",
    "planning": "customer_services",
    "parking_permits_fines": "customer_services",
    "schools": "customer_services",
    "libraries_leisure": "customer_services",
    "social_care": "customer_services",
    "compliments": "communications",
    "general_enquiry": "customer_services",
}

# Prefixes for the case references officers quote in replies.
REF_PREFIX: dict[str, str] = {
    "customer_services": "CS",
    "highways": "HW",
    "waste": "WR",
    "environment": "EN",
    "housing": "HS",
    "communications": "CM",
    "safeguarding": "SG",
}

VILLAGES: tuple[str, ...] = (
    "Afoncaster", "Pont-y-Felin", "Llanhelyg", "Cwmderwen", "Millbrook", "Oakhurst Green",
    "Castlemead", "Hollins End", "Trefynach", "Brynteg", "Wernford", "Glan-yr-afon",
)

STREETS: tuple[str, ...] = (
    "Mill Lane", "Bridge Street", "Church Road", "Castle Way", "High Street", "Station Road",
    "Chapel Street", "Market Square", "Green Lane", "Mountain Road", "School Lane", "Water Street",
    "Oak Avenue", "Beech Close", "Willow Drive", "Meadow View", "Orchard Way", "Victoria Road",
    "Queens Road", "Park Crescent", "Hillside", "Ferry Road", "Wern Road", "Tan-y-Bryn",
    "Heol y Nant", "Ffordd Derwen", "Maes y Coed", "Greenfield Terrace", "Albert Street",
    "Kingsway", "Riverside", "Cae Mawr", "Lôn Isaf", "Abbey Road", "Foundry Row", "Colliers Way",
    "Sandy Lane", "Vicarage Lane", "The Paddocks", "Primrose Hill",
)

# Streets with official Welsh names, given as they read after "ar" ("on"). Only names whose first
# letter does not mutate after "ar" are used, so no template has to compute a mutation.
WELSH_STREETS_AR: tuple[str, ...] = (
    "ar Lôn y Felin", "ar Stryd y Bont", "ar Heol yr Eglwys", "ar Ffordd y Castell",
    "ar y Stryd Fawr", "ar Heol yr Orsaf", "ar Stryd y Capel", "ar Sgwâr y Farchnad",
    "ar Lôn Las", "ar Heol y Mynydd", "ar Lôn yr Ysgol", "ar Stryd y Dŵr", "ar Heol y Nant",
    "ar Ffordd Derwen", "ar Heol Wern",
)

# Places after "ger" ("near"), which causes no mutation.
WELSH_LANDMARKS_GER: tuple[str, ...] = (
    "ger yr ysgol", "ger y llyfrgell", "ger y capel", "ger y siop", "ger y parc chwarae",
    "ger y ganolfan hamdden", "ger y bont", "ger yr orsaf", "ger y clwb rygbi", "ger y feddygfa",
)

LANDMARKS: tuple[str, ...] = (
    "school", "Spar", "chippy", "bus stop", "church", "play park", "leisure centre", "library",
    "surgery", "community centre", "Red Lion", "post office", "railway bridge", "rugby club",
    "garage", "allotments",
)

# Postcodes in the real UK format on an outward code ("AC") that no real area uses.
POSTCODE_DISTRICTS: tuple[str, ...] = tuple(f"AC{n}" for n in range(1, 13))
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# The named incident the flood event is about, in both languages.
FLOOD_STREET = "Mill Lane"
FLOOD_STREET_CY = "Lôn y Felin"
RIVER = "River Wern"
RIVER_CY = "Afon Wern"
