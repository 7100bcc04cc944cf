"""Word lists and letter patterns for language identification, written for Townhall."""

FUNCTION_WORDS: dict[str, str] = {
    "en": "the and to of in is it that for on was with as be this have from or by not are but my "
          "you we they has had there been can will what when which all their our your out up if no "
          "so just about get would could outside road street please very been they're it's don't "
          "i'm can't won't near next again still since has have being also than then them these "
          "those some any who how where why here after before because into over only more",
    "cy": "y yr 'r yn mae oedd roedd bod fod wedi ei eu ein eich fy dy hi fe fo nhw ni chi fi dw "
          "dwi rwy rydw rydyn rydych ydy ydw yw ydych oes nid ddim dim na nad ond neu gyda efo hefyd "
          "iawn mwy llawer pan os sydd fydd bydd byddai gall gallu gan gyd rhaid angen eisiau isio "
          "heddiw yma yna hwn hon hyn hynny rhai pob pawb beth pam pwy sut ble pryd faint diolch "
          "helo bore nos dros drwy trwy heb rhwng tan erbyn wrth dan tu allan mewn yng ym ger cael "
          "gael gwneud mynd dod gweld gwybod meddwl dweud rhoi roi fawr mawr bach newydd hen cyntaf "
          "dau dwy tri fel felly achos oherwydd i'r o'r â cymru cymraeg cyngor stryd ffordd ysgol "
          "mae'n mae'r roedd yn dyw does nac ydi oedden fu fuodd yno ohono iddo iddi arni arno "
          "ganddo ganddi hynny'n hwnnw honno mi ti chwi ydyn nhw'n i'n sy ydoedd wnaeth gafodd "
          "ddau gymaint bob ddydd heddiw yfory ddoe wythnos blwyddyn amser gwaith plant tŷ lle "
          "un arall dyna dyma hoffwn gobeithio bu nifer pobl yng nghymru sef cyn ar ôl yn ôl "
          "gwneud wneud wnes wnaeth fasai fyddai byddwn roeddwn roedden buodd nawr rŵan eto "
          "hyd eisoes tua unwaith erioed byth weithiau ychydig digon gormod tros hefo ers",
    "fr": "le la les et est une des pas je vous nous que qui dans pour avec sur c'est il elle au aux "
          "du ce cette mais très sont ont être avoir",
    "de": "der die das und ist nicht ich sie wir ein eine mit auf für zu den von dem bitte sehr auch "
          "noch wie wird sind haben",
    "es": "el los las es que en una por con para está muy pero del al como más yo tengo hay",
    "it": "il che di è per non sono con della del mi ci gli anche questo molto ho ma",
    "pt": "os não um uma com está mas eu você são tem também muito obrigado",
    "nl": "het een en van niet ik je op dat met voor zijn ook maar er wat",
    "pl": "się nie jest że jak ale co mam są czy tak jestem dla już bardzo mój moja proszę",
    "ro": "și în nu este sunt cu pe că mai ce din pentru eu foarte acest această vă bună",
    "tr": "ve bir bu için ile çok ben var yok değil ama gibi",
    "so": "waa iyo ka ku ee ma oo aan uu waxaa ayaa kale",
    "ga": "agus tá sé sí níl bhí mé",
    "lt": "ir yra kad ne su į bet aš labai",
}

# Letter sequences that lean towards Welsh or English, with hand-set weights.
WELSH_MARKS: dict[str, float] = {
    "dd": 1.6, "wy": 1.2, "ydd": 1.5, "yw": 1.2, "rh": 1.4, "ŵ": 3.0, "ŷ": 3.0, "â": 0.8, "ô": 0.8,
    "gw": 1.0, "mh": 1.4, "ngh": 1.6, "nh": 1.0, "iau": 1.4, "au ": 1.0, "yn ": 0.8, "ae": 0.6,
    "ll": 0.6, "ch": 0.4, "ff": 0.4, "eu": 0.6, "wr": 0.6, "fy": 0.8, "yr": 0.6, "ith": 0.4,
}
ENGLISH_MARKS: dict[str, float] = {
    "th": 1.0, "the": 1.0, "ing": 1.4, "tion": 1.8, "sh": 0.8, "k": 1.2, "q": 1.5, "x": 1.2,
    "z": 1.2, "v": 1.0, "j": 0.8, "ck": 1.2, "ea": 0.6, "ou": 0.6, "ee": 0.6, "oo": 0.6,
    "wh": 0.8, "ay": 0.6, "ly ": 0.8, "ed ": 0.8, "er ": 0.6, "s ": 0.4,
}

# Letters that only some Latin-script languages use.
LETTER_HINTS: dict[str, str] = {
    "ł": "pl", "ą": "pl", "ę": "pl", "ś": "pl", "ć": "pl", "ż": "pl", "ź": "pl", "ń": "pl",
    "ș": "ro", "ț": "ro", "ş": "tr", "ğ": "tr", "ı": "tr", "ß": "de", "ñ": "es", "ã": "pt",
    "õ": "pt", "ė": "lt", "ų": "lt", "ū": "lt", "ő": "hu", "ű": "hu", "ø": "da", "å": "sv",
    "ŵ": "cy", "ŷ": "cy",
}
