"""The handful of safeguarding messages in the demo year, written with care.

They hint at risk rather than describe harm, because their job in the demo is to show that such
a message reaches the duty officer at once. The helpline numbers in the replies are real ones:
Samaritans 116 123, Live Fear Free (Wales) 0808 80 10 800, and the 999 Silent Solution
(press 55 when you cannot speak).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SafeguardingCase:
    platform: str
    language: str
    category: str
    text: str
    reply: str
    follow_up: str = ""


CASES: tuple[SafeguardingCase, ...] = (
    SafeguardingCase(
        "facebook", "en", "housing",
        "been told we're being evicted and honestly i dont see the point in anything anymore. "
        "i cant cope with any of it",
        "I'm really sorry you're feeling like this, and thank you for telling us. I've sent you "
        "a private message so we can talk properly. If you feel you might act on these thoughts, "
        "please call 999 now, or Samaritans free on 116 123 at any time. ^{first}",
        "thank you. i'll read your message",
    ),
    SafeguardingCase(
        "nextdoor", "en", "social_care",
        "The children next door seem to have been on their own since Friday. The little one was "
        "crying at the window most of the night. I don't know who to tell.",
        "Thank you for telling us – you've done the right thing. Our children's duty team is "
        "looking at this now. Could you send us the address by private message? If a child is in "
        "immediate danger, call 999. ^{first}",
    ),
    SafeguardingCase(
        "webchat", "en", "housing",
        "Can I talk to someone privately? My partner checks my phone and I'm scared to go home. "
        "Please don't ring me.",
        "We're here to help, and this chat is private. Are you safe to talk right now? If you are "
        "in danger, call 999 – if you can't speak, press 55 when asked. Live Fear Free is free "
        "on 0808 80 10 800, day or night. ^{first}",
        "yes for the next 10 mins",
    ),
    SafeguardingCase(
        "x", "en", "other",
        "There's a man on the wrong side of the railings on the bridge over the Wern right now",
        "Please call 999 straight away if you haven't already. We've alerted the police. "
        "Thank you. ^{first}",
    ),
    SafeguardingCase(
        "email", "en", "social_care",
        "My elderly neighbour hasn't been seen for four days. Her curtains are shut and the post "
        "is piling up. She lives alone and has dementia.",
        "Thank you for letting us know. Please call 999 if you think she is in danger now. Our "
        "adult duty team is arranging a welfare check – could you send us her address? ^{first}",
    ),
    SafeguardingCase(
        "facebook", "cy", "social_care",
        "Dw i'n poeni'n fawr am y plant drws nesaf. Maen nhw wedi cael eu gadael ar eu pen eu "
        "hunain ers dau ddiwrnod.",
        "Diolch am ddweud wrthon ni – rydych chi wedi gwneud y peth iawn. Mae'r tîm dyletswydd "
        "plant yn edrych ar hyn nawr. Allwch chi anfon y cyfeiriad mewn neges breifat? Os yw "
        "plentyn mewn perygl ar unwaith, ffoniwch 999. ^{first}",
    ),
    SafeguardingCase(
        "instagram", "en", "schools",
        "My son is 14 and he's been getting messages telling him to hurt himself. He won't go to "
        "school. What do I do?",
        "I'm so sorry – thank you for reaching out. I've sent you a private message with our "
        "education safeguarding lead's number. If he's at risk right now, call 999. ^{first}",
    ),
    SafeguardingCase(
        "bluesky", "en", "other",
        "nobody would even notice if i wasnt here tbh",
        "We noticed, and we're glad you posted. You can talk to Samaritans free, any time, on "
        "116 123. If you're in danger right now please call 999. I've sent you a DM too. "
        "^{first}",
    ),
)
