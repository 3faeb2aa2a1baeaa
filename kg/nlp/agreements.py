"""Named agreements, alliances and partnerships, and memberships, as news names them.

- Named agreements: a title-case name ending in (or led by) an agreement word of
  `kg/data/triggers.yaml` ("the Enhanced Defense Cooperation Agreement", "the Camp David
  Principles", "a Joint Statement of ... on Deepening the Comprehensive Strategic Partnership",
  "the Roadmap for U.S.-India Defense Industrial Cooperation"); the head word decides Treaty or
  Declaration. Parties are the states the sentence names, else those of the sentences just
  before: a joint statement is introduced before it is named.
- Alliances and partnerships: "the Japan-U.S. alliance", "the Japan-U.S. and South Korea-U.S.
  strategic alliances", "China-Russia comprehensive strategic partnership", "X and Y ... their
  alliance", "treaty ally".
- Memberships: "NATO member Poland", "NATO ally Poland", "Finland became the 31st member of
  the North Atlantic Alliance", "Finland's accession to NATO", "joined NATO".
"""

from __future__ import annotations

import re

from .. import normalize
from ..types import Text, YearValue
from . import triggers
from .gazetteer import gazetteer
from .relations import ORGS, _dates, listed_together
from .sentence import Candidate, Sentence

SMALL = r"(?:of|on|the|and|for|in|to|between|with|de|du)"
TITLE_WORD = r"(?:[A-Z][\w’'.-]*|U\.S\.(?:-[A-Z][\w.]*)?)"
LEADS = {"the", "a", "an", "this", "that", "under", "in", "its", "their", "our", "new", "newly", "landmark",
         "historic", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
NAME_RUN = re.compile(rf"{TITLE_WORD}(?:\s+(?:{SMALL}\s+)*{TITLE_WORD})*")


TREATY_DATES = (("in_force", re.compile(r"\b(?:entered|enters|entering|came|comes|went|goes) into (?:force|effect) "
                                        r"(?:in|on) ((?:\w+ )?(?:\d{1,2},? )?\d{4}|\w+ \d{1,2}(?:, \d{4})?)")),
                ("ratified", re.compile(r"\bratified\b[^.;]{0,40}?\b(?:in|on) ((?:\w+ )?(?:\d{1,2},? )?\d{4})")))


def _treaty_dates(text: str, article_date) -> dict[str, object]:  # noqa: ANN001
    """"entered into force in 1954", "ratified ... on 4 April 2023": the dates a text gives."""
    from .. import normalize

    found: dict[str, object] = {}
    for role, pattern in TREATY_DATES:
        match = pattern.search(text)
        if match:
            try:
                value = normalize.resolve_date(match.group(1), article_date)
            except ValueError:
                continue
            if value.value is not None:
                found[role] = value
    return found


ORGANISATION_WORDS = {"Organization", "Organisation", "Alliance", "Secretariat", "Council", "Commission"}


DATE_WORDS = frozenset({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
                        "February", "March", "April", "May", "June", "July", "August", "September", "October",
                        "November", "December"})
"""Words after "on" that date a signing rather than continue an agreement's name."""


SIGNED = re.compile(r"\b(?:signed|inked|concluded|exchanged|issued|adopted|sealed)\b")
"""The verbs of signing that date an agreement by the day the sentence gives."""


def named_agreements(sent: Sentence, recent_states: list[str], article_date,  # noqa: ANN001
                     faced: set[str] = frozenset()) -> list[Candidate]:
    """Agreements, treaties and declarations the sentence names. `recent_states`: the states the
    story named before it; `faced`: those it named as a threat, which are no one's partner."""
    heads = triggers.mapping("agreement_heads")
    found = []
    for match in NAME_RUN.finditer(sent.text):
        words = match.group(0).split()
        at = next((i for i, w in enumerate(words) if w.strip("’'.,;:") in heads), None)
        if at is None:
            continue
        head = words[at].strip(".,;:")  # "... the Pukpuk Treaty." at a sentence's end
        if at + 1 < len(words) and words[at + 1].strip(".,") in ORGANISATION_WORDS:
            continue  # "North Atlantic Treaty Organization": a body, not the treaty
        # A name ends at its head word ("... Cooperation Agreement") unless the head leads it
        # ("Joint Statement of ...", "Roadmap for ...", "Treaty of ..."); at most five words before it.
        leads = at + 1 < len(words) and words[at + 1] in ("of", "on", "for") and not (
            at + 2 < len(words) and words[at + 2].strip(".,;:") in DATE_WORDS)  # "signed an Agreement on Monday"
        kept = words[max(0, at - 5):] if leads else words[max(0, at - 5):at + 1]
        while kept and (kept[0].lower() in LEADS or re.search(r"[’']s$", kept[0])):
            kept = kept[1:]
        name = " ".join(kept).strip(" .,")
        name = re.sub(r"[’']s$", "", name)
        if name in heads or len(name.split()) < 2:
            continue  # "Treaty", "Statement": a word, not a name
        relation = heads[head.strip("’'")]
        lo = sent.start + match.start() + match.group(0).find(name)
        named_in = {m.entity_id for m in sent.of_kind("Country") if lo <= m.start < lo + len(name) and
                    re.search(r"\b(?:for|to|with)\s+(?:the\s+)?$", sent.body[lo:m.start])} | \
            {p for p in recent_states if re.search(rf"\b(?:for|to|with) (?:the )?{re.escape(p.replace('-', ' '))}\b",
                                                   name.lower())}
        # "the Joint Declaration of Support for Ukraine": the state the name is for is not a party to it
        parties = [p for p in sent.ids("Country") if p not in named_in] or \
            [p for p in recent_states[-3:] if p not in named_in] or \
            [m.entity_id for m in sent.of_kind("Organization") if m.entity_id not in named_in][:1]
        if not parties:
            continue
        if len(set(parties)) == 1 and relation == "Treaty":
            # "NATO Allies signed Finland's Accession Protocol", "his German counterpart ... put pen to paper
            # on the Trinity House Agreement" after "Britain signed a pact with Germany": the other side is
            # the body the sentence names, else the state the story named last besides this one (and
            # besides a state it named as a threat: "... closer cooperation in the face of Russia's threat")
            bodies = [m.entity_id for m in sent.of_kind("Organization") if m.entity_id not in named_in
                      and not gazetteer().is_media(m.text) and "news agency" not in sent.body[m.end:m.end + 14]]
            # (a news agency that reports the signing is no party: "according to Russia's RIA Novosti news agency")
            adversaries = threats_named(sent)
            others = bodies[:1] or [p for p in reversed(recent_states) if p not in parties and p not in named_in
                                    and p not in adversaries and p not in faced][:1]
            parties = parties + others
        roles: dict[str, object] = {"name": Text(name), "parties": tuple(sorted(set(parties)))}
        year = re.search(r"\b(?:signed|concluded|agreed|reached)\b[^.]*?\bin (\d{4})\b|\b(?:the|a|an|its|their) (\d{4}) "
                         + re.escape(name.split()[0]), sent.text)
        if year and relation == "Treaty":
            value = year.group(1) or year.group(2)
            roles["year"] = YearValue(int(value), value)
        if relation == "Treaty":
            roles.update(_treaty_dates(sent.text, article_date))
        signed = SIGNED.search(sent.text)
        if signed and "year" not in roles and not re.search(r"\b(?:will|would|to|plan|plans|expected)\s+(?:\w+\s+)?$",
                                                          sent.text[:signed.start()]):
            when = _dates(sent, article_date, events_only=True, near=signed.start())
            if when is not None:
                roles["date"] = when  # "India and the United States on Friday signed a ... Agreement"
        found.append(Candidate(relation, roles, sent.start, sent.end, 0.75 if sent.ids("Country") else 0.6,
                               "named-agreement"))
    for match in re.finditer(r"\bthe ((?:mutual|collective|common) (?:defen[cs]e|security) treaty)\b", sent.text):
        parties = sent.ids("Country") or recent_states[-2:]
        if parties:
            found.append(Candidate("Treaty", {"name": Text(match.group(1).title()),
                                              "parties": tuple(sorted(set(parties)))},
                                   sent.start, sent.end, 0.6, "named-agreement-lower"))
    for match in LOWER_WITH_ACRONYM.finditer(sent.text):
        words = match.group(1).split()
        if "".join(w[0] for w in words).upper() != match.group(2).upper():
            continue  # the letters in brackets must be the name's initials: then it is a name
        parties = sent.ids("Country") or recent_states[-2:]
        if len(set(parties)) >= 2 and not any(c.roles["name"].value.lower() == match.group(1).lower() for c in found):
            found.append(Candidate("Treaty", {"name": Text(match.group(1).title()),
                                              "parties": tuple(sorted(set(parties)))},
                                   sent.start, sent.end, 0.6, "named-agreement-lower"))
    return found


UNNAMED_AGREEMENT = re.compile(
    r"\b(?:signed|inked|concluded|issued|released|adopted|sealed)\s+(?:a|an|the|their)\s+(?:(?:new|bilateral|"
    r"historic|landmark|\d+-year|long-term|trilateral)\s+)*(?P<kind>(?:comprehensive\s+)?(?:security|defen[cs]e|mutual defen[cs]e|"
    r"strategic partnership|reciprocal access|status of forces|basing|cooperation) (?:agreement|accord|pact|treaty))\b")
"""An agreement a sentence names only by its kind: "Ukraine and Germany signed a bilateral security
agreement". (A joint statement with no name of its own is how talks end, not a document an
analyst tracks: the curated facts record declarations by name only.)"""


def unnamed_agreements(sent: Sentence, article_date, acting_for: dict | None = None) -> list[Candidate]:  # noqa: ANN001
    """An agreement named by its kind, and its parties: the states listed as the subject of the
    signing verb ("Ukraine and Germany signed ..."), or the states of the leaders listed so
    ("Macron and Zelensky signed a security agreement"); two or more, or none."""
    match = UNNAMED_AGREEMENT.search(sent.text)
    if match is None or re.search(r"\b(?:will|would|plan|plans|planned|expected|to)\s+(?:\w+\s+)?$",
                                  sent.text[:match.start()]):
        return []
    parties = _founding_states(sent, match.end())
    people = [m for m in sent.of_kind("Person") if m.end - sent.start <= match.start()]
    if not parties and acting_for and listed_together(sent.body, people) and \
            all(m.entity_id in acting_for for m in people):
        parties = [acting_for[m.entity_id] for m in people]
    if len(set(parties)) < 2:
        return []
    kind = match.group("kind").lower()
    roles: dict[str, object] = {"name": Text(kind), "parties": tuple(sorted(set(parties)))}
    when = _dates(sent, article_date, events_only=True, near=match.start())
    if when is not None:
        roles["date"] = when
    return [Candidate("Treaty", roles, sent.start, sent.end, 0.6, "unnamed-agreement")]


LOWER_WITH_ACRONYM = re.compile(r"\b[Tt]he ((?:[a-z]+ ){1,4}(?:agreement|treaty|accord|pact|arrangement)) "
                                r"\(([A-Z]{2,6})\)")
"""A name written in lower case but given its initials: "the reciprocal access agreement (RAA)"."""


COMPOUND = re.compile(r"((?:[A-Z][\w.]*)(?: [A-Z][\w]+)?)[-–]((?:[A-Z][\w.]*)(?: [A-Z][\w]+)?)")


SIGNED_BY_TWO = re.compile(r"(?:^|[,;]\s+|\bthat\s+)(?P<a>(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w-]*){0,2})\s+and\s+"
                           r"(?P<b>(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w-]*){0,2})\s+(?:\w+\s+){0,2}?(?:signed|agreed|"
                           r"upgraded|elevated|established|launched|forged|sealed|concluded)\b[^.;]*$")
"""Two states, the subject of a signing verb, before the name of the partnership they signed."""


FOUNDED_WORDS = {"alliance", "partnership", "pact", "coalition"}
"""Words of a partnership a list of states can found; "ties" and "relationship" they only mend."""
FOUNDING_VERB = re.compile(r"\s+(?:\w+\s+){0,2}?(?:signed|agreed|upgraded|elevated|established|launched|forged|sealed|"
                           r"concluded|announced|unveiled|formed|declared|founded|created|issued|inked|adopted)\b[^.;]*$")
"""What the states listed as a subject do to a partnership they make ("... announced the AUKUS
security partnership"), up to the partnership's word."""


def _founding_states(sent: Sentence, at: int) -> list[str]:
    """The states listed as the subject of a founding verb before char `at` of the sentence:
    "Australia, the UK and the US announced the AUKUS security partnership", "China and Russia
    declared a 'no limits' partnership"; all of the list, or none."""
    listed: list[str] = []
    prev = None
    for m in sent.of_kind("Country"):
        if m.start - sent.start >= at:
            break
        gap = sent.body[prev.end:m.start] if prev is not None else ""
        if prev is not None and not re.fullmatch(r"(?:,\s*|\s+)(?:and\s+)?(?:the\s+)?", gap):
            listed = []
        listed.append(m.entity_id)
        prev = m
    if prev is None or len(set(listed)) < 2:
        return []
    if not FOUNDING_VERB.match(sent.body[prev.end:sent.start + at]):
        return []
    first = next(m for m in sent.of_kind("Country") if m.entity_id == listed[0])
    if re.search(r"\b(?:between|with|of|among|in|at|to|from|for|by)\s+(?:the\s+)?$",
                 sent.body[max(sent.start, first.start - 12):first.start]):
        return []  # "talks between X and Y launched ...", "in Japan, Australia and India signed": no subject list
    return listed


def _founding_leaders(sent: Sentence, at: int, acting_for: dict[str, str]) -> list[str]:
    """The states of the leaders listed as the subject of a founding verb before char `at`:
    "French president Emmanuel Macron and Greek prime minister Kyriakos Mitsotakis announced a
    defence and security strategic partnership" is France's and Greece's."""
    people = [m for m in sent.of_kind("Person") if m.start - sent.start < at]
    if len(people) < 2 or not all(re.fullmatch(r"(?:,\s*|\s+)(?:and\s+)?(?:[\w.’'-]+\s+){0,4}?", sent.body[a.end:b.start])
                                  for a, b in zip(people, people[1:])):
        return []
    if not FOUNDING_VERB.match(sent.body[people[-1].end:sent.start + at]):
        return []
    states = [acting_for.get(m.entity_id) for m in people]
    return list(dict.fromkeys(states)) if all(states) and len(set(states)) >= 2 else []


ADVERSARY_BEFORE = re.compile(r"(?:in the face of|against|threats? (?:from|of|posed by)|amid|deter(?:ring|rence of)?|"
                              r"counter(?:ing)?|confront(?:ing)?|tensions? with)\s+(?:the\s+)?$")
ADVERSARY_AFTER = re.compile(r"[’']s\s+(?:\w+\s+)?(?:threats?|aggression|invasion|war|attacks?|provocations?|"
                             r"expansionism|coercion)\b")


def threats_named(sent: Sentence) -> set[str]:
    """The states a sentence names as what a partnership faces ("in the face of Russia's
    threat", "to deter China"), which are no party to it."""
    return {m.entity_id for m in sent.of_kind("Country")
            if ADVERSARY_BEFORE.search(sent.body[max(sent.start, m.start - 40):m.start]) or
            ADVERSARY_AFTER.match(sent.body[m.end:m.end + 40])}


def partnerships(sent: Sentence, country_of, recent_states: list[str] = (),  # noqa: ANN001
                 acting_for: dict[str, str] | None = None) -> list[Candidate]:
    """Alliances and partnerships between states the sentence names as such, or between "the
    two countries" / "both sides" the article has just named."""
    text = sent.text
    words = triggers.words("partnership")
    kinds = triggers.phrases("partnership_kinds")
    found: list[Candidate] = []
    for match in re.finditer(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b", text, re.IGNORECASE):
        # the noun phrase before the alliance word: "the Japan-U.S. and South Korea-U.S. strategic"
        lead = text[max(0, match.start() - 90):match.start()]
        lead = re.split(r"[;:“”\"(]|\b(?:that|which|who|to|with|said|says|against|by)\b", lead)[-1]
        kind = next((k for k in kinds if text[max(0, match.start() - len(k) - 1):match.end()].lower().endswith(k)),
                    None)
        # "the US-India Major Defense Partnership": a state's name may have taken the next word along
        pairs = [(country_of(a) or country_of(a.split()[-1]), country_of(b) or country_of(b.split()[0]))
                 for a, b in COMPOUND.findall(lead)]
        pairs = [tuple(sorted(p)) for p in pairs if p[0] and p[1] and p[0] != p[1]]
        founders = _founding_states(sent, match.start()) if match.group(1).lower() in FOUNDED_WORDS else []
        if not pairs and kind is None and match.group(1).lower() not in ("alliance", "alliances") and not founders:
            continue
        called = re.match(r"[\s“\"]*(?:(?:last|this|next) (?:year|month|week) |in \d{4} )?(?:called|dubbed|named|known as)"
                          r"\s+[“\"]?(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){0,3})?", text[match.end():])
        if not pairs and called:
            states = _founding_states(sent, match.start()) or sent.ids("Country")
            # ("Paris ... after the United States, Britain and Australia created an alliance called AUKUS")
            if len(states) >= 2:
                pairs = [tuple(sorted(set(states)))]
        if not pairs and re.search(r"\b(?:[Tt]he two|[Bb]oth|[Tt]heir|[Tt]heir two) (?:countries|nations|sides|allies|governments|"
                                   r"leaders|heads of state|presidents)\b|"
                                   r"\bbilateral\b", text) and (kind or "alliance" in match.group(1).lower()):
            adversaries = threats_named(sent)  # "... agreed closer cooperation in the face of Russia's threat"
            states = [p for p in dict.fromkeys(reversed(recent_states)) if p not in adversaries][:2]
            if len(states) == 2:
                pairs = [tuple(sorted(states))]
        if not pairs:
            between = re.match(r"[\s“”\"]+(?:between|of|among)\s+(.{0,120})", text[match.end():])
            mentioned = [m for m in sent.of_kind("Country") if between and
                         sent.start + match.end() <= m.start <= sent.start + match.end() + len(between.group(0))]
            # "the alliances between the United States and Japan, and the United States and South Korea": one each
            groups: list[list[str]] = [[]]
            prev_end = 0
            for m in mentioned:
                if groups[-1] and re.search(r",\s+and\s+", sent.text[prev_end - sent.start:m.start - sent.start]):
                    groups.append([])
                groups[-1].append(m.entity_id)
                prev_end = m.end
            if match.group(1).lower().endswith("s") and len(groups) > 1 and all(len(set(g)) == 2 for g in groups):
                pairs = [tuple(sorted(set(g))) for g in groups]
            elif len({m.entity_id for m in mentioned}) >= 2:
                pairs = [tuple(sorted({m.entity_id for m in mentioned}))]
        if not pairs and kind is not None:
            # "Russia and Iran signed a treaty on comprehensive strategic partnership": the two who sign, agree
            # on or upgrade to it
            signers = SIGNED_BY_TWO.search(text[:match.start()])
            if signers:
                lo, hi = sent.start + signers.start(), sent.start + signers.end("b")
                two = [m.entity_id for m in sent.of_kind("Country") if lo <= m.start < hi]
                if len(set(two)) == 2:
                    pairs = [tuple(sorted(set(two)))]
        if not pairs and founders:
            pairs = [tuple(sorted(set(founders)))]  # "Australia, the UK and the US announced the AUKUS partnership"
        if not pairs and kind is not None and acting_for and \
                not re.match(r"[\s”\"]*(?:[Tt]reaty|[Aa]greement|[Aa]ccord)\b", text[match.end():]):
            # (a "strategic partnership treaty" the leaders sign is a treaty, told as one)
            leaders = _founding_leaders(sent, match.start(), acting_for)
            pairs = [tuple(sorted(leaders))] if leaders else []
        if not pairs and kind is not None and kind.startswith("trilateral") and len(set(sent.ids("Country"))) == 3:
            pairs = [tuple(sorted(set(sent.ids("Country"))))]  # "Japan, Korea and the US ... our trilateral partnership"
        for members in dict.fromkeys(pairs):
            roles: dict[str, object] = {"members": members}
            if called and called.group("name"):
                roles["name"] = Text(called.group("name"))  # "a new strategic alliance last year called AUKUS"
            elif kind:
                roles["name"] = Text(kind)
            since = re.search(r"\b(?:forged|formed|founded|established|signed)\b[^.]*?\bin (\d{4})\b", text)
            if since:
                roles["since"] = YearValue(int(since.group(1)), since.group(1))
            found.append(Candidate("Alliance", roles, sent.start, sent.end, 0.7, "alliance-compound"))
    designated = MAJOR_NON_NATO_ALLY.search(text)
    if designated and not found:
        # a status the United States grants by law (22 U.S.C. 2321k): an alliance of the one
        # state the sentence names with the United States
        us = country_of("United States")
        others = list(dict.fromkeys(i for i in sent.ids("Country") if i != us))
        if len(others) == 1 and us:
            found.append(Candidate("Alliance", {"members": tuple(sorted((us, others[0]))),
                                                "name": Text("major non-NATO ally")},
                                   sent.start, sent.end, 0.7, "major-non-nato-ally"))
    if not found and "treaty all" in text:
        found += [Candidate("Alliance", {"members": pair}, sent.start, sent.end, 0.6, "treaty-ally")
                  for pair in _treaty_allies(sent)]
    return found


TREATY_ALLY = re.compile(r"\b(?P<lead>(?:are|were|have been|had been|remain|remained|became|become|is|was|as)\s+"
                         r"(?:both\s+|all\s+)?(?:an?\s+)?|,\s+(?:an?|its|their|our)\s+)?(?:[\w-]+\s+){0,2}?"
                         r"treaty all(?:y|ies)(?P<of>\s+of\s+(?:the\s+)?)?")
"""'X and Y are treaty allies', 'X, a treaty ally of Z', 'X and Y are both long time treaty allies
of Z', 'Z's treaty ally X': who is allied with whom the phrase itself says."""


def _treaty_allies(sent: Sentence) -> list[tuple[str, ...]]:
    """The pairs a "treaty ally" phrase makes allies; none where it names no one ("the US
    strengthened ties with its treaty allies in Southeast Asia to counter China")."""
    text, base = sent.text, sent.start
    states = sent.of_kind("Country")
    pairs: list[tuple[str, ...]] = []
    for match in TREATY_ALLY.finditer(text):
        at, end = base + match.start(), base + match.end()
        before = [m for m in states if m.end <= at]
        listed: list = []
        for m in reversed(before):  # the list of states that ends right before the phrase
            gap = sent.body[m.end:listed[0].start if listed else at]
            if not re.fullmatch(r"(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s+)(?:the\s+)?", gap or " "):
                break
            listed.insert(0, m)
        word = base + text.index("treaty", match.start())
        owner = next((m for m in states if m.end < word and
                      re.fullmatch(r"[’']s\s+(?:[\w-]+\s+){0,2}", sent.body[m.end:word])), None)
        if owner is not None and not match.group("of"):
            after = [m for m in states if end <= m.start and _only_states(sent.body, end, m.start, states)]
            # "Japan's treaty ally the US"; "Manila is Washington's oldest treaty ally"
            subject = [m for m in states if m.end <= owner.start and
                       re.fullmatch(r"\s+(?:is|was|remains|remained|has been|had been|became)\s+(?:the\s+)?",
                                    sent.body[m.end:owner.start])]
            pairs += [tuple(sorted((owner.entity_id, m.entity_id))) for m in after[:1] or subject[-1:]
                      if m.entity_id != owner.entity_id]
            continue
        if not match.group("lead") and not match.group("of"):
            continue
        if match.group("of"):
            other = next((m for m in states if m.start <= end <= m.start + 4), None)  # "of the United States"
            if other is not None:
                pairs += [tuple(sorted((m.entity_id, other.entity_id))) for m in listed if m.entity_id != other.entity_id]
        elif match.group("lead").strip().startswith(("are", "were", "have", "had", "remain", "became", "become")) and \
                len({m.entity_id for m in listed}) == 2:
            pairs.append(tuple(sorted({m.entity_id for m in listed})))  # "South Korea and the US are treaty allies"
    return list(dict.fromkeys(pairs))


OUR_ALLIES = re.compile(r"\bour (?:\w+ ){0,2}?all(?:y|ies)\b,?\s+")


def our_allies(sent: Sentence, own_state: str) -> list[Candidate]:
    """A government's release that names "our allies, the Republic of Korea and Japan": each is the
    publisher's state's ally (`own_state`, the state the publishing ministry acts for)."""
    match = OUR_ALLIES.search(sent.text)
    if match is None:
        return []
    at = sent.start + match.end()
    states = sent.of_kind("Country")
    listed = [m for m in states if m.start >= at and _only_states(sent.body, at, m.start, states)]
    return [Candidate("Alliance", {"members": tuple(sorted((own_state, m.entity_id)))}, sent.start, sent.end, 0.6,
                      "our-allies") for m in listed if m.entity_id != own_state]


MAJOR_NON_NATO_ALLY = re.compile(r"(?i)\bmajor non-NATO all(?:y|ies)\b|\bMNNA\b")


JOINED = re.compile(r"\b(?:joined|joins|became|becomes|admitted|accession|accede[sd]?|acceded|entered|entry)\b")
"""Words that date a membership: the day of joining is the day the sentence gives."""
MEMBER_SINCE = re.compile(r"\b(?:member|ally|part of \w+) since (?P<year>(?:19|20)\d\d)\b")


ALONG_WITH = re.compile(r"[,\s]+(?:along with|together with|as well as|alongside)\s+(?:the\s+)?")


def _along_with(found: list[Candidate], orgs: list, states: list, text: str) -> list[Candidate]:
    """'India and the US are members of the Quad, along with Japan and Australia': the states
    listed right after the organisation share the members' status."""
    more = []
    for org in orgs:
        members = [c for c in found if c.roles["organization"] == org.entity_id and c.roles["status"].value == "member"]
        along = ALONG_WITH.match(text, org.end)
        if not members or along is None:
            continue
        known = {c.roles["member"] for c in members}
        for state in states:
            if state.start >= along.end() and _only_states(text, along.end(), state.start, states) and \
                    state.entity_id not in known:
                more.append(Candidate("Membership", {"member": state.entity_id, "organization": org.entity_id,
                                                     "status": Text("member")}, members[0].start, members[0].end, 0.6,
                                      "membership-along-with"))
    return more


def memberships(sent: Sentence, article_date=None) -> list[Candidate]:  # noqa: ANN001
    """'NATO member Poland', 'NATO ally Poland', 'became the 31st member of the Alliance',
    'accession to NATO', 'joined NATO'; dated where the sentence says when the state joined
    ("joined the alliance on March 7, 2024", "a NATO member since 1952")."""
    found = []
    orgs = [m for m in sent.mentions if m.entity_id and m.kind == "Organization"]
    states = [m for m in sent.mentions if m.entity_id and m.kind == "Country"]
    if not orgs or not states:
        return found
    text = sent.body or sent.span.doc.text
    for org in orgs:
        listed = re.search(r",\s+(?:a group|collectively|together)?\s*known as\s+(?:the\s+)?$", text[max(0, org.start - 40):org.start])
        if listed:
            for state in states:
                if state.end <= org.start and org.start - state.end <= 160:
                    found.append(Candidate("Membership", {"member": state.entity_id, "organization": org.entity_id,
                                                          "status": Text("member")},
                                           sent.start, sent.end, 0.7, "membership-known-as"))
            continue
        made_of = re.match(r"[,\s]+(?:which (?:is )?)?(?:made up of|comprising|comprises|grouping|groups|"
                           r"consisting of|consists of|composed of)\s+", text[org.end:org.end + 40])
        if made_of:  # "the Quad, comprising Australia, India, Japan and the United States"
            tail = org.end + made_of.end()
            listed_states = [m for m in states if m.start >= tail and _only_states(text, tail, m.start, states)]
            for state in listed_states:
                found.append(Candidate("Membership", {"member": state.entity_id, "organization": org.entity_id,
                                                      "status": Text("member")},
                                       sent.start, sent.end, 0.7, "membership-made-of"))
            continue
        prefixed = re.match(r"\s+(?:member|ally|member state|member country)\s+", text[org.end:org.end + 24])
        hopeful = re.match(r"\s+(?:aspirant|hopeful|candidate)(?: (?:country|state|nation))?\b", text[org.end:org.end + 30])
        for state in states:
            status = None
            if prefixed and state.start == org.end + prefixed.end():
                status = "member"  # "NATO member Poland", "NATO ally Poland"
            elif hopeful and (state.start == org.end + hopeful.end() + 1 or
                              re.fullmatch(r"\s*,\s*(?:a|an|the|another|one)\s+(?:\w+\s+)?", text[state.end:org.start])):
                status = "aspirant"  # "NATO aspirant Georgia", "Georgia, a NATO aspirant"
            elif state.end <= org.start:
                between = text[state.end:org.start]
                nearer = next((o for o in states if state.end <= o.start and o.end <= org.start), None)
                if nearer is not None and not re.fullmatch(r"(?:\s*(?:,|and|&)\s*(?:the\s+)?)+",
                                                           text[state.end:nearer.start]):
                    continue  # "Hungary's parliament ratified Sweden's bid to join NATO": Sweden's bid, not Hungary's
                single = re.search(rf"\b(?:{BEING}|as) (?:the |a |an )?(?:\d+(?:st|nd|rd|th) |newest |full-fledged |"
                                   rf"founding )?member of\b", between) if len(between) <= 80 else None
                if single and re.fullmatch(r"\s*(?:,[^,]{0,60},\s*)?(?:\w+ly\s+)?", between[:single.start()]):
                    # ("Sweden officially became the 32nd member of NATO": an adverb before the verb)
                    status = "member"  # "Poland, a country of 38 million, has been a member of NATO"
                elif len(between) <= 120 and (plural := re.search(
                        r"\s+(?:(?:are|were|have been|had been|became|have become|remain|will become) (?:both |all )?"
                        r"(?:(?:fellow|founding|full) )?members of|make up|made up|form|formed|comprise|constitute) "
                        r"(?:the )?$", between)) and \
                        _only_states(text, state.end, state.end + plural.start(), states):
                    status = "member"  # "Estonia, Latvia and Lithuania are members of NATO", "... make up the Quad"
                elif len(between) <= 60 and re.search(r"\b(?:joined|joins|join|joining)\b", between) and \
                        not re.search(rf"\b(?:applied|bid|application|aspiration|request|invited|invitation|"
                                      rf"{WISHES})\b", between):
                    # (a state "invited to join" is no member: it may decline)
                    status = "member"
                elif len(between) <= 60 and re.search(r"\b(?:applied to join|application to join|bid to join|aspiration to join|"
                                                      r"applied for membership (?:of|in)|applied for|application for "
                                                      rf"membership (?:of|in)|(?:{WISHES}) to join|"
                                                      rf"(?:{WISHES}) (?:membership|accession) (?:of|in|to))\b", between):
                    status = "aspirant"  # "Ukraine wants to join NATO", "Georgia seeks membership of NATO"
                elif len(between) <= 40 and re.search(r"[’']s (?:\w+ )?accession (?:to|into)\b", between):
                    status = "accession"
            if status:
                found.append(Candidate("Membership", {"member": state.entity_id, "organization": org.entity_id,
                                                      "status": Text(status)},
                                       sent.start, sent.end, 0.7, "membership-phrase"))
    found += _member_frames(sent, orgs, states, text)
    found += _along_with(found, orgs, states, text)
    unique: dict[tuple, Candidate] = {}
    for c in found:
        unique.setdefault((c.roles["member"], c.roles["organization"]), c)
    since = MEMBER_SINCE.search(sent.text)
    joined = JOINED.search(sent.text)
    for c in unique.values():
        if "date" in c.roles or c.roles.get("status") != Text("member"):
            continue
        if since is not None:  # "Turkey, a NATO member since 1952"
            c.roles["date"] = normalize.resolve_date(since.group("year"), article_date)
        elif joined is not None:  # "Sweden formally joined NATO on March 7, 2024"
            date = _dates(sent, article_date, events_only=True, near=joined.start())  # a day or a month, not "1,335 km"
            if date is not None:
                c.roles["date"] = date
    return list(unique.values())


def _only_states(text: str, start: int, end: int, states: list) -> bool:
    """Whether text[start:end] holds nothing but other states and the commas and "and" of a list."""
    rest = text[start:end]
    for other in sorted((m for m in states if start <= m.start and m.end <= end), key=lambda m: -m.start):
        rest = rest[:other.start - start] + rest[other.end - start:]
    return re.fullmatch(r"(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s*(?:the\s+)?)*", rest) is not None


WISHES = (r"wants?|wanted|wanting|hopes?|hoped|hoping|seeks?|sought|seeking|aims?|aimed|aiming|aspires?|aspired|"
          r"aspiring|plans?|planned|planning|intends?|intended|pushe?s?|pushed|pushing|strives?|strove|striving|"
          r"is eager|are eager|would like|longs?|wish(?:es)?|wished|tries|tried|trying|attempts?|attempted|"
          r"is keen|are keen|has long sought|is pressing|are pressing")
"""What a state that wants to join does, but has not joined: "hopes to join NATO"."""
BEING = (r"is|are|was|were|became|become|becomes|has become|have become|had become|will become|"
         r"has been|have been|had been|remains|remained|will remain")
"""The verbs of "X ___ a member of Y": to be, to become, to remain, in every tense news uses."""
MEMBER_WORD = r"(?:members?|allies|ally|member (?:states?|countries|nations))"


def _member_frames(sent: Sentence, orgs: list, states: list, text: str) -> list[Candidate]:
    """The other ways news states membership, each relative to the organisation's name:
    "NATO allies Poland and Romania" (every state of the list), "Finland became NATO's 31st
    member", "Japan, a member of the Quad", "Japan, a fellow Quad member", "Hungary was the
    last NATO member to ratify", "NATO members such as Poland and the Baltic states"."""
    found = []

    def add(state, org, rule: str) -> None:  # noqa: ANN001
        found.append(Candidate("Membership", {"member": state.entity_id, "organization": org.entity_id,
                                              "status": Text("member")}, sent.start, sent.end, 0.7, rule))

    for org in orgs:
        after = text[org.end:org.end + 40]
        listing = re.match(rf"(?:[’']s?)?\s+{MEMBER_WORD}(?:,)?\s+(?:such as |including |like )?", after)
        if listing:  # "NATO allies Poland and Romania": the states listed right after, joined by , and "and"
            cursor = org.end + listing.end()
            for state in [s for s in states if s.start >= cursor]:
                gap = text[cursor:state.start]
                if not re.fullmatch(r"\s*(?:,|and|,\s*and|the)?\s*(?:the\s+)?", gap):
                    break
                add(state, org, "membership-list")
                cursor = state.end
        for state in states:
            if state.end <= org.start:
                between = text[state.end:org.start]
                if len(between) <= 70 and re.fullmatch(
                        rf",?\s+(?:(?:{BEING})\s+)?"
                        r"(?:a |an |the )?(?:\w+ )?(?:fellow |founding |full |newest |last |only |first |"
                        r"\d+(?:st|nd|rd|th) )?(?:member|ally) (?:state |country )?(?:of|in) (?:the )?", between):
                    add(state, org, "membership-apposition")  # "Japan, a member of the Quad"
                elif len(between) <= 40 and re.fullmatch(
                        rf",?\s+(?:(?:{BEING})\s+)?(?:a |an |the )"
                        r"(?:fellow |founding |full |newest |last |only |first |\d+(?:st|nd|rd|th) )?", between) and \
                        re.match(r"\s+(?:member|ally)\b", text[org.end:org.end + 10]):
                    add(state, org, "membership-apposition")  # "Hungary was the last NATO member"
            elif state.start >= org.end:
                between = text[org.end:state.start]
                if re.fullmatch(r"[’']s\s+(?:\d+(?:st|nd|rd|th)|newest|latest|youngest)\s+member,?\s+", between):
                    add(state, org, "membership-possessive")  # "NATO's 32nd member, Sweden"
        for state in states:
            if state.start >= org.end and re.fullmatch(
                    r"\s+(?:\w+\s+)?(?:welcomed|welcomes|admitted|admits|accepted|accepts)\s+(?:the\s+)?",
                    text[org.end:state.start]) and \
                    re.match(r"\s+(?:as|into)\s+(?:its|a|an|the)\s+(?:\d+(?:st|nd|rd|th) |newest |new |full )?"
                             r"(?:member|ally)", text[state.end:state.end + 40]):
                add(state, org, "membership-welcomed")  # "NATO welcomed Finland as its 31st member"
            if state.end <= org.start and re.fullmatch(
                    r"\s+(?:\w+ly\s+)?(?:became|becomes|has become|is|was|will become)\s+(?:\w+ly\s+)?",
                    text[state.end:org.start]) and \
                    re.match(r"[’']s\s+(?:\d+(?:st|nd|rd|th) |newest |latest |youngest )?member\b",
                             text[org.end:org.end + 30]):
                add(state, org, "membership-possessive")  # "Finland (officially) became NATO's 31st member"
    return found


def memoranda(sent: Sentence, doc_text: str, article_date, acting_for: dict | None = None,  # noqa: ANN001
              recent_states: list[str] = ()) -> list[Candidate]:
    """A memorandum of understanding and its two parties: the bodies the sentence names, else the
    states whose ministers signed it ("X, Minister of Defence of Mongolia, and Y signed a
    Memorandum of Understanding": `acting_for` maps an office holder to the state they act for)."""
    match = re.search(r"\b((?i:memorand(?:um|a) of understanding)|MOUs?|MoUs?)\b", sent.text)
    if not match:
        return []
    parties = [m.entity_id for m in sent.of_kind(*ORGS) if m.entity_id]
    signers = [acting_for[m.entity_id] for m in sent.of_kind("Person")
               if acting_for and m.entity_id in acting_for and m.start < sent.start + match.start()]
    parties = list(dict.fromkeys(signers + parties))
    if len(parties) < 2:  # "South Korea and the United States signed a memorandum of understanding on ..."
        parties = list(dict.fromkeys(signers + _founding_states(sent, match.end())))
    between = re.search(r"\bbetween\s+(?:the\s+)?(?P<one>[^,;]+?)\s+and\s+(?:the\s+)?(?P<two>[^,;.]+)",
                        sent.text[match.end():])
    if len(parties) < 2 and between:  # "a Memorandum of Understanding on ... between India and China"
        at = sent.start + match.end()
        named = [m.entity_id for m in sent.of_kind("Country", *ORGS) if m.entity_id and
                 at + between.start("one") <= m.start < at + between.end("two")]
        parties = list(dict.fromkeys(named)) if len(set(named)) >= 2 else parties
    if len(parties) < 2 and re.search(r"\bbetween the two (?:nations|countries|sides|governments|allies)\b", sent.text):
        # "the memorandum ... was concluded between the two nations": the two the story named last
        recent = list(dict.fromkeys(reversed(recent_states)))[:2]
        parties = recent if len(recent) == 2 else parties
    if len(parties) < 2:
        return []
    roles: dict[str, object] = {"parties": tuple(sorted(parties[:2]))}
    subject = re.search(r"\bon ([a-z][\w\- ]+?)(?: for the| for| (?:was|were|is|are|has|have|had|will|would|"
                        r"between|with)\b|[.,]|$)", sent.text[match.end():])
    if subject:
        for_part = re.search(r"\bon ([a-z][\w\- ]+? for the [A-Z][\w. ]+?)[.,]?$", sent.text[match.end():])
        topic = re.sub(r"\s+(?:on|in|last|this|earlier|late)\s+(?:\w+\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
                       r"saturday|sunday|week|month|year|january|february|march|april|may|june|july|august|"
                       r"september|october|november|december|\d{4})\b.*$", "", (for_part or subject).group(1),
                       flags=re.IGNORECASE)  # "on shipbuilding cooperation on Tuesday": the day is no part of it
        roles["subject"] = Text(topic)
    for m in sent.of_kind(*ORGS):
        if doc_text[max(0, m.start - 8):m.start].lower().endswith(("for the ", "for ")) and m.entity_id not in parties[:2]:
            roles["beneficiary"] = m.entity_id
    signed = re.search(r"\b(?:signed|inked|concluded|exchanged)\b", sent.text)
    when = _dates(sent, article_date, events_only=True, near=signed.start()) if signed else None
    if when is not None:
        roles["date"] = when
    return [Candidate("Memorandum", roles, sent.start, sent.end, 0.8, "mou-with")]
