"""Visits, exercises and deployments as news phrases them, and what a meeting's sentence says
about its host, its place and who "the two men" are.

- Visits: "Austin traveled to India", "Xi arrived in Moscow for a state visit", "his first
  state visit to Russia", "Austin's visit to Manila", "visited Seoul"; the host from "at the
  invitation of X" or "X hosted Y".
- Exercises: a title-case name next to "exercise(s)", "drills" or "training" ("the annual
  Freedom Shield exercises", "the Balikatan exercise"), with the states the sentence names.
- Deployments: "rotational presence of US forces in Australia", "access to four military
  bases" in a country, "troops stationed in Japan", "deploy ... to".
- Meetings: the host ("X hosted", "hosted by X") and participants that the sentence refers to
  as "the two men", "the two leaders", "they".
"""

from __future__ import annotations

import re

from ..types import Text
from . import triggers
from .gazetteer import gazetteer, ship_state
from .lexicon import REPORTING_VERBS
from .relations import _dates, names_a_force
from .sentence import Candidate, Sentence
from .syntax import object_of, objects_of, possessor_of, side, subject_of

PLACES = ("Country", "City", "Place", "Region", "GovernmentAgency")
VISITORS = ("Person", "Vessel", "MilitaryUnit")


FOR_TALKS = re.compile(r"\bfor\s+(?:an?\s+)?(?:(?:bilateral|official|high-level|formal|private)\s+)?"
                       r"(?:engagement|meeting|talks|discussions|consultations)\b")


def _welcomed_for_talks(sent: Sentence, visit: dict) -> list[Candidate]:
    """A host who welcomes a guest "for a bilateral engagement at the Pentagon" meets the guest
    there, the day of the visit."""
    talks = FOR_TALKS.search(sent.text)
    if talks is None:
        return []
    roles: dict[str, object] = {"participants": tuple(sorted({visit["host"], visit["visitor"]}))}
    at = re.match(r"\s+(?:at|in)\s+(?:the\s+)?", sent.text[talks.end():])
    if at is not None:
        where = sent.start + talks.end() + at.end()
        place = next((m.entity_id for m in sent.mentions if m.start == where and m.entity_id), None)
        if place is not None:
            roles["place"] = place
    if "date" in visit:
        roles["date"] = visit["date"]
    return [Candidate("Meeting", roles, sent.start, sent.end, 0.6, "meeting-welcomed-for-talks")]


def _visiting_guest(sent: Sentence, token):  # noqa: ANN001, ANN202 - a spaCy token
    """"visiting Indian Prime Minister Narendra Modi ... held talks in Tokyo": "visiting" before a
    person's title and name says who visits (the model reads the person as what is visited); the
    place is where the sentence puts the talks, else none. (visitor id, [place target])."""
    following = [m for m in sent.of_kind("Person") if 0 < m.start - (token.idx + len(token)) <= 60]
    if not following:
        return None
    between = sent.body[token.idx + len(token):following[0].start]
    if not re.fullmatch(r"\s+(?:[A-Z][\w.-]*\s+){0,5}", between):
        return None  # the words between are a title ("Indian Prime Minister"), nothing else
    place = next((m for m in sent.of_kind("City", "Country", "Place", "Region") if m.start > following[0].end and
                  re.search(r"\b(?:in|at)\s+(?:the\s+)?$", sent.body[max(0, m.start - 8):m.start])), None)
    return following[0].entity_id, [place.entity_id] if place is not None else []


INVITING = frozenset({"invite", "urge", "ask", "encourage", "welcome"})
"""Verbs whose object is asked to visit: an invitation, not a visit."""


def visits(sent: Sentence, article_date, recent_people: list[str],  # noqa: ANN001
           holder=None, here: str | None = None) -> list[Candidate]:  # noqa: ANN001 - callable(phrase) -> person id
    """Every (visitor, place) the sentence's visit words name: "visited Moscow on July 8th and
    met Putin ... and on August 23rd visited Ukraine" is two visits, "a trip to Japan, Singapore
    and France" three; `holder` places "the defense secretary's trip" on the one secretary;
    "arrived here" arrives where the dateline (`here`) says the story was written."""
    words = triggers.words("visit")
    found: list[Candidate] = []
    talks: list[Candidate] = []  # meetings a welcome "for talks" tells
    seen: set[tuple[str, str]] = set()
    for token in sent.tokens:
        if token.lower_ not in words and not (token.lower_ in ("touched", "touches", "touch") and
                                              any(c.lower_ == "down" for c in token.children)):
            continue
        if token.lower_ in triggers.words("visit_verbs_only") and token.pos_ != "VERB" or \
                token.lower_ in triggers.words("visit_nouns_only") and token.pos_ != "NOUN":
            continue  # "the head of the delegation", "stay in power": no journey
        visitor = host_id = None
        targets: list = []
        guest_of_visiting = _visiting_guest(sent, token) if token.lower_ == "visiting" else None
        if guest_of_visiting is not None:  # "visiting Indian Prime Minister Narendra Modi held talks in Tokyo"
            visitor, targets = guest_of_visiting
        elif token.pos_ == "VERB":
            if token.dep_ == "xcomp" and token.head.lemma_.lower() in INVITING:
                continue  # "Putin also invited Kim to visit Moscow": an invitation, no journey yet
            visitor = side(sent, subject_of(token), None, VISITORS)
            # the verb's own "to"/"in" first: "landed in Manila for his first trip to Asia" lands in Manila
            direct = next((o for c in token.children if c.dep_ == "prep" and c.lower_ in ("to", "in")
                           for o in c.children if o.dep_ == "pobj"), None)
            targets = [direct or object_of(token, "to") or object_of(token, "in") or
                       next((c for c in token.children if c.dep_ == "dobj"), None)]
            if targets[0] is None and here is not None and token.lower_.startswith("arriv") and \
                    any(c.lower_ == "here" for c in token.children):
                targets = ["here"]  # "NEW DELHI (PTI): X arrived here on Sunday": the dateline's city
        elif token.pos_ == "NOUN":
            owner = possessor_of(token)
            visitor = side(sent, owner, None, VISITORS)
            if visitor is None and owner is not None and holder is not None:
                visitor = holder(sent.span.doc[owner.left_edge.i:owner.i + 1].text)
            if visitor is None:  # "a visit to China by Australian Prime Minister Anthony Albanese"
                visitor = side(sent, object_of(token, "by"), None, VISITORS)
            if visitor is None:  # "X arrived ... for a state visit to Russia": the subject of the clause
                visitor = side(sent, subject_of(token), None, VISITORS)
            if visitor is None and re.search(r"\b(?:his|her)\b", sent.text[:token.idx - sent.start]) and recent_people:
                visitor = recent_people[-1]
            purpose = next((c for c in token.children if c.dep_ in ("relcl", "acl") and c.pos_ == "VERB" and
                            any(a.lower_ == "to" for a in c.children)), None)
            targets = [object_of(token, "to") or (object_of(token, "in") if token.lower_ in ("stopover", "stay") else None) or
                       (object_of(purpose, "in") if purpose is not None else None) or
                       (object_of(token.head, "in") if token.head != token else None)]
            # ("a rare visit to meet Kim in Pyongyang": where the visit's purpose takes place)
            verb = token.head.head if token.head.pos_ == "ADP" else token.head
            if targets[0] is None and verb.pos_ in ("VERB", "AUX"):
                # "Austin has reached New Delhi on a two-day visit", "Putin, who is in China on a state visit";
                # not what another verb takes ("appreciated the support of North Korea during a visit")
                reached = verb.lemma_.lower() in ("reach", "arrive", "land", "tour", "enter", "visit", "travel")
                targets = [(next((c for c in verb.children if c.dep_ == "dobj"), None) if reached else None) or
                           object_of(verb, "in") or object_of(verb, "to")]
        if token.lower_ in ("welcomed", "received", "hosted", "welcomes", "hosts") and token.pos_ == "VERB":
            guest = next((c for c in token.children if c.dep_ == "dobj"), None)
            host_id = side(sent, subject_of(token), None, ("Person", "Country"))
            visitor = side(sent, guest, None, VISITORS)  # a guest, not "welcomed a delivery"
            guests = [side(sent, c, None, VISITORS) for c in guest.conjuncts] if guest is not None else []
            # where the guest is received, never the guest's own phrase ("hosted Japanese Minister X")
            targets = [object_of(token, "to") or object_of(token, "at") or object_of(token, "in")]
        else:
            guests = []
        places = []
        for target in targets:
            if target is None:
                continue
            if target == "here":
                places.append(here)
                continue
            if isinstance(target, str):  # an entity id already
                places.append(target)
                continue
            # "a trip to Japan, Singapore, India and France": each conjunct is a destination
            for node in [target, *(c for c in target.subtree if c.dep_ == "conj" and c.head.i >= target.i)]:
                place = side(sent, node, None, PLACES) if node is target else _named(sent, node)
                if place and place not in places:
                    places.append(place)
        for place, visitor in [(p, v) for p in places for v in dict.fromkeys([visitor, *guests])]:
            # "welcomed Kishida and Yoon to Camp David": each guest visits
            if not visitor or visitor == place or (visitor, place) in seen:
                continue
            seen.add((visitor, place))
            roles: dict[str, object] = {"visitor": visitor, "place": place}
            if token.lower_ in ("welcomed", "received", "hosted", "welcomes", "hosts") and token.pos_ == "VERB" and \
                    host_id and host_id != visitor:
                roles["host"] = host_id
            invite = re.search(r"\bat the invitation of\b", sent.text)
            if invite:
                host = next((m.entity_id for m in sent.of_kind("Person", "Country")
                             if m.start - sent.start > invite.end() and m.entity_id != visitor), None)
                if host:
                    roles["host"] = host
            date = _dates(sent, article_date, near=token.idx - sent.start)
            if date is not None:
                roles["date"] = date
            purpose = re.search(r"\b(?:for|on) an? ((?:two-day |three-day |\w+-day )?(?:state|official|working) visit)\b",
                                sent.text)
            if purpose:
                roles["purpose"] = Text(purpose.group(1))
            found.append(Candidate("Visit", roles, sent.start, sent.end, 0.65, f"visit-{token.lower_}"))
            if "host" in roles:
                talks += _welcomed_for_talks(sent, roles)
    found += _spoke_at(sent, article_date, seen)
    found += _there_for_talks(sent, article_date, seen)
    return _most_precise(sent, found) + talks


THERE_FOR_TALKS = re.compile(r"\b(?:is|was|are|were|has been|will be)\s+in\s+(?P<where>[^.;]{2,60}?)\s+(?:\w+\s+){0,3}?"
                             r"for (?:an? |the )?(?:\w+-day |two-day |three-day |official |state |working )?"
                             r"(?:talks|visit|meetings?|summit|consultations|conference|ceremony)\b|"
                             r"\b(?:stopping|stopped|stops|stopping over|stopped over)\s+in\s+(?P<stops>[^.;]{2,80})|"
                             r"\b(?:is|was|are|were)\s+in\s+(?P<meeting>[A-Z][^.;,]{1,40}?)\s+(?:(?:on\s+)?[A-Z][a-z]+day|"
                             r"this week|last week|today)?\s*,?\s*(?:meeting|to meet|holding talks with)\b")
"""Presence told without a word of visiting: "Austin is in Manila this week for talks", "his first
trip to Asia, stopping in Japan and the Philippines"."""


def _there_for_talks(sent: Sentence, article_date, seen: set[tuple[str, str]]) -> list[Candidate]:  # noqa: ANN001
    found = []
    for match in THERE_FOR_TALKS.finditer(sent.text):
        group = "where" if match.group("where") else "stops" if match.group("stops") else "meeting"
        # ("Bolton was in Abu Dhabi Wednesday, meeting his Emirati counterpart": there to meet)
        lo, hi = sent.start + match.start(group), sent.start + match.end(group)
        places = [m for m in sent.of_kind("City", "Country", "Place", "Region") if lo <= m.start < hi]
        if group in ("where", "meeting"):
            places = places[:1]
        visitor = next((m.entity_id for m in reversed(sent.of_kind("Person")) if m.end <= sent.start + match.start()),
                       None)
        for place in places:
            if visitor is None or (visitor, place.entity_id) in seen:
                continue
            seen.add((visitor, place.entity_id))
            roles: dict[str, object] = {"visitor": visitor, "place": place.entity_id}
            date = _dates(sent, article_date)
            if date is not None:
                roles["date"] = date
            found.append(Candidate("Visit", roles, sent.start, sent.end, 0.55, "visit-there"))
    return found


SPOKE_AT = re.compile(r"\b(?:[Ss]peaking|[Ss]poke|[Ss]peaks|[Ss]peech|[Aa]ddress(?:ing|ed)?|[Ll]ecture) "
                      r"(?:\w+ ){0,2}?(?:at|to) (?:the )?(?=[A-Z])")
"""Where a speaker spoke in person: "Speaking at the Center for Strategic and International
Studies, Lee said", "in a speech at the Pentagon"."""


def _spoke_at(sent: Sentence, article_date, seen: set[tuple[str, str]]) -> list[Candidate]:  # noqa: ANN001
    """A person who spoke at a named place or institution visited it: the place is the entity
    named right after "at", the speaker the person the sentence names first outside that
    phrase. A speech "to reporters" or "at a press conference" names no place and makes no visit."""
    match = SPOKE_AT.search(sent.text)
    if match is None or match.group(0).rstrip().endswith(" to"):
        return []
    at = sent.start + match.end()
    place = next((m for m in sent.mentions if at - 4 <= m.start <= at and m.entity_id and
                  m.kind in ("Place", "Organization", "City")), None)
    if place is None or gazetteer().capital_of(re.sub(r"^the\s+", "", place.text, flags=re.IGNORECASE)):
        return []  # a seat of government ("at the White House", "at the Pentagon") is often the speaker's own
    speaker = next((m.entity_id for m in sent.of_kind("Person") if m.start > place.end or m.end < sent.start + match.start()),
                   None)
    if speaker is None or (speaker, place.entity_id) in seen:
        return []
    roles: dict[str, object] = {"visitor": speaker, "place": place.entity_id}
    date = _dates(sent, article_date)
    if date is not None:
        roles["date"] = date
    return [Candidate("Visit", roles, sent.start, sent.end, 0.5, "visit-spoke-at")]


def _most_precise(sent: Sentence, visits: list[Candidate]) -> list[Candidate]:
    """'his first visit to Moscow ... and state visit to Russia' is one trip: the city wins
    over the country it lies in."""
    gaz = gazetteer()
    codes: dict[str, str] = {}
    for m in sent.mentions:
        if m.entity_id and m.kind == "City":
            city = gaz.city(m.text)
            if city is not None:
                codes[m.entity_id] = city.country_code
        elif m.entity_id and m.kind == "Country":
            country = gaz.country(m.text)
            if country is not None:
                codes.setdefault(m.entity_id, country.code)
    cities = {(c.roles["visitor"], codes.get(c.roles["place"])) for c in visits
              if codes.get(c.roles["place"]) and any(m.entity_id == c.roles["place"] and m.kind == "City"
                                                     for m in sent.mentions)}
    return [c for c in visits
            if not (any(m.entity_id == c.roles["place"] and m.kind == "Country" for m in sent.mentions) and
                    (c.roles["visitor"], codes.get(c.roles["place"])) in cities)]


def _named(sent: Sentence, token) -> str | None:  # noqa: ANN001
    """The place a single conjunct names (its own token only, not its subtree)."""
    return next((m.entity_id for m in sent.mentions if m.entity_id and m.kind in PLACES and
                 m.start <= token.idx < m.end), None)


EXERCISE_MODIFIERS = (r"(?:joint|combined|military|annual|bilateral|trilateral|multilateral|multinational|large-scale|"
                      r"field|naval|air|aerial|maritime|amphibious|live-fire|summertime|summer|springtime|spring|"
                      r"winter|autumn|fall|regular|routine|biennial|defensive|command post|computer-simulated|"
                      r"field training|anti-submarine|air defen[cs]e|international|largest|major|flagship)")
"""Words news puts between an exercise's name and the word "exercise" ("Ulchi Freedom Shield
summertime military exercise"): adjectives, never a verb, so "the United States held a military
exercise" names no exercise "United States"."""
EXERCISE = re.compile(r"(?:[“\"‘']?)((?:[A-Z][\w/-]+ ){0,3}[A-Z][\w/-]+)(?:[”\"’']?)(?: \d{2,4})?,?\s+(?:the\s+)?"
                      rf"(?:{EXERCISE_MODIFIERS}\s+){{0,3}}(?:[Ee]xercises?|[Dd]rills?|wargames?|war games)\b|"
                      r"\bExercises?\s+((?:[A-Z][\w/-]+ ){0,3}[A-Z][\w/-]+)|"  # "Exercise Talisman Sabre 2025"
                      r"((?:[A-Z][\w/-]+ ){0,3}[A-Z][\w/-]+)(?: \d{4})?,\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,5}?"
                      r"(?:exercises?|drills?|wargames?)\b|"  # "RIMPAC 2024, the world's largest maritime exercise"
                      r"\b(?:edition|iteration|round|instalment|installment) of (?:the\s+)?(?:exercise\s+)?"
                      r"((?:[A-Z][\w/-]+ ){0,3}[A-Z][\w/-]+)")  # "the 20th edition of Yudh Abhyas", among forces
EXERCISE_WORDS_ANY = re.compile(r"(?i)exercise|drill|war ?game|edition|iteration|instal")
MILITARY_CONTEXT = re.compile(r"(?i)\b(?:militar\w*|troops|forces|soldiers|navies|armies|exercises?|drills?)\b")
EXERCISE_TITLED = re.compile(r"\b(?:[Tt]itled|[Dd]ubbed|[Nn]amed|[Cc]alled|[Cc]ode-?named)\s+[“\"]"
                             r"((?:[A-Z][\w/-]+ ){0,3}[A-Z][\w/-]+)(?: \d{2,4})?,?[”\"],?\s+(?:the|a|an|its|their)\s+"
                             r"(?:[\w-]+\s+){0,4}?(?:exercises?|drills?|war ?games?|maneuvers|manoeuvres)\b")
"""'Titled "Freedom Edge," the three-day exercise began': the name given before the word."""
EXERCISE_LISTED = re.compile(r"\b(?:exercises?|drills?)\b[^.;]{0,80}?(?:--|—|–|:)\s*"
                             r"((?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+) with (?:the )?[A-Z][\w.-]*(?: [A-Z][\w-]+)?"
                             r"(?:,? and ((?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+) with (?:the )?[A-Z][\w.-]*)?")
"""'bilateral exercises the US holds ... -- Freedom Shield with South Korea and Keen Edge with Japan'."""
EXERCISE_AFTER = re.compile(r"\b(?:exercises?|drills?)(?:[^.;“\"]{0,60}?,)?\s+(?:(?:called|dubbed|named|code-named)\s*[“\"]?|[“\"])"
                            r"((?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+)(?:[”\"]|(?=[,.;]|\s+(?:will|is|was|began|begins|ran|"
                            r"runs|kicked|starts|started|ended|ends|involved|involves)\b))")
"""'the exercise, dubbed Freedom Edge, will begin', 'drills called "Ssangyong"': the name after the word."""
UNNAMED_EXERCISE = re.compile(r"(?i)\b(?:exercises?|drills?|war ?games|manoeuvres|maneuvers)\b")
NAVY_OF_STATE = re.compile(r"^[’']s\s+(?:[\w-]+\s+){0,2}?(?:Navy|Army|Air Force|Marines|Marine Corps|Coast Guard|"
                           r"Self-Defense Forces?|Self-Defence Forces?|military|forces|navy|army|air force|troops)\b")
"""A state whose navy or army is named ("destroyers from Japan's Maritime Self-Defense Force"): it
takes part, whatever preposition comes before it."""


FORCES_FROM = re.compile(r"\b(?:troops|forces|soldiers|sailors|airmen|marines|personnel|service members|militaries|"
                         r"navies|units|ships|warships|vessels|aircraft|participants|contingents|delegations|armies|"
                         r"armed forces)\s+(?:from|of)\s+(?:the\s+)?$", re.IGNORECASE)
"""'troops from' a state, 'the militaries of' a state: its forces, taking part, where 'from' or 'of'
alone may name a threat or an owner."""


def exercises(sent: Sentence, state_name, previous: Sentence | None = None,  # noqa: ANN001
              state_of=None) -> list[Candidate]:  # noqa: ANN001 - callable(text) -> state id
    """Named exercises ("the Freedom Shield exercise", "exercise Talisman Sabre"), the states the
    clause names as taking part, and what became of them. Not when: an exercise is known by its
    name, held every year, and a sentence's day is as often when it was announced ("the JCS said
    on Wednesday") as when it ran; dated, two years' editions would be told as a conflict."""
    found = []
    if not EXERCISE_WORDS_ANY.search(sent.text):
        return found  # most sentences name no exercise: the name patterns are not run on them
    military = MILITARY_CONTEXT.search(sent.text) is not None
    names = [next(g for g in m.groups() if g) for m in EXERCISE.finditer(sent.text)
             if m.group(4) is None or military] + [m.group(1) for m in EXERCISE_AFTER.finditer(sent.text)] + \
        [m.group(1) for m in EXERCISE_TITLED.finditer(sent.text)]
    listed = {}  # name -> the text after it, up to the next name: "Freedom Shield with South Korea"
    for m in EXERCISE_LISTED.finditer(sent.text):
        for group in (1, 2):
            if m.group(group):
                listed[m.group(group)] = sent.text[m.end(group):m.end(group) + 40].split(" and ")[0]
    names += list(listed)
    # (an "edition of" a name is an exercise only among forces: "the 20th edition of Yudh Abhyas")
    for name in dict.fromkeys(names):
        quoted = re.search(rf"[“\"]{re.escape(name)}[”\"]", sent.text) is not None
        name = re.sub(r"^(?:The|A|An|This|That|Its|Their|Our|Annual|Combined|Joint|Around|About|Some|Several|"
                      r"Many|Both|Two|Three|Four|Five|Other|Such|These|Those)\s+", "", name) \
            if not quoted or re.match(r"(?:The|A|An)\s", name) else name  # "Joint Sea-2015" in quotes is the name
        if "\n" in name or name.strip().lower() in triggers.words("generic_exercise"):
            continue  # a headline's word, not a name
        if not name or name in ("The", "A", "An", "This", "That", "Around", "About", "Some", "Several", "These") or \
                state_name(name) or name.split()[-1] in ("Korean", "American") or \
                (" " not in name and _common(name)) or \
                name.lower() in ("military", "joint", "combined", "major", "annual"):
            continue  # "U.S.-South Korean exercises" are the states' exercises, not a name
        if any(state_name(part) for part in re.split(r"[-–]", name)) and "-" in name:
            continue
        if names_a_force(name):
            continue  # "a Marine Corps-led drill": who leads it, not its name
        name = re.sub(r"\s+(?:[Ee]xercises?|[Dd]rills?)$", "", re.sub(r"^\d+(?:st|nd|rd|th)\s+", "", name))
        # ("the 39th Balikatan Exercise": Balikatan)
        roles: dict[str, object] = {"name": Text(name)}
        aside = re.search(r",?\s+\b(?:as|while|amid|after|when|even as|despite|just as)\s+", sent.text)
        cut = sent.start + aside.start() if aside and aside.start() > sent.text.find(name) else sent.end
        # "... kicked off Freedom Shield, as North Korea fired missiles": the state of the other clause,
        # or one the drills are aimed at ("drills against North Korea"), takes no part
        # but "troops from Poland, Lithuania and the US" take part
        states = [m.entity_id for m in sent.of_kind("Country") if m.start < cut and (not re.search(
            r"\b(?:against|from|by|deter|of|near|off|around)\s+(?:the\s+)?$", sent.text[:m.start - sent.start]) or
            FORCES_FROM.search(sent.text[:m.start - sent.start]) or NAVY_OF_STATE.match(sent.body[m.end:m.end + 60]))] or \
            ([] if aside else sent.ids("Country"))
        if state_of is not None:  # "Russian and Chinese Navy warships completed ...": a state's own forces take part
            states += [state for m in sent.of_kind("MilitaryUnit") if m.start < cut and
                       (state := state_of(re.sub(r"^(?:the|The)\s+", "", m.text).split()[0]))]
        states += _holding_states(previous)  # "X, Y and Z began a new joint exercise. The 'Freedom Edge' drills ..."
        at = sent.text.find(name)
        if name in listed and at >= 0:  # "the US holds ... -- Freedom Shield with South Korea and Keen Edge with Japan"
            first = min(sent.text.find(n) for n in listed)
            segment = (sent.start + at + len(name), sent.start + at + len(name) + len(listed[name]))
            states = [m.entity_id for m in sent.of_kind("Country") if m.start < sent.start + first] + \
                [m.entity_id for m in sent.of_kind("Country") if segment[0] <= m.start < segment[1]]
        states += [m.entity_id for m in sent.of_kind("Organization") if at > 0 and
                   re.fullmatch(r"[’']s\s+", sent.body[m.end:sent.start + at])]  # "NATO's Steadfast Defender 2024"
        if states:
            roles["participants"] = tuple(sorted(set(states)))
        verb = re.search(r"\b(extend|resum|cancel|suspend|postpon|conclud|end|kick|begin|began|start|launch)\w*",
                         sent.text)
        if verb:
            roles["outcome"] = Text({"extend": "extended", "resum": "resumed", "cancel": "cancelled",
                                     "suspend": "suspended", "postpon": "postponed", "conclud": "concluded",
                                     "end": "concluded"}.get(verb.group(1), "held"))
        found.append(Candidate("MilitaryExercise", roles, sent.start, sent.end, 0.65, "exercise-pattern"))
    return found


def _holding_states(sent: Sentence | None) -> list[str]:
    """The states a sentence says hold an exercise it does not name ("Japan, the United States
    and South Korea on Thursday began a new joint military exercise"), for the sentence after it
    that names the exercise: the list of states before the drill word, none of them its target."""
    if sent is None or not UNNAMED_EXERCISE.search(sent.text) or EXERCISE.search(sent.text) or \
            EXERCISE_AFTER.search(sent.text):
        return []
    at = sent.start + UNNAMED_EXERCISE.search(sent.text).start()
    states = [m for m in sent.of_kind("Country") if m.end <= at and not re.search(
        r"\b(?:against|from|by|deter|of|near|off|around|to|in|at)\s+(?:the\s+)?$", sent.body[max(0, m.start - 12):m.start])]
    return [m.entity_id for m in states] if len({m.entity_id for m in states}) >= 2 else []


def _common(word: str) -> bool:
    from .tables import common_word

    return common_word(word)


FORCES = r"(?i:forces|troops|marines?|soldiers|personnel|service ?members|aircraft|bombers?|fighter jets|fighters?|submarines?|ships|" \
         r"warships|capabilities|military|navy|army|air force|regiments?|brigades?|battalions?|garrisons?|" \
         r"squadrons?|contingents?)"
WHERE = r"(?P<where>(?:(?:northern|southern|eastern|western|north|south|east|west|central)\s+)?(?:the )?[A-Z][\w.-]*(?: [A-Z][\w-]+)?)"
"""Where forces go: a name, after a compass word perhaps ("northern Australia")."""
INTO = r"(?:in|to|through|across|at|on)"
BASES = r"(?:military )?(?:bases|sites|facilities|ports|airfields)"
OPERATE_FROM = r"\b(?:will |would |to |are to |is to )?(?:operate|operates|operated|operating|be based|are based|were based)" \
               r"(?:\s+[\w-]+){0,3}?\s+(?:out of|from)\b"
"""Forces working from a base: 'will operate F-35 fighters out of Misawa Air Base'."""


KEEPS_FORCES = re.compile(r"\b(?:keeps?|kept|maintains?|maintained|has|have|had|stations)\b[^.;]{0,40}\b"
                          r"(?:troops|forces|soldiers|personnel|service members|marines)\b")
"""A sentence that may say where a state keeps its forces, without a word of deploying."""


HOSTS_FORCES = re.compile(r"(?i)\b(?:hosts?|hosted|access to|rotate through|home to)\b[^.;]{0,60}\b(?:forces|troops|marines?|soldiers|"
                          r"personnel|bases|regiments?|brigades?|battalions?|squadrons?|contingents?)\b|"
                          r"\b(?:forces|troops|marines)\b[^.;]{0,60}\b(?:access to|rotate through)\b")
"""A host state or base access named without a word of deploying."""


ABBREVIATED_STATE = re.compile(r"\b(?:U\.S\.|U\.K\.|U\.N\.)")
"""Abbreviations whose full stops are not sentence ends, for the patterns that stop at one."""


COMMAND_NAMED_FOR_HOST = re.compile(r"\b(?P<who>U\.S\.|US|United States) Forces[ ,-]+(?P<where>[A-Z][a-z]+)\b")
"""'U.S. Forces Korea', 'US Forces Japan': a command named for the state it is stationed in."""


def deployments(sent: Sentence, country_of) -> list[Candidate]:  # noqa: ANN001
    """'rotational presence of US forces in Australia', 'access to four military bases' in a
    state, 'troops stationed in Japan', 'deploy fighters to Australia'."""
    text = sent.text
    lowers = sent.lowers
    flat = ABBREVIATED_STATE.sub(lambda m: m.group(0).replace(".", ""), text)  # "U.S. forces": no sentence ends there
    if not lowers & triggers.words("deploy") and "presence" not in lowers and not KEEPS_FORCES.search(flat) and \
            not re.search(OPERATE_FROM, flat) and \
            not HOSTS_FORCES.search(flat) and not COMMAND_NAMED_FOR_HOST.search(text) and \
            not re.search(r",\s+where\b[^.;]{0,100}\b(?:troops|forces|soldiers|brigade|battalion|marines|personnel)\b",
                          flat):
        return []
    found = []
    patterns = [
        rf"\b(?:presence|rotations?|deployments?|stationing|rotational deployment) of (?:\w+ ){{0,3}}?(?P<who>[A-Z][\w.]*)\s+(?:\w+ ){{0,2}}?{FORCES}\b[^.;]*?\b{INTO} {WHERE}",
        rf"\b(?P<who>[A-Z][\w.]*)\s+(?:\w+ ){{0,2}}?{FORCES} (?:\w+ )?(?:stationed|deployed|based|rotating|rotate|rotates) {INTO} {WHERE}",
        r"\b(?:granted|gave|give|gives|grants) (?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)(?: forces| troops| military)? access to (?:\w+ ){0,4}?(?:military )?(?:bases|sites|facilities|ports|airfields)(?: in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?))?",
        rf"\b(?P<who>[A-Z][\w.]*)\s+(?:will |would )?(?:deploy|deploys|deployed|station|stations|stationed|rotate|rotates) (?:[\w-]+ ){{0,4}}?{FORCES}?\s*{INTO} {WHERE}",
        # what is sent must be forces: "Japan sent an observer team to Manila" deploys nothing
        rf"\b(?P<who>[A-Z][\w.]*)\s+(?:will |would )?(?:send|sends|sent) (?:[\w-]+ ){{0,4}}?{FORCES}\s*{INTO} {WHERE}",
        # "US troops will have access to nine Philippine military bases", "rotate through Philippine bases"
        rf"\b(?P<who>[A-Z][\w.]*)\s+{FORCES}\b[^.;]{{0,60}}?\b(?:access to|rotate through|rotate among|use of|use) (?:\w+ ){{0,2}}?(?P<where>[A-Z][a-z]+) {BASES}",
        # "The US maintains a permanent military presence in Bahrain"
        rf"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)\s+(?:maintains|maintained|has|had|keeps|kept)\s+an?\s+(?:\w+\s+){{0,2}}?presence in {WHERE}",
        # "Japan hosts the largest concentration of US forces overseas"
        rf"\b{WHERE.replace('where', 'host')},?\s+(?:which\s+|that\s+)?(?:will\s+)?(?:hosts|hosted|host|is home to|"
        rf"was home to|has been home to)\s+"
        rf"(?:[\w,.-]+\s+){{0,5}}?(?P<who>[A-Z][\w.]*)\s+"
        rf"(?:[\w-]+\s+){{0,2}}{FORCES}\b",
        COMMAND_NAMED_FOR_HOST.pattern,
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)(?:[’']s)?\s+(?:military(?:[’']s)?\s+)?(?:rotational\s+)?presence in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)\s+(?:\w+\s+){0,3}?(?:its|their)\s+(?:\w+\s+)?presence in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)(?:\s+(?:forces|troops|military))?\s+(?:will\s+)?(?:gains?|gained|obtains?|obtained|secures?|secured|has|have)\s+(?:\w+\s+)?access to\b[^.;]{0,80}?\bin (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        # "a visit to Lithuania, where Germany is building up a permanent brigade of 5,000 soldiers"
        rf"{WHERE},\s+where\s+(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)\s+(?:\w+\s+){{0,3}}?"
        rf"(?:building up|builds up|built up|stationing|stations|stationed|deploying|deploys|deployed|keeps|kept|"
        rf"maintains|maintained|has|had|bases|based)\s+(?:[\w,-]+\s+){{0,6}}?{FORCES}\b",
        # "The United States keeps about 54,000 troops in Japan", "Washington has 100,000 troops deployed in Europe"
        rf"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)(?:\s+(?:military|army|navy|armed forces))?\s+"
        rf"(?:(?:will|would|could|should|plans to|intends to|is to)\s+)?"
        rf"(?:keeps|kept|keep|maintains|maintained|maintain|has|have|had|stations|station)\s+"
        rf"(?:about |some |nearly |roughly |around |more than |over |almost |up to )?[\d,]+\s+(?:[\w-]+ ){{0,2}}?"
        rf"{FORCES}\s+(?:(?:deployed|stationed|based)\s+)?in {WHERE}",
        # "The US Air Force will operate F-35 fighters out of Misawa Air Base in northern Japan",
        # "Six Australian F-35A jets will operate from Rzeszow Airport in Poland": forces flying
        # their missions from a base abroad are deployed there (a flight from a base is not); the
        # deployer is the first of the capitalised words before the forces that names a state
        rf"\b(?P<lead>(?:[A-Z][\w.-]*\s+){{1,4}})(?:[\w-]+ ){{0,1}}?(?:{FORCES}|jets)\b[^.;]{{0,40}}?\b"
        rf"{OPERATE_FROM}\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){{1,4}}in {WHERE}",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            lead = match.groupdict().get("lead")
            deployer = next((c for w in lead.split() if (c := country_of(w))), None) if lead \
                else country_of(match.group("who"))
            where_text = match.groupdict().get("where") or match.groupdict().get("host")
            location = None
            if where_text:
                location = country_of(where_text) or next(
                    (m.entity_id for m in sent.of_kind("Country", "City", "Region", "Place")
                     if m.start - sent.start >= match.start("where")), None)
            else:  # "gave the US access to bases", "Manila gave US forces access": the granting state hosts
                location = next((state for m in sent.of_kind("Country", "City")
                                 if m.start - sent.start < match.start() and
                                 (state := m.entity_id if m.kind == "Country" else country_of(m.text)) != deployer), None)
            location = _host_state(sent, location, lambda code: country_of(state.name) if (
                state := gazetteer().country_by_code(code)) else None) if location else None
            if deployer and location and deployer != location:
                roles: dict[str, object] = {"deployer": deployer, "location": location}
                item = next((f for f in reversed(list(re.finditer(FORCES, match.group(0))))  # "military has 800 troops"
                             if not re.match(rf"\s+{BASES}", match.group(0)[f.end():])), None)  # not "military sites"
                if item:
                    roles["item"] = Text(item.group(0))
                found.append(Candidate("Deployment", roles, sent.start, sent.end, 0.6, "deployment-phrase"))
    unique = {}
    for c in found:
        unique.setdefault((c.roles["deployer"], c.roles["location"]), c)
    return list(unique.values())


def agreement_deployments(sent: Sentence, country_of) -> list[Candidate]:  # noqa: ANN001 - callable(text) -> id
    """A basing or access agreement whose guest is always the same state (`basing_agreements` in
    `kg/data/triggers.yaml`) named with its sites or forces: "four new Enhanced Defense Cooperation
    Agreement sites" in a sentence naming the Philippines deploys the United States there. The
    host is the one other state the sentence names; with none, or several, nothing is read."""
    if not sent.lowers & triggers.words("basing_words"):
        return []
    for name, guest_name in sorted(triggers.mapping("basing_agreements").items(), key=lambda kv: -len(kv[0])):
        if not re.search(rf"\b{re.escape(name)}\b", sent.text):
            continue
        guest = country_of(guest_name)
        hosts = {m.entity_id for m in sent.of_kind("Country") if m.entity_id and m.entity_id != guest}
        if guest is None or len(hosts) != 1:
            return []
        return [Candidate("Deployment", {"deployer": guest, "location": hosts.pop()}, sent.start, sent.end, 0.55,
                          "deployment-agreement")]
    return []


def meeting_context(sent: Sentence, recent_people: list[str]) -> list[str]:
    """'The two men met', 'the leaders held talks', 'they met': the people meant."""
    if re.search(r"\b(?:[Tt]he two|[Bb]oth) (?:men|women|leaders|ministers|officials|sides|presidents|secretaries|"
                 r"heads of state|counterparts|allies)\b|"
                 r"^\W*(?:They|The leaders|The ministers)\b", sent.text):
        return list(dict.fromkeys(reversed(recent_people)))[:2]
    return []


LEADERS_OF = re.compile(r"\b(?:(?P<leaders>[Ll]eaders|[Hh]eads of (?:state|government)|[Hh]eads of state and government|"
                        r"[Pp]residents and prime ministers|[Pp]rime ministers and presidents)|"
                        r"(?P<defence>[Dd]efen[cs]e (?:chiefs|ministers|secretaries|heads))|"
                        r"(?P<foreign>[Ff]oreign (?:ministers|secretaries|affairs ministers)|[Tt]op diplomats)) (?:from|of)\s+")
"""'The leaders of Australia, India, Japan and the US met', 'the defense chiefs of South Korea and
Japan met': the states whose leaders (or ministers of that portfolio) meet."""
PORTFOLIO = {"defence": re.compile(r"(?i)\bdefen[cs]e\b"),
             "foreign": re.compile(r"(?i)\b(?:foreign|external affairs|secretary of state)\b")}
"""The titles of the ministers "the defense chiefs" and "the foreign ministers" mean."""


def leaders_of_states(sent: Sentence, acting_for: dict[str, str], titles: dict[str, str]) -> list[str]:
    """The people "the leaders of X, Y and Z" means: for each state listed, the one person the
    article names as its head of state or government ("the defense chiefs of X and Y": its
    defence minister). All the states must be placed, or the
    sentence names no participants (a meeting of two of three leaders is a wrong fact)."""
    from .lexicon import HEAD_OF_STATE_TITLES

    match = LEADERS_OF.search(sent.text)
    if match is None:
        return []
    listed = []
    at = sent.start + match.end()
    for m in sent.of_kind("Country"):
        if m.start < at:
            continue
        if not re.fullmatch(r"\)?(?:\s*\([A-Z]{2,6}\))?(?:,\s*|\s+)?(?:and\s+|&\s+)?(?:the\s+)?\(?", sent.body[at:m.start]):
            break  # ("Japan, the Republic of Korea (ROK), and the United States": an acronym in brackets may follow)
        listed.append(m.entity_id)
        at = m.end
    office = next(group for group in ("leaders", "defence", "foreign") if match.group(group))
    heads = {}
    for person, state in acting_for.items():
        title = titles.get(person) or ""
        if title in HEAD_OF_STATE_TITLES if office == "leaders" else \
                PORTFOLIO[office].search(title) and "vice" not in title.lower() and "deputy" not in title.lower():
            heads.setdefault(state, set()).add(person)
    listed = list(dict.fromkeys(listed))  # "the Republic of Korea (ROK)": one state named twice
    people = [next(iter(heads[state])) for state in listed if len(heads.get(state, ())) == 1]
    return people if len(listed) >= 2 and len(people) == len(listed) else []


JOINT_VERBS = {"announce", "endorse", "sign", "unveil", "issue", "adopt", "launch", "declare", "inaugurate",
               "celebrate", "open", "attend", "witness", "visit", "tour", "lay", "mark", "unveil", "agree"}
"""What leaders do together in one place: announce a plan, sign a treaty, attend a ceremony."""
NOT_TOGETHER = re.compile(r"(?i)\b(?:phone|telephone|video|virtual(?:ly)?|call|online|letter|separately|"
                          r"respectively)\b")


def joint_appearance(sent: Sentence, article_date, titles: dict[str, str], leaders: list[str] = ()) -> list[Candidate]:  # noqa: ANN001
    """Heads of state or government named together as the subject of one act, in one place, met:
    "US President Joe Biden, Australian Prime Minister Anthony Albanese and British Prime Minister
    Rishi Sunak endorsed the plans ... at the US naval base in San Diego"; "President Joe Biden and
    the leaders of Australia and the United Kingdom on Monday announced ..." (`leaders`: the people
    "the leaders of" names). Not on the phone, not by video, not each on their own."""
    from .lexicon import HEAD_OF_STATE_TITLES

    if NOT_TOGETHER.search(sent.text):
        return []
    for token in sent.tokens:
        if token.pos_ != "VERB" or token.lemma_.lower() not in JOINT_VERBS:
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]  # the parser may give each its own
        heads = [t for c in subjects for t in (c, *c.conjuncts)]
        if len(heads) < 2:
            continue
        lo = min(t.left_edge.idx for t in heads)
        hi = max(t.right_edge.idx + len(t.right_edge) for t in heads)
        people = list(dict.fromkeys(m.entity_id for m in sent.of_kind("Person") if lo <= m.start < hi))
        if re.search(r"\bleaders of\b", sent.text[lo - sent.start:hi - sent.start]):
            people = list(dict.fromkeys([*people, *leaders]))
        if len(people) < 2 or not all(titles.get(p) in HEAD_OF_STATE_TITLES for p in people):
            continue
        places = [m for m in sent.of_kind("City", "Place", "Region")
                  if re.search(r"\b(?:in|at)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", sent.body[max(sent.start, m.start - 40):m.start])]
        date = _dates(sent, article_date, events_only=True)  # a year alone dates the plan, not the day they met
        if not places and date is None:
            continue  # together where and when? a joint statement may be issued from three capitals
        roles: dict[str, object] = {"participants": tuple(sorted(people))}
        rank = {"Place": 0, "City": 1, "Region": 2}
        if places:
            roles["place"] = min(places, key=lambda m: (rank[m.kind], m.start)).entity_id
        if date is not None:
            roles["date"] = date
        return [Candidate("Summit", roles, sent.start, sent.end, 0.6, "joint-appearance")]
    return []


def meeting_host(sent: Sentence) -> str | None:
    """'Biden hosted ...', 'hosted by Albanese', 'at the invitation of Putin'."""
    by = re.search(r"\b(?:hosted by|at the invitation of)\s+(?:\w+ ){0,4}?", sent.text)
    if by:
        return next((m.entity_id for m in sent.of_kind("Person", "Country") if m.start - sent.start >= by.end()), None)
    for token in sent.tokens:
        if token.lemma_.lower() == "host" and token.pos_ == "VERB":
            return side(sent, subject_of(token), None, ("Person", "Country"))
    return None


def verb_meetings(sent: Sentence, article_date, titles: dict[str, str]) -> list[Candidate]:  # noqa: ANN001
    """One meeting per "met" clause: "He visited Moscow on July 8th and met President Putin, and
    on August 23rd ... met President Zelenskyy" is two meetings, each with its own date, not one
    meeting of three people. The subject meets the people its object (or "with") names."""
    from .relations import HEAD_OF_STATE_TITLES

    found: list[Candidate] = []
    for token in sent.tokens:
        if token.pos_ != "VERB" or token.lemma_.lower() != "meet":
            continue
        visitor = side(sent, subject_of(token), None, ("Person",))
        objects = [c for c in token.children if c.dep_ == "dobj"] + \
            [o for o in [object_of(token, "with")] if o is not None]
        others: list[str] = []
        for obj in objects:
            lo, hi = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge)
            others += [m.entity_id for m in sent.mentions if m.kind == "Person" and m.entity_id and lo <= m.start < hi]
        people = sorted({visitor, *others} - {None})
        if visitor is None or len(people) < 2:
            continue
        heads = all(titles.get(p) in HEAD_OF_STATE_TITLES for p in people)
        roles: dict[str, object] = {"participants": tuple(people)}
        date = _dates(sent, article_date, near=token.idx - sent.start)
        if date is not None:
            roles["date"] = date
        found.append(Candidate("Summit" if heads else "Meeting", roles, sent.start, sent.end, 0.7, "meeting-verb"))
    return found


SPEAKERS_ONLY = REPORTING_VERBS - {"announce", "pledge", "vow"}
"""Verbs whose subject only reports a deployment ("..., the South Korean navy said"); one who
announces or pledges troops sends them."""


def deployment_frames(sent: Sentence, state_of) -> list[Candidate]:  # noqa: ANN001 - callable(code) -> id
    """Deployments read from the parse, for the phrasings the patterns above do not reach:
    "Germany will station a brigade in Lithuania", "Britain sent 1,000 troops to Estonia",
    "The United States has 28,500 troops stationed in South Korea", "54,000 US troops are based
    in Japan", "the US military will get access to four bases in the Philippines". What is sent
    must be forces (`kg/data/triggers.yaml` forces), or "send" would be a sale."""
    forces = triggers.words("forces")
    verbs = triggers.words("deploy_verbs") | {"arrive"}
    found = []
    for token in sent.tokens:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in verbs:
            # forces arrive where the verb's own "in"/"at" puts them, not "... as part of a deployment to
            # NATO's flank aimed at deterring Russia"
            where = _place_of(sent, token, direct=lemma == "arrive")
            item = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if item is None and token.dep_ in ("acl", "amod", "relcl") and token.head.pos_ in ("NOUN", "PROPN"):
                item = token.head  # "troops stationed in Japan"
            if item is None and lemma == "arrive" and (
                    re.search(r"\b(?:rotation|deployment|mission|posting)\b", sent.text) or
                    _vessel_in(sent, subject_of(token)) or _is_forces(subject_of(token))):
                # "2,000 US Marines arrived in Darwin for their annual rotation", "American soldiers began
                # arriving in Poland": forces that arrive somewhere are deployed there
                item = subject_of(token)
            if item is None and lemma in ("base", "station", "rotate", "deploy", "remain", "stay", "headquarter",
                                          "stream", "pour", "roll") and \
                    not any(c.dep_ == "dobj" for c in token.children):
                # "troops will be allowed to rotate through four bases", "the brigade will deploy to Poland"
                item = next((c for c in token.children if c.dep_ == "nsubj"), None) if token.dep_ == "ROOT" \
                    else subject_of(token)
        elif token.pos_ == "NOUN" and lemma in ("deployment", "redeployment", "rotation", "stationing", "dispatch"):
            # "the deployment of two squadrons to Japan"; "announced the deployment of troops to Romania"
            item = object_of(token, "of")
            where = _place_of(sent, token) or (_place_of(sent, token.head) if token.dep_ == "dobj" else None)
        elif token.pos_ in ("NOUN", "PROPN") and lemma in forces and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "ROOT",
                                                                                      "attr") \
                and (where := next((w for w in objects_of(token, "in") if side(sent, w, None, PLACES)), None) or
                     (next((w for w in objects_of(token.head, "in") if side(sent, w, None, PLACES)), None)
                      if token.dep_ == "nsubj" and token.head.lemma_ == "be" else None)) is not None \
                and any(c.dep_ in ("compound", "amod", "nmod") for c in token.children):
            # "US forces in South Korea number 28,500", "100,000 American troops are now in Europe":
            # a state's forces placed in another
            item = token
            token = next(c for c in token.children if c.dep_ in ("compound", "amod", "nmod"))
        elif token.pos_ == "NOUN" and lemma in triggers.words("base_noun") and \
                (where := next((w for node in ([token, token.head] if token.dep_ == "dobj" else [token])
                                for p in ("in", "at", "on") for w in objects_of(node, p)
                                if side(sent, w, None, PLACES)), None)) is not None:
            # "a permanent US Army garrison in Poland", "Russia's naval base in Tartus": one state's base in another
            item = token
        elif token.lemma_.lower() == "access" and token.dep_ == "dobj" and \
                token.head.lemma_.lower() in ("get", "gain", "obtain", "secure", "have", "receive", "grant", "give"):
            where, item = object_of(token, "in"), token
        else:
            continue
        if item is None or where is None:
            continue
        if item is not token and item.lemma_.lower() in triggers.words("count_noun"):  # "hundreds of British troops"
            item = object_of(item, "of") or item
        vessel = _vessel_in(sent, item)  # "sent the USS Ronald Reagan", "USS Carl Vinson arrived in Busan"
        if item is not token and not ({t.lemma_.lower() for t in item.subtree if t.i <= item.i} & forces) and \
                not (item.lower_.rstrip("s") in forces) and vessel is None:  # "US Marines", tagged a proper noun
            continue
        place = side(sent, where, None, PLACES)
        location = _host_state(sent, place, state_of)
        if lemma in triggers.words("base_noun") and token is item and location == place and \
                not any(m.entity_id == place and m.kind in ("Country", "Region") for m in sent.mentions):
            continue  # "Polish army base in Morag": a base in a town of no known state may be at home
        lo, hi = item.left_edge.idx, item.idx
        own = [m for m in sent.mentions if m.entity_id and lo <= m.start <= hi and m.kind in ("Country", "MilitaryUnit")]
        unit_of = object_of(item, "of") if item is not token and not own else None
        if unit_of is not None:  # "150 soldiers of the US 173rd Airborne Brigade": the unit's state
            lo_of, hi_of = unit_of.left_edge.idx, unit_of.idx
            own = [m for m in sent.mentions if m.entity_id and lo_of <= m.start <= hi_of and
                   m.kind in ("Country", "MilitaryUnit")]
        subject = subject_of(token.head if item is token else token) if item is not token else subject_of(token.head)
        if item is token and lemma in triggers.words("base_noun") and token.dep_ != "dobj":
            subject = None  # troops that "arrived at a base in Poland" do not make the base theirs; "Russia operates a base"
        deployer = side(sent, subject, state_of, ("Country", "MilitaryUnit", "GovernmentAgency", "Organization")) \
            if subject is not None \
            and subject.i != item.i else None
        code = ship_state(vessel.text) if vessel is not None else None
        if own:
            deployer = _state(own[0], state_of) or deployer  # "US troops", "American forces"
        elif code and state_of(code):  # a warship's prefix names its navy's state
            deployer = state_of(code)
        elif deployer is None and token.pos_ == "NOUN":  # "Washington's deployment of", "the Pentagon announced the deployment"
            deployer = side(sent, possessor_of(token) or subject_of(token), state_of,
                            ("Country", "MilitaryUnit", "GovernmentAgency"))
        elif deployer is None and token.dep_ in ("acl", "amod", "oprd", "ccomp", "xcomp") and \
                token.head.lemma_.lower() not in SPEAKERS_ONLY:  # "..., the navy said"
            holder = subject_of(token.head.head if token.head.dep_ == "dobj" else token.head)
            deployer = side(sent, holder, state_of, ("Country",))  # "The US has troops stationed in"
        if deployer is None and token.pos_ == "VERB":  # "troops would be deployed to Germany from the United States"
            deployer = side(sent, object_of(token, "from"), None, ("Country",))
        if deployer is None and subject is not None and subject.lower_ == "it":
            # "North Korea test-fired a missile, days after it sent thousands of troops to Russia": the state
            # the clause above names as its subject
            node = token
            for _ in range(4):
                if node.head.i == node.i:
                    break
                node = node.head
                above = next((c for c in node.children if c.dep_ == "nsubj" and c.lower_ != "it"), None)
                if node.pos_ in ("VERB", "AUX") and above is not None:
                    deployer = side(sent, above, state_of, ("Country",))
                    break
        listed = [*where.conjuncts, *(x for a in where.children if a.dep_ == "appos" for x in (a, *a.conjuncts))]
        # ("to Poland, the Baltic states and Romania": the model hangs the rest of the list on an apposition)
        places = [location] + [side(sent, c, None, ("Country",)) for c in listed]  # a list of states
        for location in [p for p in places if p]:  # "to Estonia, Latvia and Lithuania": one each
            if not deployer or deployer == location:
                continue
            roles: dict[str, object] = {"deployer": deployer, "location": location}
            if item is not token:
                words = [t for t in item.subtree if t.i <= item.i and t.dep_ not in ("det", "poss", "case", "nummod")
                         and not t.like_num and t.ent_type_ not in ("DATE", "TIME")  # "welcomed Saturday U.S. troops"
                         and t.lower_ not in ("about", "some", "around", "nearly", "more", "than", "up",
                                                                 "to", "at", "least", "most", "almost", "over",
                                                                 "roughly", "approximately", "as", "many")
                         and not any(m.start <= t.idx < m.end for m in own)]
                name = re.sub(r"^[-–\s]*(?:strong\s+)?", "", item.doc[words[0].i:item.i + 1].text) if words else ""
                unit = next((m for m in own if m.kind == "MilitaryUnit" and m.end >= item.idx), None)
                if not name and unit is not None:  # "the 82nd Airborne Division", "the US Navy's Seventh Fleet"
                    name = re.sub(r"^[Tt]he\s+", "", unit.text)
                if name:
                    roles["item"] = Text(name)
            found.append(Candidate("Deployment", roles, sent.start, sent.end, 0.6, "deployment-parse"))
    return found


def _host_state(sent: Sentence, place: str | None, state_of) -> str | None:  # noqa: ANN001
    """Forces are deployed to a state: "Marines arrived in Darwin" deploys them to Australia, the
    state the city lies in; "Misawa Air Base in Japan", "Camp Humphreys, South Korea" to the
    state named after the base. Regions ("the Indo-Pacific", "Europe") and bare bases stay as
    named."""
    mention = next((m for m in sent.mentions if m.entity_id == place), None)
    if place is not None and mention is not None and mention.kind == "Place":
        after = sent.text[mention.end - sent.start:]
        state = next((m for m in sent.mentions if m.kind == "Country" and m.entity_id and
                      re.match(r"(?:,| in)\s+(?:the\s+)?$", sent.text[mention.end - sent.start:m.start - sent.start])),
                     None)
        if after and state is not None:
            return state.entity_id
    if place is None or mention is None or mention.kind not in ("City", "Region"):
        return place
    city = gazetteer().city(mention.text) if mention.kind == "City" else None
    code = city.country_code if city is not None else gazetteer().province(re.sub(r"^the\s+", "", mention.text))
    return (state_of(code) or place) if code else place  # "the Northern Territory": Australia




COUNTED_FORCES = re.compile(rf"\b\d[\d,]*\s+(?P<who>U\.S\.|U\.K\.|US|UK|[A-Z][a-z]+)\s+{FORCES}\b")
"""A count of one state's forces: "2,500 US Marines", "1,000 British soldiers"."""



def counted_deployments(sent: Sentence, country_of) -> list[Candidate]:  # noqa: ANN001 - callable(text) -> id
    """A count of one state's forces in a sentence about a rotation or deployment, with a place
    of another state: "The Marine Rotational Force in Darwin started with fewer than 200 US
    Marines" deploys the United States to Australia. Asked only when no other reading of the
    sentence found a deployment: the weakest of them, kept to counted forces."""
    if not sent.lowers & triggers.words("rotation"):
        return []
    flat = ABBREVIATED_STATE.sub(lambda m: m.group(0).replace(".", ""), sent.text)
    for match in COUNTED_FORCES.finditer(flat):
        deployer = country_of({"US": "U.S.", "UK": "U.K."}.get(match.group("who"), match.group("who")))
        if deployer is None:
            continue
        for mention in sent.of_kind("Country", "City", "Place"):
            if not re.search(r"(?:\b(?:in|to|at|through|on|into)\s+(?:the\s+)?|\w\s+[–—-]\s*)$",
                             sent.text[:mention.start - sent.start]):  # "in Darwin", "Rotational Force – Darwin"
                continue  # where the forces are, not a state the sentence names otherwise ("worried India")
            location = _host_state(sent, mention.entity_id, lambda code: country_of(state.name) if (
                state := gazetteer().country_by_code(code)) else None)
            if location and location != deployer and (mention.kind != "Place" or location != mention.entity_id):
                roles = {"deployer": deployer, "location": location, "item": Text(match.group(0).split()[-1])}
                return [Candidate("Deployment", roles, sent.start, sent.end, 0.5, "deployment-count")]
    return []


BORDER_WORDS = {"border", "borders", "frontier", "frontiers", "boundary"}


def _place_of(sent: Sentence, token, direct: bool = False):  # noqa: ANN001, ANN202 - spaCy tokens
    """Where forces go: the first object of to/in/through/at under the trigger that names a
    place; "deploy a THAAD battery in South Korea in 2016" attaches "in South Korea" to the
    battery and "in 2016" to the verb, so a date must not win. `direct`: only the trigger's own
    prepositions."""
    for preposition in ("to", "in", "through", "at", "into", "on"):  # "based on Guam"
        found = [o for c in token.children if c.dep_ == "prep" and c.lower_ == preposition
                 for o in c.children if o.dep_ == "pobj"] if direct else objects_of(token, preposition)
        for where in found:
            if where.lemma_.lower() in BORDER_WORDS:
                return None  # "to its border with Ukraine": the state named is across the border, not where they go
            if side(sent, where, None, PLACES):
                return where
    if direct:
        return None
    for mission in objects_of(token, "to"):  # "contributes 1,000 troops to the UN mission in Lebanon"
        for where in objects_of(mission, "in"):
            if side(sent, where, None, PLACES):
                return where
    return None


def _is_forces(node) -> bool:  # noqa: ANN001 - a spaCy token or None
    """Whether a noun phrase's head names forces ("soldiers", "the first 150 of the Marines",
    "service members"), not a delegation or officials that a "military" merely describes."""
    if node is None:
        return False
    if node.lemma_.lower() in triggers.words("count_noun") or node.like_num:
        node = object_of(node, "of") or node
    forces = triggers.words("forces") - {"military", "service", "system", "equipment", "missile"}
    head = node.lemma_.lower()
    return head in forces or (head in ("member", "personnel") and
                              any(c.dep_ == "compound" and c.lower_ == "service" for c in node.children))


def _vessel_in(sent: Sentence, node):  # noqa: ANN001, ANN202 - a spaCy token; a Mention or None
    """The warship a phrase names ("the aircraft carrier USS Carl Vinson"), if it names one."""
    if node is None:
        return None
    lo, hi = node.left_edge.idx, node.right_edge.idx + len(node.right_edge)
    return next((m for m in sent.mentions if m.kind == "Vessel" and lo <= m.start < hi), None)


def _state(mention, state_of) -> str | None:  # noqa: ANN001
    if mention.kind == "Country":
        return mention.entity_id
    code = gazetteer().country_acting_for(mention.text)
    return state_of(code) if code else None
