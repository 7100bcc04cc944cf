"""How officers answer residents in English, and what residents say back."""

from __future__ import annotations

import random

EN_ACKS = (
    "Thanks for letting us know.", "Hi {first}, thanks for getting in touch.",
    "Thanks for reporting this, {first}.", "Sorry to hear this, {first}.",
    "Hi {first}, sorry about this.", "Thanks {first}.",
    "Hello {first}, thank you for your message.",
    "Thanks for flagging this.", "Hi {first}.", "Sorry about that, {first}.",
)
EN_TEAM_ACTION: dict[str, tuple[str, ...]] = {
    "highways": ("I've passed this to our highways team, ref {ref}.",
                 "I've logged this for a highways inspection, ref {ref}.",
                 "Our highways inspector will take a look, ref {ref}.",
                 "This is now with the highways team (ref {ref})."),
    "waste": ("I've logged this with the waste team, ref {ref}.",
              "I've asked the crew to come back, ref {ref}.",
              "I've reported this to the depot, ref {ref}.",
              "The waste team have this now, ref {ref}."),
    "environment": ("I've passed this to our enforcement team, ref {ref}.",
                    "An environment officer will visit, ref {ref}.",
                    "I've logged this with the street scene team, ref {ref}."),
    "housing": ("I've passed this to our housing team, ref {ref}.",
                "I've passed this to your housing officer, ref {ref}.",
                "I've raised this with the housing team, ref {ref}."),
    "customer_services": ("I've passed your query to the right team, ref {ref}.",
                          "I've logged your enquiry, ref {ref}.",
                          "I've sent this on to the team who deal with it, ref {ref}."),
    "communications": ("I'll pass your kind words on to the team.",
                       "I'll make sure the team see this."),
}
EN_NEXT = (
    "They aim to visit within 5 working days.", "We'll update you once it's done.",
    "You can track it at {site}/track.",
    "Next time you can report it online at {site}/report – it goes straight to the team.",
    "Could you send us a photo by private message?", "", "", "",
)
PRIVACY_NOTE = ("Please don't post phone numbers or email addresses publicly – send them to us by "
                "private message instead.")

EN_TOPIC_REPLIES: dict[str, tuple[str, ...]] = {
    "strike": (
        "Sorry – industrial action is affecting collections this week. Please leave your bins "
        "out and we'll collect as soon as we can.",
        "We're sorry for the disruption. Crews are prioritising food waste and streets missed "
        "longest. Updates at {site}/bins.",
        "The strike means some rounds aren't running. Household waste sites are open as normal.",
    ),
    "flood_incident": (
        "Crews are on site at Mill Lane and the road is closed. If you are in danger, call 999.",
        "Thanks – we know about the flooding at Mill Lane and teams are there now. Please stay "
        "out of the water.",
        "Emergency teams are at Mill Lane. Check Natural Resources Wales flood warnings, and call "
        "999 if anyone is at risk.",
    ),
    "sandbags": (
        "Sandbags are available at Afoncaster Leisure Centre until 8pm tonight.",
        "We're prioritising sandbags for homes at risk near Mill Lane. Collect from the leisure "
        "centre car park.",
    ),
    "flood_road_closure": (
        "Mill Lane and Ferry Road are closed. Please follow the signed diversion.",
        "The road is closed until the water goes down. Please don't drive through flood water.",
    ),
    "gritting": (
        "Gritters are out tonight on all priority routes. See the gritting map at {site}/gritting.",
        "We grit priority routes first, then bus routes. I've passed your street to the team.",
        "I've asked for the grit bin to be refilled, ref {ref}.",
    ),
    "snow_closure": (
        "School closures are listed at {site}/schools/closures and updated from 7am.",
        "Please check {site}/schools/closures – schools post there as soon as they decide.",
    ),
    "snow_bins": (
        "Collections are suspended today because of the snow. Please leave bins out and we'll "
        "return when it's safe.",
    ),
    "garden_waste": (
        "You can sign up for garden waste collections at {site}/garden-waste.",
        "Stickers are posted within 10 working days of payment. I've chased yours, ref {ref}.",
    ),
    "christmas_collections": (
        "Christmas bin days are at {site}/bins/christmas – collections run a day late this week.",
    ),
    "bill": (
        "I've asked our council tax team to check your bill, ref {ref}.",
        "You can spread payments over 12 months – just ask us at {site}/counciltax.",
    ),
    "single_person": ("You can apply for single person discount at {site}/counciltax/discounts.",),
    "welsh_form": ("Of course – all our forms are available in Welsh at {site}/cy.",),
    "admissions": (
        "The closing date for secondary school applications is 31 October. Apply at "
        "{site}/admissions.",
        "You can apply or change preferences at {site}/admissions until the closing date.",
    ),
    "term_dates": ("Term dates for this year and next are at {site}/schools/term-dates.",),
    "free_school_meals": ("You can apply for free school meals at {site}/fsm.",),
    "libraries_leisure": (
        "Our libraries are open 9am to 5pm Monday to Saturday. Details at {site}/libraries.",
        "You can renew books online at {site}/libraries or in the Libraries app.",
    ),
    "thanks_crew": ("Thank you, {first}! I'll pass this on to the crew – it'll make their day.",
                    "That's lovely to hear, {first}. I'll share it with the team."),
    "thanks_gritting": ("Thanks {first}! I'll pass this on to the gritting crews.",),
    "thanks_officer": ("Thank you, {first}. I'll make sure they hear this.",),
    "planning": ("You can view and comment on planning applications at {site}/planning.",),
    "parking_permits_fines": (
        "You can appeal a parking fine online at {site}/parking/appeals.",
        "You can renew or apply for permits at {site}/parking/permits.",
    ),
    "social_care": ("I've passed this to our adult social care team, who will call you, ref "
                    "{ref}.",),
    "benefits": ("I've asked the benefits team to check your claim, ref {ref}.",),
    "repair": ("I've raised a repair with our housing team, ref {ref}. They'll call to book a "
               "time.", "I've booked a repair, ref {ref}. You'll get a text with the date."),
    "damp_mould": ("I've booked a surveyor visit for the damp and mould, ref {ref}.",
                   "I've asked a surveyor to inspect the mould, ref {ref}. They'll call you."),
    "heating": ("I've raised an emergency repair for the heating, ref {ref}. An engineer will "
                "come today.",),
    "register": ("You can check your banding at {site}/housing/register, or I can ask your "
                 "housing officer to call you, ref {ref}.",),
    "bulky_waste": ("You can book a bulky waste collection at {site}/bulky-waste.",),
    "wasps": ("We no longer treat wasps nests, but our website lists local pest control firms.",),
}

# What residents say after a reply: thanks, or that nothing has happened yet.
EN_THANKS = (
    "Thanks {officer}", "thank you", "Cheers {officer}, much appreciated",
    "Great, thanks for the quick reply", "They came today, thanks", "Brilliant, thanks {officer}",
    "ok thanks", "That's sorted now, ta", "Thanks for getting back to me {officer}",
    "Will do, thanks", "Done that now", "Thanks, I've filled in the form",
    "Appreciate it {officer}", "Thank you so much", "Lovely, thanks", "Right, I'll wait then",
)
EN_STILL = (
    "Still not done, it's been a week now", "That link doesn't work on my phone",
    "Any update on this?", "Still waiting", "Nobody has been out yet", "Still the same here",
    "It's still not fixed", "Nobody came", "Still nothing, is it actually logged?",
)
EN_FOLLOW_UP_EXTRAS = ("", "", "", " 👍", " 🙏", "!", " 🙂", ".", " x", " - ref {ref}",
                       ", really helpful", " - that was quick", ", have a good day",
                       ". Fingers crossed", ", will let you know")
EN_FOLLOW_UP_OPENINGS = ("", "", "", "", "Hi, ", "Ok, ", "Oh. ", "Hiya. ", "Morning. ", "Update: ")
EN_CHASE_OPENINGS = ("Hello??", "Anyone there?", "Hi,", "", "", "Um,", "Hello?", "Right,")
EN_CHASE_BODIES = ("still waiting for a reply to this", "any update?",
                   "is anyone going to answer?", "it's been {days} since I sent this",
                   "nobody has replied", "can someone get back to me", "still nothing",
                   "is this being looked at?", "I'm still waiting after {days}")
EN_CHASE_ENDINGS = ("", "", "!", " 🙄", "...", " please", " - this is ridiculous", "??", ".")


EN_SECOND_THANKS = ("No problem, {first}.", "You're welcome, {first}!",
                    "Glad it's sorted, {first}!", "Thanks for letting us know, {first}.",
                    "Any time, {first}.")
EN_SECOND_STILL = (
    "Thanks {first}, I've chased this with the team today.",
    "Sorry for the delay, {first} – I've escalated this, ref {ref}.",
    "I've asked the team for an update and will come back to you, ref {ref}.",
    "Sorry {first}, I've raised it with the supervisor, ref {ref}.",
)
CY_SECOND_THANKS = ("Croeso, {first}!", "Falch bod popeth wedi'i sortio, {first}!",
                    "Dim problem, {first}.")
CY_SECOND_STILL = (
    "Diolch {first}, dw i wedi holi'r tîm eto heddiw.",
    "Mae'n ddrwg gen i am yr oedi, {first}. Dw i wedi codi hyn, cyf {ref}.",
)


def chaser(rng: random.Random, elapsed_days: int) -> str:
    days = "a day" if elapsed_days <= 1 else f"{elapsed_days} days"
    text = " ".join(p for p in (rng.choice(EN_CHASE_OPENINGS), rng.choice(EN_CHASE_BODIES)) if p)
    return (text + rng.choice(EN_CHASE_ENDINGS)).format(days=days)


def follow_up(rng: random.Random, officer_first: str, ref: str, happy: bool) -> str:
    opening, text = rng.choice(EN_FOLLOW_UP_OPENINGS), rng.choice(EN_THANKS if happy else EN_STILL)
    if opening.endswith(", ") and not text.startswith("I "):
        text = text[0].lower() + text[1:]
    text = opening + text
    if "{officer}" not in text and rng.random() < 0.35:
        text += rng.choice((" {officer}", ", {officer}", " - thanks {officer}"))
    text += rng.choice(EN_FOLLOW_UP_EXTRAS)
    return text.format(officer=officer_first, ref=ref)
