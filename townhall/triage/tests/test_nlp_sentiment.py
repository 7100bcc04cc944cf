"""Sentiment on customer-service messages, the kind residents send a council.

All messages here were written by the Townhall team in the style of complaints,
questions and thanks sent to companies and councils on social media; none is
copied from a dataset. They guard against tuning only to TweetEval
(docs/decisions/0104-sentiment-lexicon.md). How each batch was used:

- NEGATIVE/NEUTRAL/POSITIVE and the HARDER_* batch were written before any rule
  changed, then looked at while tuning, so their score flatters the rules.
- SEALED_* was written after the first round of rules and first scored 0.697; its
  misses were never read, but later rules came from the same knowledge.
- FRESH_* first scored 0.630; its confusion counts (not its messages) led to the
  "weak complaint signs" rule, after which it scored 0.730.
- FINAL_* was written after the rules were frozen and scored once: 0.719 (VADER
  0.600, the rules before 0104 0.627).
- Since the second round of 0104, sentiment_fit.py fits the linear layer's weights
  on NEGATIVE..FRESH_* (with half of TweetEval), so those batches are training data.
  FINAL_* and NEW_* are never fitted on. NEW_* was written before the second round
  changed anything and scored once after it: 0.900 (VADER 0.621, the first round
  0.836). Real complaint tweets measured outside the repository are the figure to
  quote (docs/benchmarks-triage.md).

The NLP tests need no database. Without the Django plugin (the parent conftest
imports Django models, so it must be cut off), from the repository root:

    .venv/bin/pytest townhall/triage/tests/test_nlp_*.py -q -p no:xdist -p no:django --confcutdir=townhall/triage
"""

import pytest

from townhall.triage.nlp.metrics import classification_report
from townhall.triage.nlp.sentiment import sentiment

NEGATIVE = [
    "@airline my flight was cancelled and no one has called me back",
    "@telco still no internet, third day running",
    "@bank I've been on hold for 45 minutes, this is ridiculous",
    "@council the bins haven't been collected for three weeks now. Not good enough.",
    "@railco train cancelled AGAIN. Every single morning this week!!!",
    "@energyco you've charged me twice this month and nobody will give me a refund",
    "@couriers parcel marked as delivered but it never arrived. Where is it?",
    "@airline lost my luggage and your helpline just hangs up on me",
    "@bank your app has been down all day and I can't pay my rent",
    "@telco worst customer service I have ever experienced",
    "@council reported the pothole 6 weeks ago and still nothing has been done",
    "@shopco ordered a sofa in March, still waiting for a delivery date",
    "@waterco no water since 7am and no updates on your website",
    "@railco 40 minute delay and no announcement, absolute shambles",
    "@airline sat on the runway for 3 hours with no food or water. Disgraceful",
    "@bank why has my card been blocked again?? I need to buy food",
    "@telco promised an engineer today, nobody turned up, nobody called",
    "@energyco my bill has doubled and no one can explain why",
    "@council the street light has been out for a month, it's dangerous walking home",
    "@couriers driver threw my parcel over the fence in the rain, it's ruined",
    "@shopco wrong item sent for the second time. Sort it out",
    "@airline you cancelled my flight and now want £200 to rebook. Disgusting",
    "@bank been trying to close my account for two months. Useless",
    "@telco paying for fibre and getting 2mbps, fix it",
    "@railco the toilets on this train are disgusting and there's no heating",
    "@council fly tipping on our road for weeks, nobody cares",
    "@energyco three emails and two phone calls and still no answer",
    "@couriers 'we missed you' card when I was in all day. Lies.",
    "@shopco your chat bot is useless, I just want to speak to a human",
    "@airline not impressed at all, staff were rude at the gate",
    "@bank I was told someone would ring me within 24 hours. That was last Tuesday.",
    "@telco cancelled my contract and you still took a payment. Want my money back now",
    "@waterco sewage in the garden again and you keep fobbing us off",
    "@council the state of the park is shocking, glass everywhere",
    "@railco so fed up of paying £30 a day to stand in a corridor",
    "@couriers my parcel has been 'out for delivery' for five days",
    "@shopco the refund still hasn't arrived and it's been 6 weeks",
    "@airline terrible experience, will never fly with you again",
    "@bank absolutely appalling service from your branch today",
    "@telco your engineer damaged my wall and now nobody will take responsibility",
    "@energyco smart meter hasn't worked since it was fitted. What a waste of time",
    "@council can't believe you're closing the library. Shameful decision",
    "@railco missed my connection because of your delay and no one helped",
    "@couriers how hard is it to knock on a door? Left outside in full view of the road",
    "@shopco item arrived broken and the return label doesn't work 😡",
    "@airline on hold for over an hour just to change a name on a booking 🙄",
    "@bank fraud on my account and you closed the case without telling me",
    "@telco every evening the connection drops. I work from home, this is costing me",
    "@council the bin men left rubbish all over the pavement again",
    "@waterco burst main on our road for 3 days, water everywhere, no one has come out",
    "@railco ticket machine broken and then I get a penalty fare. Joke",
    "@energyco been overcharged for a year and you want me to wait 28 days for an answer",
    "@couriers I paid for next day delivery, it's been a week",
    "@shopco the quality has really gone downhill, very disappointed",
    "@airline still no compensation after 4 months of chasing",
    "@bank I'm not happy with how my complaint was handled",
    "@telco third engineer visit and the line is still dead",
    "@council I've emailed four times about the noise next door and heard nothing",
    "@railco freezing cold platform and the train just vanished off the board",
    "@couriers your tracking says delivered to a safe place. What safe place??",
]

NEUTRAL = [
    "@airline can I take a pushchair on board as hand luggage?",
    "@bank what time does the Cardiff branch open on Saturday?",
    "@telco is there a broadband outage in CF10 at the moment?",
    "@council when is the garden waste collection restarting after winter?",
    "@railco will the 08:15 to Swansea run tomorrow during the strike?",
    "@energyco how do I submit a meter reading online?",
    "@couriers can I change the delivery address after dispatch?",
    "@shopco do you have this jacket in a size medium?",
    "@waterco is the water safe to drink after the works on our street?",
    "@airline what is the baggage allowance on the Malaga flight?",
    "@bank I've sent you a DM with my details",
    "@telco just moved house, how do I transfer my broadband?",
    "@council how do I apply for a parking permit?",
    "@railco which platform does the Newport train leave from?",
    "@energyco do you offer a fixed tariff at the moment?",
    "@couriers parcel number sent by DM",
    "@shopco is the Bristol store open on bank holiday Monday?",
    "@airline do I need to print my boarding pass?",
    "@bank can I pay in a cheque using the app?",
    "@telco what's the difference between the two fibre packages?",
    "@council is the recycling centre open on Sundays?",
    "@railco are bikes allowed on the 17:40 service?",
    "@energyco I'd like to update my direct debit date",
    "@couriers what time do drivers usually finish?",
    "@shopco when does the sale start?",
    "@waterco we're planning some building work, who do I speak to about a new connection?",
    "@airline flying to Dublin next week, which terminal is it?",
    "@bank how long does an international transfer take?",
    "@telco has the price of the unlimited plan changed?",
    "@council who do I contact about a dropped kerb?",
    "@railco is there step-free access at Cardiff Central?",
    "@energyco moving out on the 14th, what do I need to do?",
    "@couriers I'll be out tomorrow, can you leave it with a neighbour?",
    "@shopco do you deliver to Northern Ireland?",
    "@airline can I pick my seat before check in?",
    "@bank following up on my message from earlier",
    "@telco details sent in a private message",
    "@council what are the opening hours of the library in Canton?",
    "@railco are railcards valid on this route before 9:30?",
    "@energyco I've just sent my reading through the website",
    "@couriers the parcel is for flat 2, the buzzer is on the left",
    "@shopco is click and collect available for furniture?",
    "@waterco is there a number to report a leak out of hours?",
    "@airline my reference is ABC123, I've sent it by DM",
    "@bank do I need an appointment to open a savings account?",
    "@telco what router comes with the 500mb package?",
    "@council the meeting tonight is at 7pm in the town hall",
    "@railco is the replacement bus leaving from the front of the station?",
    "@energyco can I have paper bills instead of email?",
    "@couriers just checking the delivery slot for tomorrow",
    "@shopco can I return an online order in store?",
    "@airline is there parking at the airport for the weekend?",
    "@bank my new card arrived, how do I activate it?",
    "@telco ok I will try restarting the router and get back to you",
    "@council which day is our recycling collected on Elm Road?",
    "@railco what time is the last train to Bridgend tonight?",
    "@energyco is the warm home discount open for applications?",
    "@couriers do you collect returns from home?",
    "@shopco where can I find the product manual for the kettle?",
    "@waterco we've had a letter about a water meter, is it compulsory?",
]

POSITIVE = [
    "@bank thanks for sorting that so quickly!",
    "@airline great service from the crew today, thank you",
    "@telco engineer was brilliant, fixed it in 20 minutes",
    "@council thank you for clearing the fly tipping so fast",
    "@railco on time and spotless this morning, well done",
    "@energyco Sarah on your helpline was so helpful, thank you",
    "@couriers driver went above and beyond, cheers",
    "@shopco lovely staff in the Cardiff store today",
    "@waterco thanks for the quick repair on our street",
    "@airline best flight I've had in years, thanks team",
    "@bank really impressed with how you handled my fraud claim",
    "@telco internet is flying since the upgrade 👍",
    "@council the park looks amazing after the clean up",
    "@railco thanks to the guard who helped my mum with her bags",
    "@energyco refund arrived today, thanks for sorting it",
    "@couriers parcel arrived a day early, great stuff",
    "@shopco love my new coat, thank you!",
    "@airline cabin crew were fantastic with our kids ❤️",
    "@bank your app is so easy to use now, good job",
    "@telco problem solved, thanks for your patience",
    "@council pothole fixed within a week of reporting. Impressed!",
    "@railco new trains are great, so comfortable",
    "@energyco really pleased with the new tariff, thanks for the advice",
    "@couriers brilliant service as always",
    "@shopco quick delivery and excellent quality, will order again",
    "@waterco the team that came out were very friendly and tidy",
    "@airline thank you for finding my bag so quickly",
    "@bank cheers for the help on the phone earlier",
    "@telco Tom in the chat was a legend, sorted in minutes",
    "@council thank you to the bin crews working through the snow",
    "@railco the staff at Newport were really kind today",
    "@energyco excellent service, smart meter fitted and working",
    "@couriers thanks for the text updates, very handy",
    "@shopco great customer service, replaced the item with no fuss",
    "@airline smooth check in and friendly staff, thanks",
    "@bank much appreciated, all sorted now",
    "@telco happy with the new package, faster and cheaper",
    "@council the new library is wonderful, well done everyone",
    "@railco thanks for the quick reply, that's really helpful",
    "@energyco thank you for being so understanding about my payments",
    "@couriers delivered safely while I was at work, perfect",
    "@shopco the manager was so helpful, thanks again",
    "@waterco thanks for keeping us updated during the works",
    "@airline upgraded to business, what a treat! Thank you 😊",
    "@bank sorted in one call, very happy",
    "@telco thanks for fixing the line so fast",
    "@council street light fixed already, thank you",
    "@railco first time I've been early all month, nice one",
    "@energyco helpful and patient advisor today, thank you",
    "@couriers good job on getting it here before Christmas 🎄",
    "@shopco absolutely love the new range",
    "@airline great flight, lovely crew, see you next year",
    "@bank thank you for waiving the fee, really kind of you",
    "@telco the new router is excellent",
    "@council the gritters were out early, much appreciated",
    "@railco the new timetable works brilliantly for me",
    "@energyco I'm glad I switched to you, really good so far",
    "@couriers such a friendly driver, made my day",
    "@shopco thanks for the birthday discount, great touch",
    "@waterco fantastic response to the burst pipe, thank you all",
]

# A second, harder batch in the way people really write to support accounts:
# polite complaints, failures stated flatly, lower case and abbreviations.
HARDER_NEGATIVE = [
    "@airline hi, my flight was delayed 5 hours yesterday, can you please help me claim compensation? thanks",
    "@telco hi there, internet keeps cutting out every 10 mins, can someone help please",
    "@bank hello, i was charged twice for the same transaction, please advise",
    "@couriers hi, order says delivered but i dont have it. please help",
    "@energyco been without heating since monday, engineer booked for next thurs",
    "@railco 0712 cancelled, 0742 cancelled, now the 0812 is 20 late",
    "@shopco hi, still havent received my refund, its been 3 weeks, order 55321",
    "@telco no signal at home for 4 days now",
    "@waterco low pressure again on our street, 2nd time this week",
    "@council bin day was tuesday. its friday. still not emptied",
    "@bank can't log in to the app, keeps saying error 503",
    "@airline you changed my flight time and didnt tell me, now i miss my meeting",
    "@couriers third redelivery booked and still no show",
    "@shopco why is my order showing cancelled? i didnt cancel it",
    "@energyco direct debit went up from 90 to 240 without any notice??",
    "@telco please can someone actually read my emails instead of sending the same reply",
    "@railco any chance of a train that actually turns up today",
    "@bank thanks for nothing, 2 hours on the phone and no further forward",
    "@council great, the road is closed again and no diversion signs",
    "@airline oh brilliant, another delay. lovely way to start a holiday",
]
HARDER_NEUTRAL = [
    "@telco hi, is there any work going on in the area today?",
    "@bank hi, could you tell me how to order a new card please? thanks",
    "@airline hello, what's the check in time for a 6am flight?",
    "@council hi, do you collect old mattresses and how much is it?",
    "@energyco hi please could you call me back about my account, thanks",
    "@railco hi, does the 1015 stop at Port Talbot?",
    "@couriers hi, what's the cut off time for next day delivery?",
    "@shopco hi are the new trainers coming back in stock?",
    "@waterco hi just wondering when the roadworks on Mill Lane finish",
    "@bank dm'd you my account details",
    "@telco followed you, can you follow back so i can dm",
    "@airline booking ref in your dms, thanks",
    "@council i'd like to register for the garden waste scheme",
    "@railco heading to the match saturday, will there be extra trains?",
    "@energyco we're moving in on friday, need to set up an account",
    "@shopco do you price match?",
    "@couriers is sunday delivery an option?",
    "@council please can you send me the form for a blue badge",
    "@waterco how do i read my meter?",
    "@bank what's the daily limit for contactless?",
]
HARDER_POSITIVE = [
    "@telco all working again now, thanks guys",
    "@bank just wanted to say thanks to Priya at the Swansea branch",
    "@couriers got it, cheers for the quick reply",
    "@airline landed early, nice one",
    "@council bins collected first thing this morning, ta very much",
    "@railco fair play, the replacement bus was waiting and on time",
    "@energyco finally sorted, thank you so much for your help",
    "@shopco fab service as usual x",
    "@waterco water back on, you guys are stars",
    "@telco speed test just gave me 900mb, happy days",
    "@bank refund received, thank you 🙏",
    "@airline cheers for the free upgrade!",
    "@council top marks to whoever fixed the swings in the park",
    "@railco kudos to the driver for the updates during the delay",
    "@couriers parcel safe and sound, ta",
    "@shopco the exchange was so easy, thanks",
    "@energyco can't fault the engineer today",
    "@telco thank you for being patient with me on the phone",
    "@bank nice to get a real person so fast, thanks",
    "@council loving the new bike lanes",
]

# A third batch, written after the first round of rules and kept sealed: its
# misses were not looked at while tuning, so its figure is the honest estimate.
SEALED_NEGATIVE = [
    "@gasco engineer was meant to come between 8 and 12, it's now 3pm",
    "@council the gully outside no 12 has flooded every time it rains since november",
    "@bank my mortgage payment has bounced because of your system and now i've got a fee",
    "@telco 5 days without landline, my mum is 89 and relies on it",
    "@airline paid for extra legroom, got put in the back row next to the toilet",
    "@couriers parcel left in the recycling bin. in the bin.",
    "@railco standing room only on a 3 carriage train at rush hour, every day",
    "@shopco you took the money but the order has vanished from my account",
    "@waterco brown water coming out of the taps again this morning",
    "@council the pavement on Church St is still cordoned off, 2 months on",
    "@energyco I've been trying to get through on the phone since 9",
    "@telco my bill says £65, my contract says £30. explain",
    "@bank another day another 'we're experiencing technical difficulties'",
    "@airline they've lost my pushchair and we land with a 1 year old",
    "@couriers tracking hasn't updated since tuesday",
    "@railco no trains, no staff, no information. brilliant",
    "@shopco returned it a month ago and still no refund",
    "@council who decided to resurface the road during school run? chaos",
    "@gasco you've sent me a final demand for an account i closed in 2023",
    "@telco the 'fix' lasted a day and we're back to no broadband",
    "@waterco 2 weeks since i reported the leak, water still pouring down the road",
    "@bank closed my account with no explanation. 12 years a customer",
    "@airline zero help at the desk, just told to ring a number that nobody answers",
    "@couriers driver was so rude when i asked him to bring it upstairs",
    "@council rats in the bin store again and the caretaker won't do anything",
]
SEALED_NEUTRAL = [
    "@gasco what's the number for a gas emergency?",
    "@council are the tips open on boxing day?",
    "@bank i'm going abroad next week, do i need to tell you?",
    "@telco can i keep my number if i switch to you?",
    "@airline can i bring my own food through security?",
    "@couriers i've got a missed delivery card, where is my nearest depot?",
    "@railco is there a quiet coach on the 0900 to Paddington?",
    "@shopco is the student discount still 10%?",
    "@waterco i'm on a water meter, how often do you read it?",
    "@council can i book a bulky waste collection online?",
    "@energyco i want to pay by card this month instead of direct debit",
    "@telco what's the best package for just calls and texts?",
    "@bank can my son open an account at 15?",
    "@airline is wifi available on the flight to Alicante?",
    "@couriers I'm sending a parcel to Spain, what forms do I need?",
    "@railco do you sell season tickets on the app?",
    "@shopco i'll pop in store on saturday to try it on",
    "@council when's the next planning committee meeting?",
    "@gasco i've just moved in, here's my first reading: 04521",
    "@waterco there are workmen outside, is that you?",
    "@bank i've updated my address online",
    "@telco reference number is in the dm",
    "@airline what's the latest i can check a bag in?",
    "@council is there a charge for replacement recycling boxes?",
    "@couriers can i collect from the depot instead?",
]
SEALED_POSITIVE = [
    "@gasco the boiler engineer today was a star, explained everything",
    "@council just want to say the new crossing outside the school is brilliant",
    "@bank helpful lady on the phone sorted my card in minutes",
    "@telco new fibre is unreal, gaming with no lag 🙌",
    "@airline the pilot's updates were great, made the delay easier",
    "@couriers always friendly, always on time, thanks Dave",
    "@railco really enjoyed the trip to Tenby, lovely views and comfy seats",
    "@shopco the bed arrived on time and the fitters were really tidy, thanks",
    "@waterco thank you for coming out so late to fix the leak",
    "@council fab day at the summer fair, well organised",
    "@energyco thanks for the heads up about the price change, switched to the fixed deal",
    "@telco shout out to Jamie who stayed on the line until it worked",
    "@bank great to see the branch staying open, thank you",
    "@airline cabin crew were brilliant with my nervous daughter",
    "@couriers my parcel was left exactly where i asked, perfect",
    "@railco super quick refund for the delay, impressed",
    "@shopco the online chat was quick and friendly, refund done",
    "@council the library staff are so lovely with the kids at story time",
    "@gasco smart meter installed, lovely chap, no mess",
    "@waterco the new pipe works were finished ahead of schedule, well done",
    "@bank love the new savings feature in the app",
    "@telco happy customer for 10 years and counting",
    "@airline brilliant holiday and smooth flights both ways",
    "@council big thanks to the crews clearing the snow this morning",
    "@energyco the advisor was kind and patient with my dad, thank you",
]

# A fourth batch, written after the last rule change and scored once; it is the
# figure quoted in docs/benchmarks-triage.md as the fresh held-out check.
FRESH_NEGATIVE = [
    "@busco the 42 just drove straight past a queue of us at the stop",
    "@council my blue badge renewal has been 'processing' since august",
    "@mobileco roaming charges of £90 for one day in France, you said it was included",
    "@insurer claim submitted in june, every time i ring i get a different answer",
    "@council the playground has been taped off all summer. kids have nowhere to go",
    "@supermarket half my online shop substituted with things I didn't ask for",
    "@broadbandco router light flashing red and the helpline is closed",
    "@airline my bag came off the carousel with the handle ripped off",
    "@council told to wait 10 working days for a call back, day 14 today",
    "@trainline app charged me but no ticket was issued",
    "@busco timetable says every 10 mins, waited 35",
    "@energyco the 'price cap' letter makes no sense and your chat is unavailable",
    "@council parking fine for a bay with no signs at all. appealing",
    "@delivery your driver reversed into my wall and drove off",
    "@bank another branch closing, nearest one is now 20 miles away",
    "@mobileco dropped calls in the middle of town, pathetic coverage",
    "@council grass cutting left cuttings all over the path and blocked the drain",
    "@hotelco room wasn't cleaned once in 4 nights",
    "@supermarket no cashiers, 2 self checkouts working, queue out the door",
    "@insurer premium up 40% and nothing has changed, no claims. why??",
]
FRESH_NEUTRAL = [
    "@busco does the X1 run on christmas eve?",
    "@council where can i get a replacement food caddy?",
    "@mobileco how do i get my PAC code?",
    "@insurer do you cover pets on holiday?",
    "@supermarket what time does the Llandaff store close tonight?",
    "@broadbandco what's the minimum term on the new deal?",
    "@airline can I add a bag after booking?",
    "@council is council tax due on the 1st or the 15th?",
    "@trainline can i split a ticket on the app?",
    "@hotelco is breakfast included in the room rate?",
    "@delivery will the driver call before arriving?",
    "@bank i'll call into the branch on monday",
    "@energyco I've attached a photo of the meter",
    "@council the form asks for a UPRN, where do I find it?",
    "@busco are dogs allowed on buses?",
    "@supermarket do you still sell the gluten free bread in store?",
    "@mobileco i'm thinking of upgrading next month",
    "@insurer I've moved house, here is my new postcode",
    "@council can i speak to someone about an assisted bin collection?",
    "@airline what size is a cabin bag?",
]
FRESH_POSITIVE = [
    "@busco driver waited for me when he saw me running, what a gent",
    "@council the new recycling centre is so much easier, well thought out",
    "@mobileco switched over in 10 minutes, painless",
    "@insurer claim paid in 3 days, can't ask for more than that",
    "@supermarket the lad on the tills helped my nan pack, so kind",
    "@broadbandco rock solid connection since the new router arrived",
    "@airline thank you to the crew on the Faro flight, you were brilliant",
    "@council library volunteers are amazing, my son loves the reading club",
    "@trainline refund came through straight away, thanks",
    "@hotelco gorgeous room and a lovely welcome, we'll be back",
    "@delivery dropped off with a photo and a note, really thoughtful",
    "@bank finally a bank that answers the phone quickly 👏",
    "@energyco best customer service I've had from an energy company",
    "@council the christmas lights in town look beautiful this year",
    "@busco new electric buses are so quiet and comfy",
    "@supermarket delighted with my click and collect, all there and fresh",
    "@mobileco the lady in the Newport store was fab, sorted my phone out",
    "@insurer really clear explanation of my policy, thank you Mark",
    "@council whoever designed the new park, thank you, it's perfect",
    "@hotelco staff couldn't do enough for us, thank you",
]

# A fifth batch, written after the rules were frozen and scored once, with no
# change afterwards: the cleanest estimate we have (docs/decisions/0104).
FINAL_NEGATIVE = [
    "@council third week running the recycling lorry has skipped our close",
    "@parkingco your machine took my coins and printed nothing",
    "@gymco membership cancelled in may and you're still taking money",
    "@council applied for a school place in january and we've heard nothing",
    "@trainco the 1742 is 'delayed' every evening, when is this getting fixed",
    "@pharmacy prescription ready for collection they said. it wasn't",
    "@council the hedge on the corner is so overgrown you can't see the traffic",
    "@cableco on hold 50 mins then cut off. again.",
    "@letsgo tried to book online, site crashed at payment 3 times",
    "@council noise from the bar till 3am every weekend and environmental health don't care",
    "@vetco £180 for a 5 minute appointment, daylight robbery",
    "@airline check in queue 2 hours long and only one desk open",
    "@council the housing repair was marked complete but nobody came",
    "@foodapp order never arrived and the app won't let me report it",
    "@bank online banking locked me out and the phone line says call back later",
    "@council road sweeper hasn't been down our street since spring",
    "@phoneco new phone has a cracked screen out of the box",
    "@council my complaint reference 2231 has had no response in 6 weeks",
    "@busco bus full, didn't stop, next one in an hour, late for work",
    "@leisurecentre pool closed again with no notice, kids in tears",
]
FINAL_NEUTRAL = [
    "@council how do I register a death?",
    "@parkingco can I pay for parking by phone at the station car park?",
    "@gymco what are the opening hours over easter?",
    "@council when do school admissions open for september?",
    "@trainco is the ticket office at Barry open on sundays?",
    "@pharmacy do you do flu jabs without an appointment?",
    "@council who looks after the trees on the estate?",
    "@cableco is the sports package available on the basic box?",
    "@council can I pay my council tax in 12 instalments instead of 10?",
    "@vetco do you see rabbits?",
    "@airline i need to change the name on a ticket, what's the process?",
    "@council we're having a street party in june, do we need a road closure?",
    "@foodapp do you deliver to Penarth?",
    "@bank what's the interest rate on the regular saver?",
    "@council are the public toilets in the park open in winter?",
    "@phoneco when is the new model out?",
    "@council I've sent the photos of the damp to your email",
    "@busco is the 6 still diverted this week?",
    "@leisurecentre do you need to book for the toddler swim?",
    "@council where's the nearest place to recycle batteries?",
]
FINAL_POSITIVE = [
    "@council recycling collected early today, great work lads",
    "@parkingco new app makes paying so easy",
    "@gymco the new classes are brilliant, loving the spin instructor",
    "@council thank you for the quick reply about the school place",
    "@trainco on time every day this week, long may it continue",
    "@pharmacy the pharmacist was so patient explaining everything",
    "@council the hedge was cut back the day after I reported it, amazing",
    "@cableco the engineer was polite and sorted the wiring in no time",
    "@council fantastic fireworks display last night, well done all",
    "@vetco thank you for looking after our old dog so gently",
    "@airline really smooth boarding today, thank you",
    "@council the new bus shelter is a big improvement, thanks",
    "@foodapp food arrived hot and early, cheers",
    "@bank the new branch is lovely and the staff are great",
    "@council grateful to the team who helped my mum with her housing forms",
    "@phoneco upgrade done in store in 15 minutes, excellent",
    "@council the park run volunteers are fantastic",
    "@busco the driver helped a blind passenger to their seat, lovely to see",
    "@leisurecentre the pool refurb looks great, kids loved it",
    "@council thanks for fixing the leaking roof so fast",
]

# Written in session 2 of 0104, before any change, in the style of messages to a
# council or a company; three of them are the examples in the task.
NEW_NEGATIVE = [
    "@council my bin has been missed AGAIN, 3rd week running",
    "@busco the 7.40 just didn't turn up. Again. Late for work",
    "@council reported a dead fox on the pavement on Monday, it's still there",
    "@energyco direct debit taken twice this month, sort it",
    "@telco 2 hours on the phone and got cut off at the end",
    "@council the lights in the underpass have been out since Christmas",
    "@railco replacement bus took 90 minutes, nobody told us anything",
    "@council parking permit applied for in June, nothing heard",
    "@waterco brown water coming out of the taps and your line just rings out",
    "@couriers third failed delivery. I was at home every time",
    "@council been trying to report this noise for weeks and the form keeps crashing",
    "@airline rebooked me onto a flight that leaves 14 hours later. Thanks a lot",
    "@council why does nobody answer the housing repairs line?",
    "@shopco ordered for next day delivery, a week later still not here",
    "@bank your app logged me out and now it says my account is locked",
    "@council the playground has been fenced off all summer, kids have nowhere to go",
    "@telco you raised my bill mid contract, that's a disgrace",
    "@council gritter never came down our road, cars sliding everywhere",
    "@railco standing room only on a 3 hour journey. Never again",
    "@council missed collection reported four times, no one has come",
]

NEW_NEUTRAL = [
    "what day is green bin collection?",
    "@council do I need a permit for a skip on the road?",
    "@railco is the 17:15 to Cardiff running today?",
    "@council where can I drop off old paint tins?",
    "@bank how do I change the address on my account?",
    "@council what are the library opening hours over Easter?",
    "@telco can I keep my number if I switch to sim only?",
    "@council is the tip open on bank holiday Monday?",
    "@busco will the number 12 be diverted during the carnival?",
    "@council how do I apply for a blue badge?",
    "@energyco sent a meter reading through the app just now",
    "@council the consultation on the new cycle lane closes on Friday",
    "@airline what is the hand luggage allowance on domestic flights?",
    "@council does the garden waste subscription renew automatically?",
    "@waterco is there planned work on Station Road this week?",
    "@council can you tell me who to contact about a tree in my neighbour's garden?",
    "@shopco do you deliver to the Isle of Wight?",
    "@council when are the council tax bills going out this year?",
    "@railco are bikes allowed on the train at peak times?",
    "@council I'd like to book a bulky waste collection please",
]

NEW_POSITIVE = [
    "thanks for sorting the streetlight so quickly",
    "@council the new crossing outside the school is brilliant, thank you",
    "@busco driver waited for my nan to sit down before pulling off, really kind",
    "@council pothole on Mill Lane filled within two days of reporting, impressed",
    "@telco engineer was on time and explained everything, great service",
    "@council library staff helped me with my universal credit form, so grateful",
    "@waterco thanks for keeping us updated during the repair, much appreciated",
    "@council the park looks lovely after the clean up, well done all",
    "@railco refund came through in 3 days, thank you",
    "@council bins collected this morning after I reported the missed one, cheers",
    "@bank spoke to Sam on the phone, sorted my card in minutes. Excellent",
    "@council really pleased with how fast the graffiti was removed",
    "@shopco the replacement arrived next day, great customer service",
    "@council the leisure centre refurb is fantastic, kids love the new pool",
    "@energyco helpful advice on the warm home discount, thanks",
    "@council big thank you to the crew who cleared the fallen tree this morning",
    "@airline cabin crew were lovely to my daughter on her first flight",
    "@council the new online form is so much easier, good job",
    "@telco internet back up and faster than before, happy customer",
    "@council your team handled my complaint really well, thank you for listening",
]

CUSTOMER_TWEETS = ([(t, "negative") for t in NEGATIVE + HARDER_NEGATIVE]
                   + [(t, "neutral") for t in NEUTRAL + HARDER_NEUTRAL]
                   + [(t, "positive") for t in POSITIVE + HARDER_POSITIVE])


SEALED_TWEETS = ([(t, "negative") for t in SEALED_NEGATIVE] + [(t, "neutral") for t in SEALED_NEUTRAL]
                 + [(t, "positive") for t in SEALED_POSITIVE])

FRESH_TWEETS = ([(t, "negative") for t in FRESH_NEGATIVE] + [(t, "neutral") for t in FRESH_NEUTRAL]
                + [(t, "positive") for t in FRESH_POSITIVE])

FINAL_TWEETS = ([(t, "negative") for t in FINAL_NEGATIVE] + [(t, "neutral") for t in FINAL_NEUTRAL]
                + [(t, "positive") for t in FINAL_POSITIVE])

NEW_TWEETS = ([(t, "negative") for t in NEW_NEGATIVE] + [(t, "neutral") for t in NEW_NEUTRAL]
              + [(t, "positive") for t in NEW_POSITIVE])


def test_the_held_out_set_is_balanced_and_large_enough() -> None:
    assert len(NEGATIVE) == len(NEUTRAL) == len(POSITIVE) == 60
    assert len(HARDER_NEGATIVE) == len(HARDER_NEUTRAL) == len(HARDER_POSITIVE) == 20
    assert len(SEALED_NEGATIVE) == len(SEALED_NEUTRAL) == len(SEALED_POSITIVE) == 25
    assert len(FRESH_NEGATIVE) == len(FRESH_NEUTRAL) == len(FRESH_POSITIVE) == 20
    assert len(FINAL_NEGATIVE) == len(FINAL_NEUTRAL) == len(FINAL_POSITIVE) == 20
    assert len(NEW_NEGATIVE) == len(NEW_NEUTRAL) == len(NEW_POSITIVE) == 20
    everything = CUSTOMER_TWEETS + SEALED_TWEETS + FRESH_TWEETS + FINAL_TWEETS + NEW_TWEETS
    assert len({t for t, _ in everything}) == 495


def test_it_scores_customer_service_messages_well() -> None:
    labels = [label for _, label in CUSTOMER_TWEETS]
    report = classification_report(labels, [sentiment(text)[0] for text, _ in CUSTOMER_TWEETS])
    assert report["macro_f1"] >= 0.80


def test_it_does_better_than_chance_on_the_later_batches() -> None:
    held_out = SEALED_TWEETS + FRESH_TWEETS + FINAL_TWEETS
    labels = [label for _, label in held_out]
    report = classification_report(labels, [sentiment(text)[0] for text, _ in held_out])
    assert report["macro_f1"] >= 0.70


def test_it_reads_messages_it_was_never_fitted_on() -> None:
    # FINAL_* and NEW_* are outside sentiment_fit.FIT_BATCHES.
    for batch, floor in ((FINAL_TWEETS, 0.70), (NEW_TWEETS, 0.80)):
        report = classification_report([label for _, label in batch], [sentiment(text)[0] for text, _ in batch])
        assert report["macro_f1"] >= floor


@pytest.mark.parametrize(("text", "label"), [
    ("@airline my flight was cancelled and no one has called me back", "negative"),
    ("@bank thanks for sorting that so quickly!", "positive"),
    ("@telco still no internet, third day running", "negative"),
    ("@council what day is the brown bin collected?", "neutral"),
    ("Thanks for nothing, still waiting", "negative"),
    ("The crew were lovely but the flight was four hours late", "negative"),
    ("It was late but the staff were brilliant", "positive"),
    ("Not bad at all, sorted in ten minutes", "positive"),
    ("Not happy. Not happy at all.", "negative"),
])
def test_it_reads_the_common_patterns(text: str, label: str) -> None:
    assert sentiment(text)[0] == label


@pytest.mark.parametrize(("text", "label"), [
    # The examples in the task.
    ("@council my bin has been missed AGAIN, 3rd week running", "negative"),
    ("thanks for sorting the streetlight so quickly", "positive"),
    ("what day is green bin collection?", "neutral"),
    # Complaints without a sentiment word.
    ("@airline flight delayed again, now 3 hours", "negative"),
    ("@telco been on hold for 2 hours and still no answer", "negative"),
    ("@couriers called you 5 times and nothing", "negative"),
    ("@railco missed my connection, now stuck overnight", "negative"),
    ("@bank your app keeps logging me out", "negative"),
    ("@phoneco battery drains in an hour since the last update", "negative"),
    ("@council 5 hours without power and counting", "negative"),
    ("@couriers how hard is it to knock on a door?", "negative"),
    # Thanks for the failure itself is sarcasm.
    ("@airline thanks for the 4 hour delay", "negative"),
    ("@shop thanks for losing my parcel", "negative"),
    # Wanting something is not praise; a question stays neutral.
    ("@airline I'd love to know when my bag will turn up?", "neutral"),
    ("@council is the tip open on bank holiday Monday?", "neutral"),
    ("@bank please follow back so I can DM my details", "neutral"),
    # Resolution and praise said the short way.
    ("@telco all sorted now, great service", "positive"),
    ("@council appreciate the quick reply", "positive"),
    ("@busco you guys rock", "positive"),
    ("@council the new bins keep getting better", "positive"),
])
def test_it_reads_complaint_tweets(text: str, label: str) -> None:
    assert sentiment(text)[0] == label


@pytest.mark.parametrize(("text", "label"), [
    ("@council bins collected :)", "positive"),
    ("@council still no reply :(", "negative"),
    ("@council new play area <3", "positive"),
    ("@council 😡 bins missed", "negative"),
    ("@council soooo happy with the new bins", "positive"),
    ("@council sooo fed up", "negative"),
])
def test_it_reads_emoticons_emoji_and_stretched_words(text: str, label: str) -> None:
    assert sentiment(text)[0] == label


def test_a_link_is_not_read_as_an_emoticon() -> None:
    # "https://" holds ":/", which would be a frown on its own.
    assert sentiment("@council new timetable https://example.org/bins")[0] == "neutral"


def test_the_score_has_the_sign_of_the_label() -> None:
    negative = sentiment("@council still waiting, third week")
    positive = sentiment("@council thank you, great job")
    assert negative[0] == "negative" and negative[1] < 0
    assert positive[0] == "positive" and positive[1] > 0


def test_a_stronger_complaint_scores_lower() -> None:
    mild = sentiment("@council the bin was missed")
    strong = sentiment("@council the bin was missed AGAIN, 3rd week running, absolutely disgraceful!!")
    assert mild[0] == strong[0] == "negative"
    assert strong[1] < mild[1]


def test_it_keeps_the_score_between_minus_one_and_one() -> None:
    for text in ("WORST WORST WORST!!! 😡😡😡 " * 50, "thank you " * 200, "", "🙂"):
        assert -1.0 <= sentiment(text)[1] <= 1.0
