"""What residents write, in English, about street-scene problems.

Each topic has problem sentences and optional detail sentences. The composer picks one of each
independently, so the same complaint rarely comes out word for word twice.
"""

from __future__ import annotations

STREET_PROBLEMS: dict[str, list[str]] = {
    "flytipping": [
        "Someone has dumped a mattress and a load of black bags {place}.",
        "Flytipping again {place} - sofa, tyres and what looks like kitchen units.",
        "There's a pile of builders rubble been tipped {place}.",
        "Who do I report fly tipping to? There's a fridge dumped {place}.",
        "Massive pile of rubbish dumped in the lay-by {place}",
        "someone has tipped garden waste and old carpet {place}",
        "Vans keep coming at night and dumping stuff {place}.",
    ],
    "litter": [
        "The litter {place} is disgusting.",
        "Litter bin {place} is overflowing again, rubbish blowing everywhere.",
        "Can someone come and litter pick {place}? It's a state.",
        "Takeaway boxes and cans all over the verge {place}.",
    ],
    "broken_glass": [
        "Broken glass all over the pavement {place}, kids walk this way to school.",
        "There's smashed bottles {place}, a dog has already cut its paw.",
    ],
    "leaves": [
        "The leaves {place} haven't been swept and it's like an ice rink when wet.",
        "Wet leaves piled up on the footpath {place}, my mum nearly slipped.",
        "When is the leaf sweeper coming to {village}? The pavements are covered.",
    ],
    "park_litter": [
        "After the sunny weekend the park {place} is covered in BBQ rubbish.",
        "Disposable barbecues left on the grass {place}, bins are overflowing.",
        "Litter everywhere by the river {place} after the weekend.",
    ],
    "pothole": [
        "There's a huge pothole {place}.",
        "Pothole {place} is getting bigger every day.",
        "Just burst a tyre on a pothole {place}. Who do I claim from?",
        "The road {place} is more pothole than road at this point.",
        "Deep pothole {place}, nearly came off my bike.",
        "the potholes {place} are a disgrace",
        "Can you fix the pothole {place} before someone gets hurt?",
    ],
    "roadworks": [
        "How long are the roadworks {place} going to last?",
        "Temporary traffic lights {place} have been there for weeks and nobody is working.",
        "Why is the road {place} closed again? There was no notice.",
    ],
    "gritting": [
        "Has {street} been gritted? It's like glass.",
        "Are the gritters going out tonight?",
        "The hill up to {village} hasn't been gritted and cars are sliding back down.",
        "Why does {street} never get gritted? It's a bus route.",
        "Grit bin {place} is empty.",
        "Can we have a grit bin {place}? The hill is lethal in the ice.",
        "No gritting at all in {village} this morning, absolute joke.",
        "Is the road to {village} passable? Snow is drifting {place}.",
    ],
    "flood_road_closure": [
        "Is the road closed {place}? The water is over the kerb.",
        "Is {flood_street} shut? Car in front just got stuck in the flood water.",
        "Which roads are closed because of the flooding? Trying to get to work in {village}.",
        "Police have closed {flood_street}, what's the diversion to {village}?",
    ],
    "vehicles_parking": [
        "There's been a car abandoned {place} for about {weeks}, no tax.",
        "Cars parked on the pavement {place} again, I can't get the pushchair past.",
        "Parents parking on the zigzags outside the school {place} every morning.",
        "A van has been left {place} with flat tyres for ages.",
        "Burnt out car {place}.",
    ],
    "graffiti_flyposting": [
        "Graffiti has been sprayed on the wall {place}.",
        "Someone has tagged the bus shelter {place} again.",
        "Offensive graffiti {place}, can it be removed quickly please?",
        "Posters for a club night flyposted all over the lamp posts {place}.",
    ],
    "uneven_pavement": [
        "The pavement {place} is lifting and my dad tripped on it.",
        "Paving slab sticking up {place}, someone is going to break an ankle.",
        "The dropped kerb {place} is broken, I can't get my wheelchair down.",
    ],
    "overgrown_path": [
        "The footpath {place} is completely overgrown with brambles.",
        "Can't walk down the path {place}, nettles are head height.",
    ],
    "icy_pavement": [
        "The pavements {place} are sheet ice, are they going to be gritted?",
        "Elderly people can't get out, the footpath {place} is treacherous.",
        "Fell on the ice {place} this morning, why are the pavements not done?",
    ],
    "overhanging_tree": [
        "A tree {place} is overhanging the road and hitting buses.",
        "The council tree outside our house {place} is blocking all the light.",
        "Branches hanging low over the footpath {place}.",
    ],
    "park_equipment": [
        "The swings in the play park {place} are broken.",
        "The gate to the play area {place} doesn't shut, dogs getting in.",
    ],
    "grass_cutting": [
        "When is the grass {place} getting cut? It's knee high.",
        "The verge {place} hasn't been cut, can't see round the junction.",
        "Why have you stopped cutting the grass {place}?",
        "Thanks for leaving the verge {place} for the wildflowers, it looks lovely.",
    ],
    "fallen_leaves_tree": [
        "The trees {place} drop so many leaves the drains block every year.",
        "Leaves from the council trees {place} are blocking our gutters.",
    ],
    "storm_tree": [
        "A tree has come down across the road {place}.",
        "Big branch down {place} in the storm, blocking one lane.",
        "Tree down on the power lines {place}!",
    ],
    "street_lighting": [
        "Street light {place} has been out for {weeks}.",
        "The street lights {place} are all off, it's pitch black.",
        "Lamp post {place} is flickering all night.",
        "The street light outside number {n} {street} is on all day.",
        "Lamp post {place} has been hit by a car and is leaning.",
    ],
    "signs_signals": [
        "The traffic lights {place} are stuck on red.",
        "Pedestrian crossing {place} isn't beeping anymore.",
        "The road sign {place} has been knocked over.",
        "Street name sign {place} is missing.",
    ],
    "dead_animal": [
        "There's a dead badger {place}.",
        "Dead fox on the pavement {place}, been there since yesterday.",
        "dead deer at the side of the road {place}",
        "A dead cat {place}, looks like it was hit by a car. Can it be removed?",
    ],
    "blocked_drain": [
        "The drain {place} is blocked and the road floods every time it rains.",
        "Gully {place} is full of silt, huge puddle across the road.",
        "The road drain {place} smells awful.",
    ],
    "leaf_drains": [
        "Leaves are blocking all the drains {place}, water is over the pavement.",
        "Drains {place} blocked with leaves again, cars are soaking people at the bus stop.",
        "When are the gullies {place} getting cleared? Every autumn the same.",
    ],
    "flood_incident": [
        "The {river} has burst its banks at {flood_street}!",
        "Water is coming into the houses on {flood_street}.",
        "{flood_street} is under water, is anyone coming?",
        "The river is over the road at {flood_street} and still rising.",
        "Cars floating on {flood_street}, I've never seen it this bad.",
        "Just walked past {flood_street}, the water is up to the doors.",
        "The {river} flood is heading towards {village}, should we be worried?",
        "Is there a flood warning for {flood_street}? Water is pouring off the fields.",
    ],
    "sandbags": [
        "Where can we get sandbags? We're on {street}, near {flood_street}.",
        "Are you giving out sandbags? Water is creeping up the garden.",
        "Sandbags please for {street}, we have an elderly neighbour.",
        "Are there sandbags at the leisure centre? Need some for {street}.",
    ],
    "dog_fouling": [
        "Dog mess all over the pavement {place}.",
        "The path {place} is covered in dog poo, same dog walkers every morning.",
        "Can we have a dog bin {place}? People hang the bags on the fence.",
        "Dog fouling on the school route {place} is disgusting.",
    ],
    "antisocial_behaviour": [
        "Gang of youths throwing stones at cars {place} every night.",
        "Off-road bikes tearing up the field {place} again.",
        "People drinking and shouting {place} until 3am.",
        "Someone set fire to the bins {place} last night.",
        "Fireworks being let off at people {place}.",
    ],
    "rats": [
        "We've got rats coming from the alley behind {street}.",
        "Saw a rat the size of a cat {place}. Do you do pest control?",
        "Rats in the garden since the neighbours started leaving bags out {place}.",
    ],
    "wasps": [
        "There's a wasps nest in our loft, do you still do pest control?",
        "How much is it to get a wasp nest removed in {village}?",
        "Huge wasps nest in the hedge {place}.",
    ],
    "food_hygiene": [
        "I got food poisoning from a takeaway {place}. Who do I tell?",
        "Saw mice in the kitchen of a cafe {place}.",
    ],
}

STREET_DETAILS: dict[str, list[str]] = {
    "flytipping": ["There's paperwork in one of the bags with an address on.",
                   "Saw the van, it was a white Transit.", "Third time this month."],
    "pothole": ["It's about a foot wide.", "It's right on the bend.",
                "Cyclists are swerving into traffic to avoid it.", "Reported it {weeks} ago.",
                "Someone is going to get hurt."],
    "uneven_pavement": ["Someone is going to get hurt.", "It's outside the care home."],
    "icy_pavement": ["Someone is going to get hurt.", "I'm 82 and I can't get to the shop."],
    "broken_glass": ["Someone is going to get hurt."],
    "gritting": ["I've seen two cars slide already.", "The buses have stopped coming up.",
                 "My carer can't get to me."],
    "flood_incident": ["Water is still rising.", "The fire brigade are here.",
                       "People are trying to drive through it!",
                       "Never seen it this high in 30 years here."],
    "street_lighting": ["Women walk home this way, it's not safe.", "Column number {n}."],
    "dog_fouling": ["Children walk through it on the way to school.",
                    "It's every single day."],
    "antisocial_behaviour": ["Police have been called.", "It's making our lives a misery."],
}
