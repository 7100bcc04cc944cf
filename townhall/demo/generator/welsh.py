"""What Welsh-speaking residents write, and how officers answer them in Welsh.

Slots that sit after a word that mutates the next one are filled with phrases that already
carry the right form ({ar} is "ar Stryd y Bont" or "ger yr ysgol"; {dydd} is "ddydd Llun"),
so no template has to mutate a word at run time.
"""

from __future__ import annotations

CY_PROBLEMS: dict[str, list[str]] = {
    "missed_bin": [
        "Mae'r biniau heb eu casglu ers {cyfnod} {ar}.",
        "Dydy'r bin ailgylchu ddim wedi cael ei gasglu {ar} yr wythnos yma.",
        "Chafodd y bin du ddim ei gasglu {dydd} {ar}.",
        "Dydy'r cadi gwastraff bwyd ddim wedi cael ei wagio ers {cyfnod}.",
        "Mae'r lori sbwriel wedi methu ein stryd ni eto.",
    ],
    "strike": [
        "Oes streic gan griw'r biniau? Does dim byd wedi cael ei gasglu {ar} {ers_dydd}.",
        "Pryd fydd y biniau'n cael eu casglu? Mae'r streic wedi para wythnos gyfan.",
        "Mae'r biniau'n gorlifo {ar} ac mae'r drewdod yn ofnadwy.",
        "Ddylen ni adael y biniau allan yn ystod y streic?",
    ],
    "snow_bins": ["Ydy'r casgliadau biniau'n mynd yn eu blaen yn yr eira?"],
    "garden_waste": [
        "Sut mae talu am y casgliad gwastraff gardd eleni?",
        "Dw i wedi talu am y gwasanaeth gwastraff gardd ond does dim sticer wedi cyrraedd.",
        "Pryd mae'r casgliadau gwastraff gardd yn ailddechrau?",
    ],
    "christmas_collections": [
        "Pa ddiwrnod fydd y biniau'n cael eu casglu dros y Nadolig?",
        "Dydy'r biniau ddim wedi cael eu casglu ers y Nadolig {ar}.",
    ],
    "bill": [
        "Dw i wedi cael bil treth gyngor ond mae'r band yn anghywir.",
        "Pam mae'r dreth gyngor wedi codi eto eleni?",
        "Ges i ddau fil treth gyngor ar gyfer yr un tŷ.",
        "Alla i dalu'r dreth gyngor dros ddeuddeg mis yn lle deg?",
    ],
    "single_person": ["Sut mae gwneud cais am ostyngiad person sengl ar y dreth gyngor?"],
    "direct_debit": ["Hoffwn i newid dyddiad y debyd uniongyrchol ar gyfer fy nhreth gyngor."],
    "welsh_form": [
        "Oes modd cael ffurflen treth gyngor yn Gymraeg?",
        "Allwch chi anfon fy mil treth gyngor yn Gymraeg o hyn ymlaen, os gwelwch yn dda?",
    ],
    "arrears": [
        "Dw i wedi cael llythyr atgoffa am y dreth gyngor ond alla i ddim talu'r cyfan ar unwaith.",
    ],
    "moving_house": ["Dw i'n symud tŷ fis nesaf. Sut mae rhoi gwybod i'r adran treth gyngor?"],
    "pothole": [
        "Mae twll mawr yn y ffordd {ar}.",
        "Mae'r tyllau yn y ffordd {ar} yn beryglus i feicwyr.",
        "Dw i newydd gael twll yn fy nheiar ar ôl taro twll yn y ffordd {ar}.",
    ],
    "gritting": [
        "Ydy'r lorïau graeanu'n mynd allan heno?",
        "Dydy'r ffordd {ar} ddim wedi cael ei graeanu ac mae hi fel llawr sglefrio.",
        "Mae'r bin graean {ar} yn wag.",
    ],
    "flood_road_closure": [
        "Ydy'r ffordd ar gau ger {flood_cy}?",
        "Pa ffyrdd sydd ar gau oherwydd y llifogydd?",
    ],
    "flood_incident": [
        "Mae {river_cy} wedi gorlifo ger {flood_cy} ac mae dŵr yn dod i mewn i'r tai.",
        "Mae {flood_cy} o dan ddŵr. Oes rhywun yn dod?",
        "Mae'r afon dros y ffordd ger {flood_cy} ac mae'n dal i godi.",
    ],
    "sandbags": [
        "Oes bagiau tywod ar gael? Mae'r dŵr yn codi'n gyflym ger {flood_cy}.",
        "Oes bagiau tywod ar gael yn y ganolfan hamdden?",
    ],
    "leaf_drains": [
        "Mae dail wedi blocio'r gwteri {ar} ac mae'r dŵr dros y palmant.",
        "Pryd fydd y draeniau {ar} yn cael eu clirio?",
    ],
    "blocked_drain": [
        "Mae'r draen {ar} wedi blocio ac mae'r ffordd yn gorlifo bob tro mae'n bwrw glaw.",
    ],
    "street_lighting": [
        "Dydy golau'r stryd ddim yn gweithio {ar} ers {cyfnod}.",
        "Mae'r golau stryd y tu allan i'n tŷ ni wedi diffodd.",
        "Mae golau'r stryd {ar} yn fflachio drwy'r nos.",
    ],
    "flytipping": [
        "Mae rhywun wedi dympio matres a bagiau sbwriel {ar}.",
        "Tipio anghyfreithlon eto {ar} – soffa, teiars a bagiau du.",
        "Mae llwyth o sbwriel wedi cael ei adael {ar}.",
    ],
    "dog_fouling": [
        "Mae baw cŵn ym mhobman {ar}.",
        "Oes modd cael bin baw cŵn {ar}? Mae pobl yn hongian y bagiau ar y ffens.",
    ],
    "icy_pavement": [
        "Mae'r palmentydd {ar} fel gwydr. Ydyn nhw'n mynd i gael eu graeanu?",
    ],
    "uneven_pavement": ["Mae'r palmant {ar} wedi codi ac mae fy nhad wedi baglu arno."],
    "dead_animal": [
        "Mae mochyn daear marw ar ochr y ffordd {ar}.",
        "Mae llwynog marw ar y palmant {ar} ers ddoe.",
    ],
    "graffiti_flyposting": ["Mae rhywun wedi chwistrellu graffiti ar y wal {ar}."],
    "rats": ["Mae llygod mawr yn yr ardd gefn. Oes modd i rywun ddod allan?"],
    "antisocial_behaviour": [
        "Mae criw o bobl ifanc yn taflu cerrig at geir {ar} bob nos.",
    ],
    "grass_cutting": ["Pryd fydd y gwair ar ymyl y ffordd {ar} yn cael ei dorri?"],
    "litter": ["Mae sbwriel ym mhobman {ar}.", "Mae'r bin sbwriel {ar} yn gorlifo eto."],
    "admissions": [
        "Pryd mae'r dyddiad cau ar gyfer ceisiadau ysgol uwchradd?",
        "Sut mae gwneud cais am le mewn ysgol Gymraeg?",
        "Dyn ni newydd symud i'r ardal. Sut mae cael lle i'n merch yn yr ysgol leol?",
    ],
    "snow_closure": [
        "Ydy'r ysgol ar gau heddiw oherwydd yr eira?",
        "Oes rhestr o'r ysgolion sydd ar gau?",
    ],
    "school_transport": ["Wnaeth bws yr ysgol ddim troi lan y bore 'ma."],
    "libraries_leisure": [
        "Beth yw oriau agor y llyfrgell ddydd Sadwrn?",
        "Oes gwersi nofio i blant bach yn y ganolfan hamdden?",
        "Alla i adnewyddu fy llyfrau llyfrgell ar-lein?",
    ],
    "general_enquiry": [
        "Oes rhywun sy'n siarad Cymraeg ar gael i fy helpu?",
        "Beth yw oriau agor y ganolfan ddinesig?",
        "Pwy yw fy nghynghorydd lleol?",
    ],
    "thanks_crew": [
        "Diolch yn fawr i griw'r biniau – maen nhw'n gweithio'n galed ym mhob tywydd.",
        "Diolch am drwsio'r twll yn y ffordd mor gyflym!",
    ],
    "thanks_gritting": ["Da iawn i'r tîm graeanu, roedd y ffyrdd yn glir y bore 'ma."],
    "thanks_officer": ["Diolch i'r swyddog ar y sgwrs we ddoe, roedd hi'n help mawr."],
    "repair": ["Dw i wedi rhoi gwybod am do sy'n gollwng ers {cyfnod} a does neb wedi dod."],
    "damp_mould": ["Mae lleithder a llwydni yn y fflat ac mae'r plant yn sâl o hyd."],
    "heating": ["Mae'r boeler wedi torri ers tri diwrnod a does dim gwres na dŵr poeth."],
    "register": [
        "Pa mor hir yw'r rhestr aros am dŷ cyngor?",
        "Sut mae ymuno â'r gofrestr dai?",
    ],
    "planning": [
        "Ydy'r cais cynllunio ar gyfer y tir {ar} ar gael i'w weld ar-lein?",
        "Sut mae gwrthwynebu'r cais cynllunio {ar}?",
    ],
    "parking_permits_fines": [
        "Ges i docyn parcio {ar} er bod gen i drwydded.",
        "Sut mae adnewyddu fy nhrwydded barcio i breswylwyr?",
    ],
    "social_care": [
        "Hoffwn i drefnu asesiad gofal i fy mam.",
        "Sut mae gwneud cais am fathodyn glas?",
    ],
    "benefits": ["Dw i heb glywed dim byd am fy nghais am fudd-dal tai ers {cyfnod}."],
    "vehicles_parking": [
        "Mae car wedi cael ei adael {ar} ers {cyfnod}, heb dreth.",
        "Mae ceir yn parcio ar y palmant {ar} ac alla i ddim mynd heibio gyda'r pram.",
    ],
}

CY_OPENINGS = ("Helo,", "Shwmae,", "S'mae,", "Bore da,", "Prynhawn da,", "Noswaith dda,",
               "Gobeithio y gallwch chi helpu.", "", "", "")
CY_STREET_DETAILS = ("Mae hyn wedi digwydd o'r blaen.", "Dyma'r trydydd tro i mi roi gwybod.",
                     "Mae'n beryglus iawn.", "Mae gen i blant bach.", "Fy rhif ffôn yw {phone}.",
                     "Mae'r cymdogion yn cwyno hefyd.", "", "", "", "")
CY_SERVICE_DETAILS = ("Dw i wedi trio ffonio ond does neb yn ateb.", "Fy rhif ffôn yw {phone}.",
                      "Mae'n well gen i wneud hyn ar-lein.", "Dw i yn y gwaith drwy'r dydd.",
                      "", "", "", "")
CY_CLOSINGS = ("Diolch.", "Diolch yn fawr.", "Diolch o flaen llaw.", "Diolch yn fawr iawn!",
               "Plîs helpwch.", "Diolch 🙏", "", "")
CY_PERIODS = ("pythefnos", "wythnos", "tair wythnos", "mis", "deg diwrnod")
CY_DAYS = ("Llun", "Mawrth", "Mercher", "Iau", "Gwener")

CY_TEAM_ACTION: dict[str, tuple[str, ...]] = {
    "highways": ("Dw i wedi pasio hyn i'r tîm priffyrdd, cyf {ref}.",
                 "Bydd ein harolygydd priffyrdd yn edrych ar hyn, cyf {ref}."),
    "waste": ("Dw i wedi rhoi gwybod i'r tîm gwastraff, cyf {ref}.",
              "Dw i wedi gofyn i'r criw ddod yn ôl, cyf {ref}."),
    "environment": ("Dw i wedi pasio hyn i'r tîm gorfodi amgylcheddol, cyf {ref}.",
                    "Bydd swyddog yr amgylchedd yn ymweld, cyf {ref}."),
    "housing": ("Dw i wedi trefnu atgyweiriad gyda'r tîm tai, cyf {ref}.",
                "Dw i wedi pasio hyn i'ch swyddog tai, cyf {ref}."),
    "customer_services": ("Dw i wedi pasio eich ymholiad i'r tîm cywir, cyf {ref}.",
                          "Dw i wedi cofnodi eich ymholiad, cyf {ref}."),
    "communications": ("Bydda i'n rhannu'ch geiriau caredig â'r tîm.",),
}
CY_ACKS = ("Diolch am roi gwybod i ni.", "Helo {first}, diolch am gysylltu.",
           "Diolch am adrodd hyn, {first}.", "Mae'n ddrwg gen i glywed hyn, {first}.",
           "Diolch {first}.", "Shwmae {first}, diolch am eich neges.")
CY_NEXT = ("Byddwn ni'n rhoi gwybod i chi pan fydd wedi'i wneud.",
           "Gallwch chi roi gwybod am broblemau ar-lein hefyd: {site}/cy/adrodd",
           "Allwch chi anfon llun aton ni mewn neges breifat?", "", "")

# Answers for topics where the reply is the answer itself rather than a referral.
CY_TOPIC_REPLIES: dict[str, tuple[str, ...]] = {
    "strike": ("Mae'n ddrwg gennym ni – mae gweithredu diwydiannol yn effeithio ar gasgliadau'r "
               "wythnos hon. Gadewch eich biniau allan a byddwn ni'n eu casglu cyn gynted â "
               "phosib.",),
    "welsh_form": ("Wrth gwrs. Mae'r ffurflen ar gael yn Gymraeg ar ein gwefan: "
                   "{site}/cy/treth-gyngor. Gallwn ni bostio copi atoch chi hefyd.",),
    "flood_incident": ("Mae'r criwiau ar y safle ger Lôn y Felin. Os ydych chi mewn perygl, "
                       "ffoniwch 999.",),
    "sandbags": ("Mae bagiau tywod ar gael yn y ganolfan hamdden tan 8yh heno.",),
    "gritting": ("Mae ein lorïau graeanu allan heno ar y prif lwybrau. Gallwch chi weld y map "
                 "graeanu ar ein gwefan.",),
    "garden_waste": ("Gallwch chi danysgrifio i'r gwasanaeth gwastraff gardd ar-lein: "
                     "{site}/cy/gwastraff-gardd",),
    "admissions": ("Y dyddiad cau ar gyfer ceisiadau ysgol uwchradd yw 31 Hydref. Gallwch chi "
                   "wneud cais ar-lein: {site}/cy/derbyniadau",),
    "libraries_leisure": ("Mae'r llyfrgell ar agor 9yb–5yh o ddydd Llun i ddydd Sadwrn.",),
    "thanks_crew": ("Diolch o galon, {first}! Bydda i'n rhannu hyn â'r tîm.",),
    "thanks_gritting": ("Diolch o galon, {first}! Bydda i'n rhannu hyn â'r criwiau graeanu.",),
    "general_enquiry": ("Wrth gwrs – gallwch chi siarad â ni yn Gymraeg unrhyw bryd. Sut galla "
                        "i helpu?",),
}

CY_THANKS = ("Diolch yn fawr, {officer}", "Diolch am yr ateb cyflym", "Gwych, diolch",
             "Diolch, mae wedi'i sortio nawr", "Diolch o galon {officer}", "Diolch {officer}",
             "Iawn, diolch", "Dw i wedi llenwi'r ffurflen nawr")
CY_STILL = ("Mae'n dal heb ei wneud", "Unrhyw newyddion? Mae'n dal yr un fath",
            "Does neb wedi dod eto", "Dal dim byd")
CY_FOLLOW_UP_EXTRAS = ("", "", ".", "!", " 👍", " 🙏", " – help mawr", ", pob hwyl")
CY_CHASERS = ("Oes rhywun yno?", "Unrhyw newyddion?", "Dal i aros am ateb i hyn.",
              "Helo? Dim ateb eto.", "Ydy rhywun yn edrych ar hyn?", "Dal dim ateb.")
CY_CHASE_ENDINGS = ("", "", " 🙄", " Diolch.", " Plîs.", "..")
