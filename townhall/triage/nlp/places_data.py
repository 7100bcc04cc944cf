"""Street-name endings and a short gazetteer of UK places, written for Townhall."""

STREET_SUFFIXES = "|".join([
    "Road", "Rd", "Street", "St", "Lane", "Ln", "Avenue", "Ave", "Close", "Drive", "Dr", "Way",
    "Crescent", "Cres", "Grove", "Gardens", "Gdns", "Place", "Pl", "Terrace", "Terr", "Hill",
    "Square", "Sq", "Court", "Ct", "Walk", "Row", "Mews", "Parade", "Broadway", "Green",
    "Rise", "Vale", "View", "Park Road", "High Street", "Boulevard", "Embankment", "Passage",
    "Yard", "Wharf", "Bridge", "Approach", "Circus", "Gate", "Path", "Estate",
    "road", "street", "lane", "avenue", "close", "drive", "crescent", "grove", "gardens",
])
WELSH_STREET_PREFIXES = "Heol|Stryd|Ffordd|Lôn|Lon|Rhodfa|Cilgant|Maes|Stryd Fawr|Y Stryd Fawr"

# Cities, large towns and London boroughs; enough to group incidents and route
# by area. A council can extend this with its own gazetteer.
PLACE_NAMES = [
    "London", "Cardiff", "Caerdydd", "Swansea", "Abertawe", "Newport", "Casnewydd", "Wrexham",
    "Wrecsam", "Bangor", "Aberystwyth", "Carmarthen", "Caerfyrddin", "Llanelli", "Bridgend",
    "Pen-y-bont", "Merthyr Tydfil", "Pontypridd", "Caerphilly", "Caerffili", "Barry", "Y Barri",
    "Neath", "Port Talbot", "Rhyl", "Llandudno", "Caernarfon", "Holyhead", "Caergybi",
    "Haverfordwest", "Hwlffordd", "Brecon", "Aberhonddu", "Newtown", "Y Drenewydd", "Mold",
    "Yr Wyddgrug", "Denbigh", "Dinbych", "Monmouth", "Trefynwy", "Abergavenny", "Y Fenni",
    "Cwmbran", "Ebbw Vale", "Glynebwy", "Aberdare", "Aberdâr", "Ruthin", "Rhuthun",
    "Birmingham", "Manchester", "Liverpool", "Leeds", "Sheffield", "Bristol", "Newcastle",
    "Nottingham", "Leicester", "Coventry", "Bradford", "Hull", "Plymouth", "Southampton",
    "Portsmouth", "Brighton", "Reading", "Oxford", "Cambridge", "Norwich", "Exeter", "York",
    "Derby", "Stoke", "Wolverhampton", "Sunderland", "Middlesbrough", "Bath", "Gloucester",
    "Chester", "Shrewsbury", "Hereford", "Worcester", "Ipswich", "Peterborough", "Luton",
    "Milton Keynes", "Northampton", "Swindon", "Bournemouth", "Blackpool", "Preston",
    "Bolton", "Wigan", "Stockport", "Salford", "Oldham", "Huddersfield", "Doncaster",
    "Rotherham", "Barnsley", "Wakefield", "Lincoln", "Carlisle", "Durham", "Canterbury",
    "Maidstone", "Crawley", "Guildford", "Colchester", "Chelmsford", "Southend", "Watford",
    "Slough", "Edinburgh", "Glasgow", "Aberdeen", "Dundee", "Inverness", "Belfast", "Derry",
    "Barking", "Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith", "Fulham", "Haringey",
    "Harrow", "Havering", "Hillingdon", "Hounslow", "Islington", "Kensington", "Chelsea",
    "Kingston", "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge", "Richmond",
    "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
    "Brixton", "Peckham", "Stratford", "Walthamstow", "Tottenham", "Wembley", "Woolwich",
    "Clapham", "Deptford", "Whitechapel", "Shoreditch", "Dalston", "Streatham", "Sidcup",
]
