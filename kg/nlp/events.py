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
from .relations import Candidate, Sentence, _dates
from .syntax import object_of, possessor_of, side, subject_of

PLACES = ("Country", "City", "Place", "Region", "GovernmentAgency")
VISITORS = ("Person", "Vessel", "MilitaryUnit")


def visits(sent: Sentence, article_date, recent_people: list[str]) -> list[Candidate]:  # noqa: ANN001
    words = triggers.words("visit")
    found: list[Candidate] = []
    for token in sent.span:
        if token.lower_ not in words:
            continue
        visitor = place = host_id = None
        if token.pos_ == "VERB":
            visitor = side(sent, subject_of(token), None, VISITORS)
            target = object_of(token, "to") or object_of(token, "in") or \
                next((c for c in token.children if c.dep_ == "dobj"), None)
            place = side(sent, target, None, PLACES)
        elif token.pos_ == "NOUN":
            visitor = side(sent, possessor_of(token), None, VISITORS)
            if visitor is None:  # "X arrived ... for a state visit to Russia": the subject of the clause
                visitor = side(sent, subject_of(token), None, VISITORS)
            if visitor is None and re.search(r"\b(?:his|her)\b", sent.text[:token.idx - sent.start]) and recent_people:
                visitor = recent_people[-1]
            place = side(sent, object_of(token, "to"), None, PLACES) or \
                side(sent, object_of(token.head, "in") if token.head is not token else None, None, PLACES)
            verb = token.head.head if token.head.pos_ == "ADP" else token.head
            if place is None and verb.pos_ == "VERB":  # "Austin has reached New Delhi on a two-day visit"
                place = side(sent, next((c for c in verb.children if c.dep_ == "dobj"), None), None, PLACES) or \
                    side(sent, object_of(verb, "in") or object_of(verb, "to"), None, PLACES)
        if token.lower_ in ("welcomed", "received", "hosted", "welcomes", "hosts") and token.pos_ == "VERB":
            guest = next((c for c in token.children if c.dep_ == "dobj"), None)
            host_id = side(sent, subject_of(token), None, ("Person", "Country"))
            visitor = side(sent, guest, None, VISITORS)  # a guest, not "welcomed a delivery"
            place = side(sent, object_of(token, "to") or object_of(token, "at"), None, PLACES) or place
        if not visitor or not place or visitor == place:
            continue
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
        date = _dates(sent, article_date)
        if date is not None:
            roles["date"] = date
        purpose = re.search(r"\b(?:for|on) an? ((?:two-day |three-day |\w+-day )?(?:state|official|working) visit)\b",
                            sent.text)
        if purpose:
            roles["purpose"] = Text(purpose.group(1))
        found.append(Candidate("Visit", roles, sent.start, sent.end, 0.65, f"visit-{token.lower_}"))
        break
    return found


EXERCISE = re.compile(r"(?:[“\"‘']?)((?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+)(?:[”\"’']?)(?: \d{2,4})?,?\s+(?:the\s+)?"
                      r"(?:(?:joint|combined|military|annual|bilateral|trilateral|multinational|large-scale|"
                      r"field|naval|air|live-fire)\s+){0,3}(?:exercises?|drills?|wargames?|war games)\b")
EXERCISE_AFTER = re.compile(r"\b(?:exercises?|drills?),?\s+(?:called|dubbed|named|code-named)?\s*[“\"]"
                            r"((?:[A-Z][\w-]+ ){0,3}[A-Z][\w-]+)[”\"]")


def exercises(sent: Sentence, state_name) -> list[Candidate]:  # noqa: ANN001 - callable(text) -> bool
    found = []
    names = [m.group(1) for m in EXERCISE.finditer(sent.text)] + [m.group(1) for m in EXERCISE_AFTER.finditer(sent.text)]
    for name in dict.fromkeys(names):
        name = re.sub(r"^(?:The|A|An|This|That|Its|Their|Our|Annual|Combined|Joint|Around|About|Some|Several|"
                      r"Many|Both|Two|Three|Four|Five|Other|Such|These|Those)\s+", "", name)
        if not name or name in ("The", "A", "An", "This", "That", "Around", "About", "Some", "Several", "These") or \
                state_name(name) or name.split()[-1] in ("Korean", "American") or \
                (" " not in name and _common(name)) or \
                name.lower() in ("military", "joint", "combined", "major", "annual"):
            continue  # "U.S.-South Korean exercises" are the states' exercises, not a name
        if any(state_name(part) for part in re.split(r"[-–]", name)) and "-" in name:
            continue
        roles: dict[str, object] = {"name": Text(name)}
        states = sent.ids("Country")
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


def _common(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 4.0


FORCES = r"(?:forces|troops|marines|soldiers|personnel|aircraft|bombers?|fighters?|submarines?|ships|warships|" \
         r"capabilities|military|navy|army|air force)"


def deployments(sent: Sentence, country_of) -> list[Candidate]:  # noqa: ANN001
    """'rotational presence of US forces in Australia', 'access to four military bases' in a
    state, 'troops stationed in Japan', 'deploy fighters to Australia'."""
    text = sent.text
    lowers = {t.lower_ for t in sent.span}
    if not lowers & triggers.words("deploy") and "presence" not in lowers:
        return []
    found = []
    patterns = [
        rf"\b(?:presence|rotations?|deployments?|stationing|rotational deployment) of (?:\w+ ){{0,3}}?(?P<who>[A-Z][\w.]*)\s+(?:\w+ ){{0,2}}?{FORCES}\b[^.;]*?\b(?:in|to) (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        rf"\b(?P<who>[A-Z][\w.]*)\s+(?:\w+ ){{0,2}}?{FORCES} (?:\w+ )?(?:stationed|deployed|based|rotating) (?:in|to) (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?:granted|gave|give|gives|grants) (?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?) access to (?:\w+ ){0,3}?(?:military )?(?:bases|sites|facilities|ports|airfields)(?: in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?))?",
        rf"\b(?P<who>[A-Z][\w.]*)\s+(?:will |would )?(?:deploy|deploys|deployed|station|stations|stationed|rotate|rotates|send|sends|sent) (?:[\w-]+ ){{0,4}}?{FORCES}?\s*(?:to|in) (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)(?:[’']s)?\s+(?:military(?:[’']s)?\s+)?(?:rotational\s+)?presence in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)\s+(?:\w+\s+){0,3}?(?:its|their)\s+(?:\w+\s+)?presence in (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
        r"\b(?P<who>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)\s+(?:will\s+)?(?:gains?|gained|obtains?|obtained|secures?|secured|has|have)\s+access to\b[^.;]{0,80}?\bin (?P<where>(?:the )?[A-Z][\w.]*(?: [A-Z][\w]+)?)",
    ]
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            deployer = country_of(match.group("who"))
            where_text = match.groupdict().get("where")
            location = None
            if where_text:
                location = country_of(where_text) or next(
                    (m.entity_id for m in sent.of_kind("Country", "City", "Region", "Place")
                     if m.start - sent.start >= match.start("where")), None)
            else:  # "gave the US access to bases": the granting state is the host
                location = next((m.entity_id for m in sent.of_kind("Country")
                                 if m.start - sent.start < match.start() and m.entity_id != deployer), None)
            if deployer and location and deployer != location:
                roles: dict[str, object] = {"deployer": deployer, "location": location}
                item = re.search(FORCES, match.group(0))
                if item:
                    roles["item"] = Text(item.group(0))
                found.append(Candidate("Deployment", roles, sent.start, sent.end, 0.6, "deployment-phrase"))
    unique = {}
    for c in found:
        unique.setdefault((c.roles["deployer"], c.roles["location"]), c)
    return list(unique.values())


def meeting_context(sent: Sentence, recent_people: list[str]) -> list[str]:
    """'The two men met', 'the leaders held talks', 'they met': the people meant."""
    if re.search(r"\b(?:the two|both) (?:men|leaders|ministers|officials|sides|presidents|secretaries|heads of state)\b|"
                 r"^\W*(?:They|The leaders|The ministers)\b", sent.text):
        return list(dict.fromkeys(reversed(recent_people)))[:2]
    return []


def meeting_host(sent: Sentence) -> str | None:
    """'Biden hosted ...', 'hosted by Albanese', 'at the invitation of Putin'."""
    by = re.search(r"\b(?:hosted by|at the invitation of)\s+(?:\w+ ){0,4}?", sent.text)
    if by:
        return next((m.entity_id for m in sent.of_kind("Person", "Country") if m.start - sent.start >= by.end()), None)
    for token in sent.span:
        if token.lemma_.lower() == "host" and token.pos_ == "VERB":
            return side(sent, subject_of(token), None, ("Person", "Country"))
    return None
