"""Relation rules: from a parsed sentence and its resolved mentions to candidate facts.

Each rule looks for trigger words and dependency patterns that any alliance report uses
("met", "summit", "sell ... to", "memorandum of understanding with", "signed in 1953",
"launch of ... missile", quotation marks with a reporting verb) and fills the roles of one
relation from the mentions around them. No rule names an entity; entities come from the
resolver. Each returns (relation, roles, evidence span, confidence).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import combinations

from .. import normalize
from ..types import DateValue, Text, YearValue
from . import triggers
from .lexicon import (COURTESY_PATTERN, HEAD_OF_STATE_TITLES, REPORTING_VERBS, SPEAKER_TITLES, TITLE_CASE_LOWER,
                      TITLE_PATTERN, TITLES)
from .sentence import Candidate, Mention, Sentence
from .syntax import subject_of


STATES = ("Country",)
ACTORS = ("Person", "Country", "Company", "Organization", "GovernmentAgency", "MilitaryUnit")
ORGS = ("Company", "Organization", "GovernmentAgency", "MilitaryUnit")
RANK_RE = re.compile(r"(?:\b(?:Army|Navy|Air Force|Marine|Marine Corps)\s+)?(?:\b|(?<=\s))(?:Gen|Lt\.? Gen|Maj\.? Gen|"
                     r"Brig\.? Gen|Brig|Brigadier|Adm|Vice Adm|Rear Adm|Col|Lt\.? Col|Maj|Capt|Cmdr|Lt\.? Cmdr|Sgt|Staff Sgt|"
                     r"Master Sgt|Sgt\.? Maj|Cpl|Pvt|Ens|(?:1st|2nd|First|Second)\s+Lt|Lt|Lieutenant|Captain|"
                     r"Colonel)\.?\s+$")
AGENCY_TITLES = frozenset({"Spokesperson", "Press Secretary", "Director", "Deputy Director", "Chief", "Head",
                           "Commander", "Chairman"})
"""Titles held in a body rather than for a state: the body named before them is the "of"."""
PLURAL_TITLE_RE = re.compile(r"\b(" + TITLE_PATTERN + r")s\s+(?:[A-Z][\w.’'-]*\s+){0,4}?(?:and\s+)?$", re.IGNORECASE)
"""A title in the plural before the names it is each one's: "Prime Ministers Scott Morrison and
Fumio Kishida"."""
SPELLED_RANK_RE = re.compile(r"\b(?:(?:Lieutenant|Major|Brigadier|Vice|Rear|Air Chief|Air Vice|Air)\s+)?"
                             r"(?:General|Admiral|Marshal|Colonel)\s+$")
"""A rank written out between an office and the name ("Defence Minister General Mohamed Zaki")."""
TITLE_RE = re.compile(r"\b(" + TITLE_PATTERN + r")\s+$",
                      re.IGNORECASE)
TITLE_COMMA_RE = re.compile(r"\b(" + TITLE_PATTERN + r"),\s+$", re.IGNORECASE)
"""A title set off by a comma before the name: "Japan's foreign minister, Yoko Kamikawa"."""
TITLE_AND_RE = re.compile(r"\b(" + TITLE_PATTERN + r")\s+and\s+$", re.IGNORECASE)


def _dates(sent: Sentence, article_date, events_only: bool = False,  # noqa: ANN001
           near: int | None = None) -> DateValue | None:
    """The date an event of the sentence happened: a day or a month, not the background of a
    subordinate clause ("since he was reelected last year", "after the war ended in 1953").
    With `near` (an offset in the sentence), the date closest to it: "visited Moscow on July
    8th ... and on August 23rd visited Ukraine" dates each visit by its own words."""
    found: list[tuple[int, DateValue]] = []
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        lead = sent.span.doc[max(sent.span.start, ent.start - 8):ent.start].text.lower()
        if re.search(r"\b(?:since|after|before|until|till|through|by|ago|previously)\b", lead) or \
                re.search(r",\s+(?:first\s+)?(?:announced|signed|founded|launched|established|formed|created|unveiled|"
                          r"agreed|concluded)\s+(?:in|on)\s*$", lead) or \
                re.search(r"\b(?:ago|earlier|decades?|years?)$", ent.text.lower()) and "ago" in ent.text.lower():
            continue
        if any(a.dep_ == "relcl" and a.head.ent_type_ in ("GPE", "LOC", "FAC") for a in ent.root.ancestors):
            continue  # "talks held in Moscow, where Xi arrived ... for a parade on May 9": the place's other news
        where = ent.start_char - sent.start
        weekday = WEEKDAY.fullmatch(ent.text.strip().lower())
        spelled = re.match(r"\s*[(,]\s*(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})", (sent.body or sent.span.doc.text)[ent.end_char:ent.end_char + 24])
        if weekday and spelled:
            continue  # "on Wednesday (8 February 2023)": the date the text spells out next
        if weekday and article_date is not None and _told_as_past(sent):
            found.append((where, _weekday_before(ent.text, weekday.group(1), article_date)))
            continue
        if weekday and article_date is not None and _told_as_future(sent):
            found.append((where, _weekday_after(ent.text, weekday.group(1), article_date)))
            continue
        day_before = re.search(r"\b(\d{1,2})\s+$", (sent.body or sent.span.doc.text)[max(0, ent.start_char - 4):ent.start_char])
        spelled_in_full = f"{day_before.group(1)} {ent.text}" if day_before and re.match(r"[A-Z][a-z]+ \d{4}$", ent.text) else None
        inside = re.findall(r"\(\s*([^()]+?)\s*\)?$", ent.text)  # "Monday (July 3": the date in brackets
        for part in [p for p in (spelled_in_full, *inside, ent.text, *ent.text.split(",")) if p]:  # "8 February 2023", the 8 left out
            try:
                value = normalize.resolve_date(part.strip(), article_date)
            except ValueError:
                continue
            if value.value is not None and (not events_only or value.precision in ("day", "month")):
                found.append((where, _ahead(value, part, article_date) if _told_as_future(sent) else value))
                break
        if found and near is None:
            break
    if not found:
        return None
    if near is None:
        return found[0][1]
    return min(found, key=lambda item: abs(item[0] - near))[1]


WEEKDAY = re.compile(r"(?:on )?(?:early |late )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                     r"(?:\s+(?:morning|afternoon|evening|night))?")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_before(text: str, weekday: str, article_date: dt.date) -> DateValue:
    """ "held a summit on Friday" in a Tuesday paper: the Friday before (or the day itself), not the next one."""
    day = article_date - dt.timedelta(days=(article_date.weekday() - WEEKDAYS.index(weekday)) % 7)
    return DateValue(day, "day", text)


def _weekday_after(text: str, weekday: str, article_date: dt.date) -> DateValue:
    """ "will meet on Tuesday" in a Friday paper: the Tuesday after (or the day itself), not one a
    year on."""
    day = article_date + dt.timedelta(days=(WEEKDAYS.index(weekday) - article_date.weekday()) % 7)
    return DateValue(day, "day", text)


def _told_as_future(sent: Sentence) -> bool:
    """Is the sentence about what is to come ("will travel", "is set to visit", "plans to meet")?"""
    return bool(re.search(r"\b(?:will|is to|are to|is set to|are set to|plans? to|is scheduled to|are scheduled to|"
                          r"is expected to|are expected to|is due to|are due to)\s+(?:\w+\s+)?\w+", sent.text))


def _ahead(value: DateValue, text: str, article_date) -> DateValue:  # noqa: ANN001
    """A month or day without its year, in a sentence about the future, is the next one after the
    article's date: "will travel to Washington in April" in a March 2024 paper is April 2024."""
    if article_date is None or re.search(r"\b\d{4}\b", text) or value.precision not in ("day", "month"):
        return value
    day = value.value
    behind = day < (article_date.replace(day=1) if value.precision == "month" else article_date)
    if not behind:
        return value
    try:
        return DateValue(day.replace(year=day.year + 1), value.precision, value.text)
    except ValueError:  # 29 February
        return value


def _told_as_past(sent: Sentence) -> bool:
    """Is the sentence's main verb in the past ("held", "met", "has signed")?"""
    root = sent.span.root
    return root.tag_ in ("VBD", "VBN") or any(c.lower_ in ("has", "have", "had") and c.dep_ == "aux"
                                              for c in root.children)


def positions(sent: Sentence, doc_text: str, article_date, resolver=None) -> list[Candidate]:  # noqa: ANN001
    """'South Korean President Lee Jae Myung', 'NATO Secretary-General Jens Stoltenberg'."""
    found = []
    for m in sent.of_kind("Person"):
        window_start = max(sent.start, m.start - 60)
        inner = TITLE_RE.search(doc_text[m.start:m.end].split(" ")[0] + " ") if " " in m.text else None
        before = doc_text[window_start:m.start] + (doc_text[m.start:m.start + inner.end()] if inner else "")
        rank = RANK_RE.search(before)  # "Chief of Staff Gen. Romeo Brawner": skip the rank
        if rank:
            before = before[:rank.start()] + " "
        spelled = SPELLED_RANK_RE.search(before)
        if spelled and TITLE_RE.search(before[:spelled.start()]):
            before = before[:spelled.start()]  # "Egyptian Defence Minister General Mohamed Zaki": the office, not the rank
        honorific = HONORIFIC_BEFORE.search(before)  # "the Prime Minister of Japan, Mr. Shinzo Abe"
        if honorific:
            before = before[:honorific.start()] + " "
        match = TITLE_RE.search(before) or TITLE_OF_RE.search(before) or PLURAL_TITLE_RE.search(before)
        also_of = None
        if match is None and re.match(r"\s*(?:[,.;)]|$|\s+(?:said|says|told|added)\b)", doc_text[m.end:sent.end]):
            # "Japan's foreign minister, Yoko Kamikawa,": a title set off before the name it describes
            match = TITLE_COMMA_RE.search(before) or TITLE_OF_COMMA_RE.search(before)
        if match is None and (titled := TITLE_OF_COMMA_RE.search(before)) is not None and \
                re.search(r"\bthe\s+$", before[:titled.start()]):
            match = titled  # "welcomed the President of Poland, Andrzej Duda to NATO headquarters": whatever follows
        if match is not None:
            also = TITLE_AND_RE.search(before[:match.start()])
            if also:  # "Australian Deputy Prime Minister and Minister for Defence, Richard Marles": both posts
                also_of = next((o.entity_id for o in sent.of_kind("Country")
                                if 0 <= window_start + also.start() - o.end <= 3), None)
                also_roles: dict[str, object] = {"holder": m.entity_id, "title": Text(TITLES[also.group(1).lower()])}
                if also_of:
                    also_roles["of"] = also_of
                found.append(Candidate("Position", also_roles, window_start + also.start(), m.end, 0.8,
                                       "title-comma-name"))
        after = TITLE_AFTER_RE.match(doc_text, m.end, sent.end)
        if after:  # "Mariusz Blaszczak, Polish minister of defence, said"; "Admiral X, commander of Y,"
            found.append(_position_after(m, after, sent, doc_text, article_date))
            if not match or TITLES[match.group(1).lower()] == TITLES[re.sub(r"\s+", " ", after.group("title")).lower()]:
                continue
        if not match:
            continue
        title = TITLES[match.group(1).lower()]
        of = None
        title_start = window_start + match.start()
        named = next((o for o in sent.of_kind("Country")  # "President of Poland Andrzej Duda"
                      if window_start + match.start("place") <= o.start < m.start), None) \
            if match.groupdict().get("prep") == "of" else None
        if named is not None:
            of = named.entity_id
        for other in ([] if of else sent.mentions):
            known = resolver is None or resolver.registry.get(other.entity_id or "") is not None or \
                (other.text.isupper() and len(other.text) >= 3)
            gap = doc_text[other.end:title_start] if other.end <= title_start else ","
            if other.entity_id and 0 <= title_start - other.end <= 3 and "," not in gap and \
                    (other.kind == "Country" or (known and other.kind in ("Organization", "GovernmentAgency")) or
                     other.kind == "MilitaryUnit"):
                of = other.entity_id
        if of is None:  # "Chinese Foreign Ministry spokesperson Mao Ning": the ministry's spokesperson, as
            # "Pentagon spokesperson" is the Pentagon's, whether or not the registry knows the ministry
            of = next((o.entity_id for o in sent.of_kind("GovernmentAgency")
                       if 0 <= title_start - o.end <= 3 and "," not in doc_text[o.end:title_start] and
                       title in AGENCY_TITLES), None)
        of = of or also_of  # the state of the first of two posts is the second's too
        end = m.end
        after_of = re.match(r"\s+of\s+(?:the\s+)?", doc_text[m.end:sent.end]) if of is None else None
        state_after = next((o for o in sent.of_kind("Country", "MilitaryUnit", "GovernmentAgency", "Organization",
                                                    "Company")
                            if after_of and o.start >= m.end and
                            re.fullmatch(r"\s+of\s+(?:the\s+)?", doc_text[m.end:o.start])), None)
        if state_after is not None:  # "President Tsakhia Elbegdorj of Mongolia", "Vice Admiral X of the JMSDF"
            of, end = state_after.entity_id, state_after.end
        roles: dict[str, object] = {"holder": m.entity_id, "title": Text(title)}
        if of:
            roles["of"] = of
        roles.update(_tenure(doc_text[max(sent.start, title_start - 30):title_start],
                             doc_text[m.end:min(sent.end, m.end + 80)], article_date))
        start = min([title_start] + [o.start for o in sent.mentions if o.entity_id == of and o.end <= title_start
                                     and title_start - o.end <= 3])
        found.append(Candidate("Position", roles, start, end, 0.85, "title-before-name"))
    return found + _counterparts(sent, found)


COUNTERPART = re.compile(r"\b(?:his|her|their)\s+(?P<adjs>(?:[A-Z][\w-]+(?:,\s+|\s+and\s+)?){0,3})\s*counterparts?,?\s+")
"""'his Philippine counterpart Gilberto Teodoro', 'his Japanese and Australian counterparts Fumio
Kishida and Anthony Albanese': each holds the office of the one whose counterpart they are, for
the state its adjective names."""


def _counterparts(sent: Sentence, found: list[Candidate]) -> list[Candidate]:
    from .gazetteer import gazetteer

    result = []
    for match in COUNTERPART.finditer(sent.text):
        at = sent.start + match.start()
        owner = next((c for c in reversed(found) if c.relation == "Position" and c.start < at), None)
        if owner is None:
            continue
        adjectives = [o for o in sent.of_kind("Country")
                      if sent.start + match.start("adjs") <= o.start < sent.start + match.end("adjs")]
        states = [o.entity_id for o in adjectives]
        people, cursor = [], sent.start + match.end()
        for person in sent.of_kind("Person"):
            if person.start < cursor:
                continue
            lead = sent.body[cursor:person.start]
            if (person.start - cursor > 6 and not re.fullmatch(r"\W*(?:Sheikh|Prince|Princess|Mr|Mrs|Ms|Dr|Sir)\.?\s+",
                                                                lead)) or person.entity_id == owner.roles["holder"]:
                break  # ("his Emirati counterpart, Sheikh Tahnoun bin Zayed": an honorific before the name)
            people.append(person)
            gap = re.match(r",?\s+(?:and\s+)?|,\s*", sent.text[person.end - sent.start:])
            cursor = person.end + (gap.end() if gap else 0)
        if not people or len(states) not in (1, len(people)):
            continue  # "his counterpart": of which state, and so under which title, the text does not say
        title = owner.roles["title"].value
        for index, person in enumerate(people):
            adjective = adjectives[index] if len(states) == len(people) else adjectives[0]
            state = adjective.entity_id
            american = getattr(gazetteer().country(adjective.text), "code", None) == "US"
            named = (US_TITLES if american else COUNTERPART_TITLES).get(title, title)
            roles: dict[str, object] = {"holder": person.entity_id, "title": Text(named), "of": state}
            result.append(Candidate("Position", roles, at, person.end, 0.7, "counterpart"))
    return result


COUNTERPART_TITLES = {"Secretary of Defense": "Defense Minister", "Secretary of State": "Foreign Minister"}
"""A US secretary's counterpart elsewhere holds the minister's post."""
US_TITLES = {v: k for k, v in COUNTERPART_TITLES.items()}
"""And a minister's American counterpart is the secretary ("his American counterpart Lloyd Austin")."""


TITLE_OF_RE = re.compile(rf"\b(?i:({TITLE_PATTERN}))\s+(?P<prep>of|to|for)\s+(?:the\s+)?"
                         rf"(?P<place>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})\s+$")
"""A title with its state or post before the name: "President of Poland Andrzej Duda", "US
Ambassador to the Philippines Sung Kim" (the ambassador is the US's, posted to the Philippines)."""
TITLE_OF_COMMA_RE = re.compile(rf"\b(?i:({TITLE_PATTERN}))\s+(?P<prep>of|to|for)\s+(?:the\s+)?"
                               rf"(?P<place>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}}),\s+$")
"""The same set off by a comma: "the Prime Minister of Japan, Shinzo Abe,"."""
HONORIFIC_BEFORE = re.compile(rf"(?<=\s){COURTESY_PATTERN}\s+$")
"""A courtesy title between a post and the name, as Indian and Japanese releases write it ("the Prime
Minister of Japan, Mr. Shinzo Abe"): no part of the post."""
TITLE_AFTER_RE = re.compile(rf"(?:,?\s+(?:Jr|Sr)\.?(?=,)|\s+(?:II|III|IV)\b)?,\s+(?:who\s+(?:also\s+|now\s+)?(?:serves|served|is|was)\s+as\s+)?(?:the\s+)?(?:(?P<adj>[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?)(?:[’']s)?\s+)?"
                            rf"(?P<when>(?:new|newly appointed|incoming|outgoing|former|current|acting|then)\s+)?"
                            rf"(?P<title>(?i:{TITLE_PATTERN}))(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w.’'-]*"
                            rf"(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.-]*){{0,4}}))?"  # "of the People's Republic of China",
                            # "of the Republic of the Philippines"
                            rf"(?:\s+(?:to|in)\s+(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,3}})?"
                            rf"(?=\s*[,.;)]|\s+(?:said|says|told|added)\b)")
"""A title in apposition after the name: "Mariusz Blaszczak, Polish minister of defence,"; "Philip
Goldberg, the US ambassador to South Korea," (the ambassador is the US's; the posting follows);
after a generation's suffix too ("Gilberto C. Teodoro, Jr., Secretary of National Defense of the
Republic of the Philippines")."""


def _position_after(m, after, sent, doc_text: str, article_date) -> Candidate:  # noqa: ANN001
    """The Position an apposition after a name states; its state from the adjective or the "of"."""
    roles: dict[str, object] = {"holder": m.entity_id, "title": Text(TITLES[re.sub(r"\s+", " ", after.group("title")).lower()])}
    for group in ("of", "adj"):
        if after.group(group):
            lo, hi = after.start(group), after.end(group)
            # "NATO's secretary general", "commander of U.S. Indo-Pacific Command": the body, else the state
            body = next((o for o in sent.of_kind("Organization", "GovernmentAgency", "MilitaryUnit")
                         if lo <= o.start < hi and o.end <= hi + 1), None)
            state = body or next((o for o in sent.of_kind("Country") if o.start < hi and o.end > lo), None)
            # (overlapping: NER's "the People's Republic of China" starts before the name the group holds)
            if state is not None:
                roles["of"] = state.entity_id
                break
    roles.update(_tenure(after.group("when") or "", "", article_date))
    return Candidate("Position", roles, m.start, after.end(), 0.8, "title-after-name")


PAST_HOLDING = re.compile(r"\b(former|then|outgoing|ex|erstwhile|late)[-\s]+$", re.IGNORECASE)
TENURE = re.compile(r"^,?\s+(?:who\s+)?(?:has\s+(?:been\s+)?(?:served|in office)\s+|(?:has\s+)?served\s+|"
                    r"in office\s+)?(?P<how>since|took office (?:in|on)|was appointed (?:in|on)|"
                    r"was (?:elected|sworn in) (?:in|on)|from)\s+(?P<when>(?:\w+\s+){0,2}?\d{4}|\w+\s+\d{1,2}"
                    r"(?:,\s+\d{4})?|\w+)(?:\s+(?:to|until|-|–)\s+(?P<until>(?:\w+\s+){0,2}\d{4}))?",
                    re.IGNORECASE)


def _tenure(before: str, after: str, article_date) -> dict[str, object]:  # noqa: ANN001
    """What the words around a titled name say about when the holding was: "former", "then-"
    and "outgoing" before the title put it in the past; "since 2022", "who took office in May",
    "from 2017 to 2021" after the name give its start (and end)."""
    roles: dict[str, object] = {}
    past = PAST_HOLDING.search(before)
    if past:
        roles["status"] = Text({"ex": "former", "erstwhile": "former", "late": "former"}.get(
            past.group(1).lower(), past.group(1).lower()))
    tenure = TENURE.match(after)
    if tenure:
        for role, text in (("start", tenure.group("when")), ("end", tenure.group("until"))):
            if not text:
                continue
            try:
                value = normalize.resolve_date(text, article_date)
            except ValueError:
                continue
            if value.value is not None and value.precision in ("day", "month", "year"):
                roles[role] = value
    return roles


ONLOOKER = re.compile(r"(?i)\b(?:spokes(?:person|man|woman)|press secretary|analyst|expert|professor|researcher|"
                      r"fellow|correspondent|reporter|commentator|scholar|observer)\s+(?:[A-Z][\w.’'-]*\s+){0,2}$")
"""The words before a name that make its bearer one who speaks about a meeting, not in it."""
MEETING_LEMMAS = {"meet", "talk", "hold", "host", "attend", "join", "gather", "convene", "visit", "welcome", "receive",
                  "sit", "greet", "shake", "sign", "travel", "arrive", "bring", "co-host", "chair", "accompany",
                  "include", "be", "have", "say", "tell", "add", "agree", "pledge", "announce", "vow", "reaffirm"}
"""Verbs whose clauses name who took part in a meeting: "X met Y", "leaders, including X,
attended", "X and Y agreed"; a person only another verb's clause names ("Xi, who had spoken with
Putin by phone", "discussed the legacy of Abe") took no part in it."""


MEETING_NOUNS = {"meeting", "talk", "talks", "summit", "conference", "dialogue", "consultation", "consultations",
                 "visit", "trip", "session", "call", "ceremony", "dinner", "lunch", "banquet"}


def _in_other_clause(sent: Sentence, mention) -> bool:  # noqa: ANN001
    """Is the person named only inside a clause of a verb that is no part of meeting?"""
    token = next((t for t in sent.tokens if t.idx <= mention.start < t.idx + len(t)), None)
    if token is None:
        return False
    node = token.head
    while node != node.head and node.i != token.i:
        if node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() in MEETING_NOUNS:
            return False  # "following a meeting with Trump", "at a joint press conference with Blinken"
        if node.pos_ == "VERB" and node.lemma_.lower() not in MEETING_LEMMAS:
            return True
        node = node.head
    root = token
    while root.head.i != root.i and mention.start <= root.head.idx < mention.end:
        root = root.head  # the head of the name: "Biden" in "President Biden"
    if root.dep_ == "dobj" and root.head.lemma_.lower() in triggers.words("appraise"):
        return True  # "At a press conference with Blinken, Stoltenberg commended President Biden": Biden was not there
    return node.pos_ == "VERB" and node.i != token.i and node.lemma_.lower() not in MEETING_LEMMAS and \
        node.dep_ != "ROOT"




def _co_signed(sent: Sentence) -> bool:
    """Did two people the sentence names sign something together ("President Donald Trump and
    Japanese Prime Minister Sanae Takaichi signed an agreement")? Then they met to sign it."""
    people = sent.of_kind("Person")
    for first, second in zip(people, people[1:]):
        between = sent.text[first.end - sent.start:second.start - sent.start]
        after = sent.text[second.end - sent.start:second.end - sent.start + 40]
        if re.fullmatch(r"\s+and\s+(?:[\w.’'-]+\s+){0,5}", between) and \
                re.match(r"\s+(?:\w+\s+)?(?:jointly\s+)?(?:signed|sign|inked|put pen to paper|co-signed)\b", after):
            return True
    return False


OWN_MEETING = r"(?:meeting|talks|summit|invitation|retreat|residence|home|office|counterparts?|guests?|hosting|request)"
"""What a participant's possessive may name: "at Biden's invitation", "Austin's counterpart"."""
JOINT_APPEARANCE = re.compile(r"(?i)\bjoint (?:press|news) (?:conference|briefing)\b|\bsat down with\b|\bsits down with\b|"
                              r"\bcourtesy (?:call|visit) (?:on|to|with)\b|"
                              r"\b(?:call|calls|called|calling) on\b(?![^.;]{0,80}?\bto\s+(?!the\b)[a-z]+)|"
                              r"\band (?:his|her) (?:[A-Z][\w-]+ ){0,3}counterpart,? (?:[A-Z][\w.-]+,? ){1,4}"
                              r"(?:agreed|discussed|reaffirmed|affirmed|pledged|vowed|signed|exchanged|held|stressed|"
                              r"underscored|emphasi[sz]ed|shared|welcomed|condemned)\b(?![^.;]{0,80}\b(?:phone|telephone|"
                              r"video|virtual|call)\b)")
"""People who appear at a joint press conference, or sit down with each other, have met; so have
"X and his Japanese counterpart, Y," who agreed or discussed something together (unless on the
phone), and a minister who "called on" a leader (not one who "called on Putin to withdraw")."""


RECEIVED_GUEST = re.compile(r"\b(?:received|receives|welcomed|welcomes)\s+(?:[A-Z][\w.’'-]*\s+){1,6}?"
                            r"(?:to|in|at)\b")
"""A leader who "received Putin in Beijing" or "welcomed Scholz to the Elysee" met the guest; one who
"welcomed the decision" met nobody."""


def _in_place_clause(sent: Sentence, mention: Mention) -> bool:
    """Is the mention inside a clause that tells of a place ("Moscow, where Xi arrived to attend a
    parade in Red Square"): what happened there besides, not where the event took place."""
    token = next((t for t in sent.tokens if t.idx == mention.start), None)
    return token is not None and any(a.dep_ == "relcl" and a.head.ent_type_ in ("GPE", "LOC", "FAC")
                                     for a in token.ancestors)


def _reporters(sent: Sentence) -> set[str]:
    """People who only report the meeting: the subject of "said" whose clause names its own
    subject ("Xi will hold talks with Russian leaders, Assistant Foreign Minister Li said")."""
    found: set[str] = set()
    for token in sent.tokens:
        if token.pos_ != "VERB" or token.lemma_.lower() not in ("say", "tell", "add", "note", "announce", "state"):
            continue
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        teller = subject_of(token)
        inner = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None) if clause is not None else None
        if teller is None or inner is None or inner.pos_ == "PRON":
            continue
        lo, hi = teller.left_edge.idx, teller.right_edge.idx + len(teller.right_edge)
        inside = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
        told = (sent.body or sent.span.doc.text)[inside[0]:inside[1]]
        if not MEETING_WORD.search(told) or MEETING_WORD.search((sent.body or sent.span.doc.text)[sent.start:inside[0]]):
            continue  # "In talks with Putin, Xi said that ...": the meeting is told outside what he said
        found |= {m.entity_id for m in sent.of_kind("Person") if lo <= m.start < hi and
                  not any(n.entity_id == m.entity_id and inside[0] <= n.start < inside[1] for n in sent.of_kind("Person"))}
    return found


QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
"""A quotation inside a sentence."""
MEETING_WORD = re.compile(r"(?i)\b(?:meet|meets|met|meeting|meetings|summit|summits|talks|talked|host|hosts|hosted|"
                          r"hosting|convene|convened|convenes|gather|gathered|consultations|state visit)\b")
"""The words of a meeting, to look for outside the quotations of a sentence."""

MEET_A_GOAL = re.compile(r"\bmeet(?:s|ing)?\s+(?:[\w-]+\s+){0,3}?(?:challenges?|needs?|targets?|goals?|requirements?|"
                         r"demands?|standards?|deadlines?|obligations?|commitments?|threats?|expectations?|criteria|"
                         r"benchmarks?|costs?|objectives?|shortfalls?|capability targets)\b")
"""'meet future challenges', 'meet the 2% target': a goal met, not a person."""
TOGETHER_DID = re.compile(r"^\W*(?:The|Both|The two) (?:leaders|ministers|men|women|sides|counterparts|presidents|"
                          r"secretaries|officials)\s+(?:also\s+|then\s+)?(?:discussed|exchanged|reviewed|agreed|"
                          r"reaffirmed|addressed|talked)\b")
"""'X welcomed Y to NATO headquarters. The leaders discussed ...': the two the story has just
named met, though no word of meeting is written."""


BOTH_SIDES = re.compile(r"\b(?:[Tt]he two|[Bb]oth) (?:men|women|leaders|ministers|officials|sides|presidents|"
                        r"secretaries|counterparts)\b")


def meetings(sent: Sentence, doc_text: str, article_date, titles: dict[str, str],  # noqa: ANN001
             context_people: list[str] = (), host: str | None = None) -> list[Candidate]:
    """Two or more people meet; `context_people` are those "the two men" refers to, `host` who
    hosted ("Biden hosted", "hosted by Albanese")."""
    lemmas = sent.lemmas
    words = sent.lowers
    if MEET_A_GOAL.search(sent.text) and not MEETING_WORD.search(MEET_A_GOAL.sub(" ", sent.text)):
        lemmas = lemmas - {"meet"}  # "to meet future challenges": no one is met
    together = bool(context_people) and TOGETHER_DID.search(sent.text) is not None
    if not (lemmas & {"meet", "summit", "talk", "host", "convene", "gather"} or _co_signed(sent) or together or
            (lemmas & {"receive", "welcome"} and RECEIVED_GUEST.search(sent.text)) or
            words & {"met", "meeting", "summit", "talks", "convened", "consultations"} or "state visit" in sent.text.lower() or
            JOINT_APPEARANCE.search(sent.text)):
        return []
    told = QUOTED.sub(" ", sent.text)  # what the sentence itself says, not the words it quotes
    if told != sent.text and not (MEETING_WORD.search(told) or _co_signed(sent) or together or JOINT_APPEARANCE.search(told) or
                                  RECEIVED_GUEST.search(told)):
        return []  # '"... at last November's summit meeting," X told Y': a meeting only quoted
    owners = {m.entity_id for m in sent.of_kind("Person")  # "Biden's plan": no participant named here
              if re.match(rf"[’']s\s+(?!(?:\w+\s+)?{OWN_MEETING}\b)", doc_text[m.end:m.end + 30])}
    # someone else's event the sentence dates these talks by ("two weeks ahead of Modi's visit"),
    # though "during Xi's state visit, the two leaders held talks" is his
    dated_by = {m.entity_id for m in sent.of_kind("Person") if re.search(
        r"\b(?:ahead of|before|after|following|prior to)\s+(?:[\w’'-]+\s+){0,4}$", doc_text[max(0, m.start - 50):m.start])
        and (m.text.endswith(("'s", "’s")) or doc_text[m.end:m.end + 2] in ("'s", "’s"))}
    # who comments on a meeting is no participant: "White House spokesperson X said", "analyst Y said"
    onlookers = {m.entity_id for m in sent.of_kind("Person")
                 if ONLOOKER.search(doc_text[max(sent.start, m.start - 45):m.start])}
    aside = {m.entity_id for m in sent.of_kind("Person")} - {m.entity_id for m in sent.of_kind("Person")
                                                              if not _in_other_clause(sent, m)}
    onlookers |= _reporters(sent)
    named = [p for p in sent.ids("Person") if p not in owners | dated_by | onlookers | aside]
    # "When X met Y in Beijing, both sides reiterated ...": the two the sentence named before "both
    # sides" are those sides, not the two the story named before
    both = BOTH_SIDES.search(sent.text)
    named_before = {m.entity_id for m in sent.of_kind("Person") if both and m.start < sent.start + both.start()}
    people = list(dict.fromkeys([*named, *[p for p in (context_people if len(named_before & set(named)) < 2 else ())
                                          if p not in dated_by | onlookers]]))
    if len(people) < 2:
        return []
    if re.search(r"\b(?:meant|supposed|was due|were due|had planned|had been due|(?:are|is|were|was) expected|"
                 r"(?:are|is) set|(?:are|is) scheduled|plans?|planned) to (?:host|meet|hold|attend)\b|"
                 r"\bpulled out\b", sent.text) and not re.search(r"\b(?:met|held|convened)\b", sent.text):
        return []
    if re.search(r"\b(hope[sd]?|hoping|wants?|wanted|wish(?:es|ed)?|refuse[sd]?|would like) to (meet|hold)\b|"
                 r"\bhoped the talks\b|\bhopes? (?:that )?the talks\b", sent.text, re.IGNORECASE):
        return []
    heads = all(titles.get(p) in HEAD_OF_STATE_TITLES for p in people[:2])
    relation = "Summit" if heads or re.search(r"(?i)\bsummit\b", told) else "Meeting"
    roles: dict[str, object] = {"participants": tuple(sorted(people))}
    date = None if together and not sent.ids("Person") else _dates(sent, article_date)
    # ("The leaders discussed the agreement, which they signed this afternoon": the day of the
    # meeting the story told just before, not the signing's)
    if date is not None:
        roles["date"] = date
    places = [m for m in sent.of_kind("City", "Country", "GovernmentAgency", "Place", "Region")
              if doc_text[max(0, m.start - 12):m.start].lower().endswith(("in ", "at ", "at the ", "in the ", "city of ", "town of ",
                                                                        "capital ", "capital, "))
              # "in the Russian capital Moscow", "in the Vietnamese capital, Hanoi"
              and not _in_place_clause(sent, m)
              and not any(qs < m.start < qe for qs, qe in _quotations(doc_text))]
    # ('"... the next one will take place in Moscow," the leader said during talks': a wish, not where)
    rank = {"Place": 0, "GovernmentAgency": 0, "City": 1, "Region": 2, "Country": 3}
    if places:  # the most precise place: "at Camp David", "in the Japanese city of Hiroshima"
        roles["place"] = min(places, key=lambda m: (rank[m.kind], m.start)).entity_id
    if host:
        roles["host"] = host
    name = re.search(r"\b((?:\d+(?:st|nd|rd|th) )?(?:[A-Z][\w-]+[’']?\s){1,6}(?:Meeting|Summit|Dialogue|Conference))\b",
                     sent.text)  # "the ASEAN-India Defence Ministers' Informal Meeting"
    if name:
        roles["name"] = Text(re.sub(r"^(?:\d+(?:st|nd|rd|th) )", lambda x: x.group(0), name.group(1)))
    return [Candidate(relation, roles, sent.start, sent.end, 0.7, "meeting-trigger")]


SUM = rf"(?:{normalize.MONEY_IN_TEXT.pattern})"
"""An amount of money as the investment phrasings below write it ("$82 million", "A$3bn", "PLN 310
million", "600 million zlotys"): whatever `normalize.MONEY_IN_TEXT` finds, so that every phrasing
reads the same sums."""
HEDGED_SUM = rf"(?:about |nearly |almost |more than |over |some |up to |an additional |another |a further )?{SUM}"

SPEND_ON_PLANTS = re.compile(
    r"\b(?:spend|spends|spent|spending)\b[^.;]{0,40}?\b(?:on |to )?(?:build|building|expand|expanding|construct|"
    r"constructing|open|opening)\b[^.;]{0,40}?\b(?:plants?|factor(?:y|ies)|facilit(?:y|ies)|shipyards?|fabs?|campus)\b|"
    rf"\b(?:build|builds|building|open|opens|opening|construct|constructing)\s+an?\s+{SUM}"
    r"[^.;]{0,30}?\b(?:plant|factory|facility|shipyard|fab|campus|complex|hub|smelter|refinery|gigafactory|"
    r"data cent(?:er|re))\b|"
    rf"\b(?:pour|pours|poured|pouring|plough|ploughs|ploughed|plow|plows|plowed|channel|channels|channell?ed|put|puts|"
    rf"putting|inject|injects|injected|injecting|funnel|funnels|funnell?ed|pump|pumps|pumped|pumping)\s+{HEDGED_SUM}\s+"
    r"(?:of\s+(?:[\w-]+\s+){0,2}?(?:money|capital|funds?|investment)\s+)?into\b|"
    r"\b(?:allocated|allocates|allocate|earmarked|earmarks|earmark|set aside|funds?|funded|funding)\b[^.;]{0,40}?"
    r"\b(?:for|toward|towards|in|on)\s+(?:\w+\s+){0,2}?(?:infrastructure|construction|facilities|projects|improvements|upgrades)\b|"
    rf"\b(?:contribute|contributes|contributed|contributing)\s+{HEDGED_SUM}\s+(?:\w+\s+){{0,3}}?(?:to|toward|towards|into)\b|"
    rf"\b(?:provide|provides|provided|providing|grant|grants|granted|give|gives|gave)\s+{HEDGED_SUM}\b[^.;]{{0,60}}?"
    r"\b(?:for (?:the )?(?:construction|building|upgrad(?:e|es|ing)|expansion|rehabilitation|renovation|moderni[sz]ation)|"
    r"to (?:build|upgrade|expand|modernis?z?e|construct|renovate|rehabilitate|refurbish))\b|"
    rf"{SUM}\s+(?:[\w-]+\s+){{0,3}}?(?:plant|factory|facility|shipyard|fab|campus|complex|smelter|refinery|"
    r"gigafactory|mill|foundry|works|(?:data|research|R&D|logistics|maintenance)\s+cent(?:er|re)|hub)\s+(?:in|near)\b|"
    r"\b(?:runways?|barracks|facilit(?:y|ies)|plants?|factor(?:y|ies)|ports?|piers?|bases?|hangars?|warehouses?|"
    r"projects?|construction|upgrades?|expansion|renovation|shipyards?)\b[^.;]{0,60}?\b(?:funded|financed|bankrolled|"
    r"paid for)\s+(?:\w+\s+)?by\b|"
    rf"\b(?:pledged|pledges|pledge|committed|commits|commit|promised|promises|earmarked|earmarks)\s+{HEDGED_SUM}\s+"
    r"(?:[\w-]+\s+){0,2}?(?:to|for|toward|towards)\s+(?:(?:bolster|support|revive|rebuild|boost|strengthen|develop|"
    r"modernis?z?e|revitali[sz]e|expand)\s+)?(?:the\s+|its\s+)?(?:[\w.-]+\s+){0,3}?(?:sector|industry|industries|"
    r"shipbuilding|manufacturing|shipyards?|infrastructure)\b|"
    rf"\b(?:finance|finances|financed|financing|fund|funds|funded|funding|provide|provides|provided|providing)\s+"
    rf"{HEDGED_SUM}\s+(?:in|for)\s+(?:[\w-]+\s+){{0,3}}?(?:projects?|investments?|infrastructure|ventures?)\b|"
    rf"\b(?:spend|spends|spent|spending)\s+{HEDGED_SUM}\s+(?:over\s+(?:the\s+)?(?:next\s+)?[\w-]+\s+years?\s+)?"
    r"(?:to|on)\s+(?:boost|boosting|increase|increasing|expand|expanding|raise|raising|double|doubling|triple|"
    r"tripling|lift|lifting)\s+(?:its\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:output|capacity|production)\b|"
    rf"\b(?:recapitali[sz]ation|recapitali[sz]e[sd]?|capital injection|capital increase)\b|"
    rf"\b(?:allocated|allocates|allocate|earmarked|earmarks|injected|injects|inject)\s+{HEDGED_SUM}"
    r"(?:\s*\([^)]{0,40}\))?\s+(?:to|into|for)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){1,4}(?:[Pp]lant|[Ww]orks|"
    r"[Ss]hipyard|[Ff]actory|[Cc]ompany|[Gg]roup)\b|"
    rf"\b(?:spend|spends|spent|spending)\s+{HEDGED_SUM}\s+(?:over\s+(?:the\s+)?(?:next\s+)?[\w-]+\s+years?\s+)?"
    r"in\s+(?:the\s+)?(?:[A-Z]\w*\.?\s*){1,3}(?:over|by|through|during|in|$|[,.;])|"
    r"\b(?:spend|spends|spent|spending|allocated|allocates|allocate|earmarked|earmarks|earmark|set aside|committed|commits)"
    rf"\s+{HEDGED_SUM}\s+"
    r"(?:on |to |for |toward |towards )?(?:build|building|expand|expanding|upgrade|upgrading|improve|improving|modernis?z?e|"
    r"modernis?z?ing|construct|constructing|develop|developing|renovate|renovating|rehabilitate|rehabilitating|"
    r"refurbish|refurbishing)\b",
    re.IGNORECASE)
"""Money spent building plants or allocated to infrastructure is invested ("plans to spend $10
billion building factories in the United States", "will build a $2 billion plant", "allocated $82
million for infrastructure projects at the sites"); money spent on goods is a deal's."""


INVESTMENT_ANAPHOR = re.compile(r"\s*(?:This|The|That|Its|Their)\s+(?:(?:new|planned|total|initial|latest)\s+)?"
                               r"(?:(?:US|U\.S\.|A|C|NZ|HK|S)?[$€£¥₩][\d.,]+\s*(?:billion|million|trillion|bn|m)?|"
                               r"[\d.,]+\s+(?:billion|million|trillion))\s+(?:[\w-]+\s+)?investment\b")
"""An investment the sentence before told, now given its sum: "This $147 million investment"."""


SITE_JUST_TOLD = re.compile(r"\b[Tt]he\s+(?:new|planned|future|proposed)\s+(?:[\w-]+\s+)?(?:plant|factory|facility|"
                            r"shipyard|fab|smelter|refinery|mill|foundry|works)\b")
"""A site the sentences before named, its builder with it: "the new plant", "the planned factory"."""


CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas)\s+|;\s+")
"""Where a sentence that tells two investments turns to the second: "X said it would invest $14
billion, while Hyundai Motor announced plans to invest $7.4 billion in the U.S."."""


def investments(sent: Sentence, doc_text: str, article_date, ctx_company: str | None,  # noqa: ANN001
                ctx_state: tuple[str, int] | None = None, acting_for: dict | None = None,
                state_of=None, recent_states: list[str] | None = None) -> list[Candidate]:  # noqa: ANN001
    """Each investment of the sentence: one per clause that names its own sum and says it is
    invested (see `one_investment`); a clause that names no place takes the place another clause
    of the sentence names, and every one quotes the whole sentence."""
    cuts = [0] + [m.end() for m in CLAUSE_BREAK.finditer(sent.text)] + [len(sent.text) + 1]
    clauses = [sent.text[a:b] for a, b in zip(cuts, cuts[1:])]
    if len(clauses) < 2 or sum(1 for c in clauses if normalize.MONEY_IN_TEXT.search(c) and
                               re.search(r"(?i)\binvest", c)) < 2:
        return one_investment(sent, doc_text, article_date, ctx_company, ctx_state, acting_for, state_of,
                              recent_states)
    found: list[Candidate] = []
    for a, b in zip(cuts, cuts[1:]):
        b = min(b, len(sent.text))
        part = Sentence(sent.span, sent.start + a, sent.start + b, sent.text[a:b],
                        [m for m in sent.mentions if sent.start + a <= m.start and m.end <= sent.start + b],
                        sent.tokens, sent.lowers, sent.lemmas, sent.ents, sent.body)
        for c in one_investment(part, doc_text, article_date, ctx_company, ctx_state, acting_for, state_of,
                                recent_states):
            c.start, c.end = min(c.start, sent.start), sent.end
            found.append(c)
    places = [c.roles["location"] for c in found if "location" in c.roles]
    for c in found:
        if places and "location" not in c.roles and places[0] != c.roles["investor"]:
            c.roles["location"] = places[0]
    return found


def one_investment(sent: Sentence, doc_text: str, article_date, ctx_company: str | None,  # noqa: ANN001
                   ctx_state: tuple[str, int] | None = None, acting_for: dict | None = None,
                   state_of=None, recent_states: list[str] | None = None) -> list[Candidate]:  # noqa: ANN001
    """Who invests how much where; "the company" is the company named last, "the kingdom" the
    state the sentences just before named (`ctx_state`: its id and where that sentence starts,
    where the evidence then starts). Money goes into a state: "to expand the port in Darwin"
    invests in Australia (`state_of` maps the city's ISO code to the state's id); "at the five
    sites", "at the base", named in no sentence of its own, lie in the state the story just named
    other than the investor (`recent_states`, nearest first)."""
    start, rule = sent.start, "invest-money"
    if not re.search(r"\binvest(?:s|ed|ing|ment|ments)?\b", _outside_names(sent), re.IGNORECASE) and \
            not INVESTS_IN.search(sent.text) and \
            not SPEND_ON_PLANTS.search(sent.text):
        return []
    money = normalize.MONEY_IN_TEXT.search(sent.text)
    if not money:
        return _invests_in(sent, state_of)
    raised = re.match(r"\s+to\s+(?:about\s+|nearly\s+|almost\s+|around\s+|roughly\s+|more than\s+|over\s+)?",
                      sent.text[money.end():])
    if raised and re.search(r"\bfrom\s+$", sent.text[:money.start()]):
        # "increase its investments from $600 billion to nearly $1 trillion": the sum it comes to
        money = normalize.MONEY_IN_TEXT.search(sent.text, money.end() + raised.end()) or money
    from .gazetteer import gazetteer

    bodies = [m for m in sent.of_kind(*ORGS) if not gazetteer().is_media(m.text)]  # "(Reuters)" only reports
    named_first = [m for m in bodies if m.start < sent.start + money.start()]
    # a body named after the money ("..., as part of the AUKUS pact") invests only if no state is named before it
    anaphor = INVESTMENT_ANAPHOR.match(sent.text) is not None and not named_first and ctx_company is not None
    if anaphor:  # "This $147 million investment is critical to supporting Qcells plans": the investment just told,
        bodies = []  # not one by the body named after the sum
        investors_told = [ctx_company]
        rule = "invest-money+anaphor"
    elif not named_first and ctx_company and re.match(r"\s*(?:It|They)\s+(?:\w+\s+){0,3}?invest", sent.text):
        bodies = []  # "They will invest 2.7 trillion won in the plant via their joint venture Ultium Cells":
        investors_told = [ctx_company]  # the company the story is about, not the vehicle named after the sum
    else:
        investors_told = []
    investors = investors_told or [m.entity_id for m in named_first or (bodies if not any(
        m.end <= sent.start + money.start() for m in sent.of_kind("Country")) else [])]
    if not investors and re.search(r"\bthe (company|firm|group)\b", sent.text, re.IGNORECASE) and ctx_company:
        investors = [ctx_company]
    if not investors:  # "Korean investment in the US": the adjective's state invests, the "in" state receives
        investors = [m.entity_id for m in sent.of_kind("Country")
                     if re.match(r"\s+investments?\s+in\s+(?:the\s+)?[A-Z]", doc_text[m.end:m.end + 30])][:1]
    if not investors:  # a state invests: the one named nearest before the amount, else just after it
        at = sent.start + money.start()
        states = [m for m in sent.of_kind("Country")
                  if (not re.search(r"\b(?:in|to|into|at|with)\s+(?:the\s+)?$", doc_text[max(0, m.start - 9):m.start])
                      or (m.label == "NORP" and re.match(r"\s+investments?\b", doc_text[m.end:m.end + 14])))
                  and not (m.label == "GPE" and re.match(r"\s+investments?\b", doc_text[m.end:m.end + 14]))]
        # ("$600 billion in Saudi investment commitments": the adjective's state invests, "in" or not)
        # ("his country's US investment": the US receives it; "Korean investment": Korea makes it)
        before = [m for m in states if m.end <= at]
        after = [m for m in states if m.start > at]
        investors = [m.entity_id for m in (before[-1:] or after[:1])]
    if not investors and re.search(r"\bthe (company|firm|group)\b", sent.text, re.IGNORECASE) and ctx_company:
        investors = [ctx_company]
    site = SITE_JUST_TOLD.search(sent.text)
    if not investors and site and ctx_company:  # "X broke ground on a plant. With an investment of EUR 180
        investors = [ctx_company]  # million, the new plant will ...": the company the story just named builds it
    if not investors and acting_for:  # "Mohammed bin Salman pledged $600 billion": the leader's state
        investors = [acting_for[m.entity_id] for m in sent.of_kind("Person") if m.entity_id in acting_for][:1]
    if not investors and re.search(r"\b[Tt]he (?:kingdom|emirate|island nation|country|nation)\b", sent.text) and ctx_state:
        investors = [ctx_state[0]]  # "The kingdom announced investment commitments of $600 billion"
        start, rule = ctx_state[1], "invest-money+context"
    if not investors:
        return []
    agency = next((m for m in sent.of_kind("GovernmentAgency") if m.entity_id == investors[0]), None)
    if agency is not None and state_of is not None and (code := gazetteer().country_acting_for(agency.text)):
        investors = [state_of(code) or investors[0]]  # "The Pentagon plans to invest": its state's money
    roles: dict[str, object] = {"investor": investors[0]}
    try:
        roles["value"] = normalize.parse_money(money.group(0))
    except ValueError:
        return []

    def state(mention: Mention) -> str | None:
        return state_of_place(mention, state_of)

    into = [m for m in sent.of_kind("Country", "City", "Region")
            if re.search(r"\b(?:in|to|into|at)\s+(?:the\s+|an?\s+(?:new\s+|major\s+|planned\s+)?)?"
                         r"(?:(?:north|south|east|west)(?:ern)?\s+)?$",
                         doc_text[max(0, m.start - 22):m.start]) or re.match(r"\s+investments?\b", doc_text[m.end:m.end + 14])]
    owners = {m.entity_id for m in sent.of_kind("Country") if doc_text[m.end:m.end + 2] in ("'s", "’s")}
    # "Saudi Arabia's sovereign wealth fund ... will invest $5 billion in a new U.S. project": the fund's
    # own state is not where the money goes
    where = _qualified_places(into, doc_text, state, sent.of_kind("Country", "City", "Region", "Place"))
    places = [p for p in where if p != investors[0]] or ([] if where else [
        p for m in sent.of_kind("Country", "City", "Region") if (p := state(m)) != investors[0] and p not in owners])
    # (every place the money goes into lies in the investor's own state: a domestic investment, no "location")
    if not places and recent_states and (UNNAMED_SITE.search(sent.text) or site):
        places = [s for s in recent_states if s != investors[0]][:1]
        rule = rule if not places else rule + "+site"
    if places:
        roles["location"] = places[0]
    return [Candidate("Investment", roles, start, sent.end, 0.7 if rule == "invest-money" else 0.5, rule)]


def state_of_place(mention: Mention, state_of) -> str | None:  # noqa: ANN001 - callable(code) -> id
    """Money goes to a state: a city's ("Taylor, Texas"), a province's ("its Kentucky factory",
    "in Arizona")."""
    from .gazetteer import gazetteer

    if state_of is None or mention.kind not in ("City", "Region"):
        return mention.entity_id
    city = gazetteer().city(mention.text) if mention.kind == "City" else None
    code = city.country_code if city is not None else gazetteer().province(re.sub(r"^the\s+", "", mention.text))
    return (state_of(code) or mention.entity_id) if code else mention.entity_id


def _outside_names(sent: Sentence) -> str:
    """The sentence with the names it mentions blanked: "the European Investment Bank will lend"
    names a bank; it says nothing about investing."""
    text = sent.text
    for m in sent.mentions:
        if sent.start <= m.start and m.end <= sent.end:
            text = text[:m.start - sent.start] + " " * (m.end - m.start) + text[m.end - sent.start:]
    return text


def _qualified_places(into: list[Mention], doc_text: str, state, places: list[Mention] = ()) -> list[str]:  # noqa: ANN001
    """The states the money goes into, each place read with the place that follows it and says
    where it lies: "in the Henderson shipyard in Western Australia" is in Australia, whatever
    other Henderson the gazetteer knows first; "in Ellabell, Georgia" is in Georgia, though no
    "in" stands before it (`places`: every place the sentence names)."""
    ordered = sorted({m.start: m for m in [*into, *places]}.values(), key=lambda m: m.start)
    found = []
    for mention in sorted(into, key=lambda m: m.start):
        where = mention
        while True:
            later = next((m for m in ordered if m.start >= where.end), None)
            if later is None or not re.fullmatch(r"[^,.;]{0,40}?(?:\s+in|,)\s+(?:the\s+)?(?:state of\s+)?",
                                                 doc_text[where.end:later.start]):
                break
            where = later  # the place after it says where it lies
        found.append(state(where))
    return list(dict.fromkeys(p for p in found if p))


INVESTS_IN = re.compile(r"\binvest(?:s|ed|ing)?\s+(?:\w+ly\s+|more\s+)?in\b|\binvestments?\s+in\b|"
                        r"\b(?:is|was|remains|remained|became|has become|had become)\s+(?:now\s+)?(?:the|a|an|its)\s+"
                        r"(?:[\w-]+\s+){0,3}?investors?\s+in\b")
"""'invested in', 'investment in', and an investor named so: "is the largest foreign investor in Vietnam"."""


def _invests_in(sent: Sentence, state_of=None) -> list[Candidate]:  # noqa: ANN001 - callable(code) -> id
    """An investment the sentence gives no sum for: "Samsung Heavy Industries signed an agreement
    to invest in Vigor Marine Group's shipyards in the US": who invests is the company (or state)
    named before the verb, where is the place named after it, in a state other than the investor's."""
    verb = INVESTS_IN.search(sent.text)
    if verb is None:
        return []
    at = sent.start + verb.start()
    investor = next((m for m in reversed(sent.of_kind("Company", "Country")) if m.end <= at and not re.search(
        r"\b(?:in|into|near|to|at)\s+(?:the\s+)?$", sent.text[:m.start - sent.start])), None)  # not "in Poland"
    if investor is None:
        return []
    placed = [m for m in sent.of_kind("Country", "Region", "City")
              if re.search(r"\b(?:in|into|near|outside)\s+(?:the\s+)?$", sent.text[:m.start - sent.start])]
    # after the verb first ("investing in a new plant near Poznan"), else where the sentence puts the
    # work ("localize production in Poland, investing in ...")
    for mention in [m for m in placed if m.start > at] + [m for m in placed if m.start <= at]:
        place = state_of_place(mention, state_of)
        if place and place != investor.entity_id:
            return [Candidate("Investment", {"investor": investor.entity_id, "location": place},
                              sent.start, sent.end, 0.5, "invest-in")]
    return []


UNNAMED_SITE = re.compile(r"\b(?:at|in|on|for)\s+(?:the|its|their|these|those|both)\s+(?:[\w-]+\s+){0,3}?"
                          r"(?:sites?|bases?|facilit(?:y|ies)|ports?|airfields?|shipyards?|country|nation|"
                          r"plants?|factor(?:y|ies))\b")
"""A place the sentence refers to without naming it: "at the existing five EDCA sites"."""


def alliances(sent: Sentence, doc_text: str, article_date, lookup=None) -> list[Candidate]:  # noqa: ANN001
    """'the US-Korea alliance', 'the alliance between X and Y', 'X and Y ... their alliance'."""
    match = re.search(r"\balliance\b", sent.text)
    if not match or re.search(r"\bjoin(?:s|ed|ing)? the alliance\b|\b(?:membership|accession|bid to join|admission)\b"
                              r"[^.;]{0,40}\balliance\b|\bnon-NATO all|\balliance[’']s\s+(?:\w+\s+)?members?\b|"
                              r"\bmembers? of the alliance\b", sent.text, re.IGNORECASE):
        return []  # "ratified Sweden's membership of the alliance", "Finland and Sweden, the alliance's newest
        # members": members of one alliance, not allies of each other
    members: list[str] = []
    compound = re.search(r"([\w.]+(?: [A-Z]\w+)?)-((?:[A-Z][\w.]*)(?: [A-Z]\w+)?)\s+(?:\w+\s+)?alliance", sent.text)
    if compound and lookup is not None:
        members = [m for m in (lookup(compound.group(1)), lookup(compound.group(2))) if m]
    if len(members) < 2:
        window_start = sent.start + max(0, match.start() - 140)
        window_end = sent.start + match.end() + (160 if re.search(r"\balliances?\b[^.]{0,80}\bbetween\b",
                                                                   sent.text[match.start():]) else 60)
        members = list(dict.fromkeys(m.entity_id for m in sent.of_kind("Country")
                                     if window_start <= m.start < window_end and
                                     (not re.search(r"(tensions?|threats?|against|from|with) (an? |the )?(\w+ )?$",
                                                    doc_text[max(0, m.start - 30):m.start]) or
                                      re.search(r"\balliance with (?:the )?$", doc_text[max(0, m.start - 30):m.start]))))
        # ("its alliance with Manila": the one the alliance is with; "tensions with China": no ally)
    if len(members) < 2:
        return []
    named = [m for m in sent.of_kind("Country") if m.entity_id in members]
    listed = next((named[:n] for n in range(len(named), 2, -1) if listed_together(doc_text, named[:n])), [])
    kept = list(dict.fromkeys(m.entity_id for m in listed)) if len({m.entity_id for m in listed}) > 2 else members[:2]
    # ("the alliance announced by Australia, the UK and the US": all three listed)
    roles: dict[str, object] = {"members": tuple(sorted(kept))}
    since = re.search(r"\b(?:forged|formed|founded|established|signed)\b[^.]*?\bin (\d{4})\b", sent.text)
    if since:
        roles["since"] = YearValue(int(since.group(1)), since.group(1))
    return [Candidate("Alliance", roles, sent.start, sent.end, 0.6, "alliance-members")]




def names_a_force(name: str) -> bool:
    """Is this 'name' of an exercise the force that holds or leads it ("Navy", "Marine Corps-led")?"""
    from .gazetteer import gazetteer

    plain = re.sub(r"^(?:[Tt]he)\s+|-led$", "", name.strip())
    return name.strip().endswith("-led") or gazetteer().kind_of_name(plain) == "MilitaryUnit" or \
        getattr(gazetteer().organization(plain), "type", None) == "MilitaryUnit"


def exercises(sent: Sentence, doc_text: str, article_date, exercise_names: list[tuple[int, int, str]]) -> list[Candidate]:  # noqa: ANN001
    found = []
    for start, end, name in exercise_names:
        if re.search(r"\b(?:Agreement|Treaty|Accord|Declaration|Armistice|War|Crisis|Revolution|Olympics|Games|"
                     r"Pandemic)\b", name):
            continue  # "the Korean Armistice Agreement", "its largest exercise since the Cold War": no exercise
        if "\n" in name.strip() or name.strip().lower() in triggers.words("generic_exercise"):
            continue  # a headline's "Drills": a word, not a name
        if names_a_force(name):
            continue  # "a Marine Corps-led exercise", "the Navy exercise": who holds it, not its name
        if sent.start <= start < sent.end:
            roles: dict[str, object] = {"name": Text(re.sub(r"^[Tt]he\s+", "", name))}  # "the Ulchi Freedom Shield"
            verb = re.search(r"\b(extend|resum|conduct|hold|held|launch|stag|cancel|suspend|postpon)\w*", sent.text)
            if verb:
                roles["outcome"] = Text({"extend": "extended", "resum": "resumed", "cancel": "cancelled",
                                         "suspend": "suspended", "postpon": "postponed"}.get(verb.group(1),
                                                                                             "held"))
            found.append(Candidate("MilitaryExercise", roles, sent.start, sent.end, 0.7, "exercise-name"))
    return found


def _who_launched(sent: Sentence, at: int, launchers: list[Mention], before: list[Mention]) -> Mention | None:
    """Who a launch word at char `at` says launched: the subject of "fired"/"launched" ("it"
    stands for the state named last before), the owner of "launch(es)" ("North Korea's
    launch", "North Korean missile launches"). A state that only reports, condemns or answers a
    launch ("Japan condemned the missile launch") launched nothing."""
    token = next((t for t in sent.tokens if t.idx <= at < t.idx + len(t.text)), None)
    if token is None:
        return before[-1] if before else None

    def named(t) -> Mention | None:  # noqa: ANN001
        return next((m for m in launchers if t is not None and m.start <= t.idx < m.end), None)

    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        subject = subject_of(token)
        if subject is not None and subject.pos_ == "PRON":
            return before[-1] if before else None
        return named(subject) if subject is not None else None
    heads = [token] + [c for c in token.children if c.dep_ == "compound"]
    if token.dep_ == "compound":  # "missile test": the word found was the modifier
        heads.append(token.head)
    for head in heads:
        for child in head.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and (found := named(child)) is not None:
                return found
    noun = token.head if token.dep_ == "compound" else token
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in ("conduct", "carry", "stage", "make", "perform"):
        subject = subject_of(noun.head)  # "North Korea conducted a missile launch"
        if subject is not None and subject.pos_ == "PRON":
            return before[-1] if before else None
        return named(subject) if subject is not None else None
    return None


def launches(sent: Sentence, doc_text: str, article_date) -> list[Candidate]:  # noqa: ANN001
    """'North Korea's launch of an intercontinental ballistic missile last night, as well as
    additional missile launches today': one launch per mention, each with its own date."""
    found = []
    launchers = sent.of_kind("Country", "Organization", "MilitaryUnit")
    for match in re.finditer(r"\b(?:(?P<pre>[Mm]issile|[Rr]ocket)s? )?(?:launch(?:es|ed|ing)?|fired|fires|firing|"
                             r"test-fired|test-fires|test-launched|tested|tests?|testing)\b(?: off\b)?"
                             r"(?: of)?(?: an?| the| several| two| three| four| multiple| \d+| its)?\b"
                             r"(?P<what>(?: [\w-]+){0,5}? (?:projectile(?: (?:believed|thought|suspected|presumed) to be"
                             r" (?:an? )?(?:[\w-]+ ){0,3}missile)?|missile|rocket|ICBM|SLBM|IRBM|SRBM|MRBM)s?)?",
                             sent.text):
        if re.fullmatch(r"(?i).*\bthe (?:missile|rocket|projectile)s?", match.group(0)):
            continue  # "the North launched the projectile from ...": the launch just told, told again
        if not (match.group("pre") or match.group("what")):
            continue
        if match.group(0).lower().startswith("test") and not match.group("what"):
            continue  # "tests" alone: a nuclear test, a test of resolve
        at = sent.start + match.start()
        if re.search(r"\b(?:launches|tests)\b", match.group(0)) and \
                re.search(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,3}$", doc_text[max(sent.start, at - 40):at]):
            continue  # "24 ballistic missile launches last year": a tally, not one launch
        if re.match(r"\s+(?:since|in (?:more than |nearly |over )?(?:a|\w+) (?:weeks?|months?|years?))\b",
                    doc_text[sent.start + match.end():sent.start + match.end() + 40]):
            continue  # "its first ballistic missile launch since March 27": the launch just told, not another
        agent = re.match(r"\s*by\s+(?:the\s+)?", doc_text[sent.start + match.end():sent.start + match.end() + 12])
        by = [m for m in launchers if agent and m.start == sent.start + match.end() + agent.end()]
        before = [m for m in launchers if m.start <= at and
                  not re.search(r"\b(?:against|toward|towards|over|near|from|of)\s+(?:the\s+)?$",
                                doc_text[max(0, m.start - 12):m.start])]
        word = re.search(r"launch|fire|firing", match.group(0), re.IGNORECASE) or \
            re.search(r"test", match.group(0), re.IGNORECASE)
        right_before = [m for m in before if re.fullmatch(r"\s{0,2}", doc_text[m.end:at])]  # "Pyongyang test-fired"
        launcher = by[-1] if by else right_before[-1] if right_before else \
            _who_launched(sent, sent.start + match.start() + (word.start() if word else 0), launchers, before) or \
            (found[-1].roles["launcher"] if found else None)  # "X's launch of ..., as well as additional launches"
        if launcher is None:  # "detected the launch of a ballistic missile from the Pyongyang area": fired from its soil
            end = sent.start + match.end()
            launcher = next((m for m in sent.of_kind("Country") if end <= m.start <= end + 40 and re.search(
                r"\bfrom\s+(?:the\s+)?$", doc_text[max(0, m.start - 10):m.start])), None)
        if launcher is None:
            continue
        if isinstance(launcher, str):
            launcher = next(m for m in launchers if m.entity_id == launcher)
        roles: dict[str, object] = {"launcher": launcher.entity_id}
        what = (match.group("what") or "").strip()
        what = re.sub(r"^(?:.*\b(?:of|and)\s+)", "", what)  # "dozens of drones and missiles"
        what = re.sub(r"^(?:(?:more|fewer) than|over|about|nearly|some|at least|up to)?\s*"
                      r"(?:\d[\d,]*|one|two|three|four|five|six|several|multiple)\s+", "", what)
        what = re.sub(r"^what (?:it|they|officials|the \w+) (?:believed|believes|believe|assessed|assesses|called|"
                      r"calls|described as|suspected|suspects)(?: to be| was| were| is)?\s+", "", what)
        # ("fired off what it believed was an IRBM": what was fired)
        what = re.sub(r"^(?:(?:continental|new|additional|successfully|an?|the|huge|large|big|massive|latest|"
                      r"powerful|advanced|so-called|apparent|suspected|possible|presumed|likely)\s+)+", "", what)
        what = re.sub(r"(missile|rocket|projectile|ICBM|SLBM|IRBM|SRBM|MRBM)s$", r"\1", what)
        what = re.sub(r"^(?:unidentified |unknown )?projectile (?:believed|thought|suspected|presumed) to be (?:an? )?",
                      "", what)  # "a projectile believed to be a ballistic missile": what it is believed to be
        if what and what not in ("missile", "rocket", "projectile", "unidentified projectile"):
            roles["missile"] = Text(what)
        for ent in sent.ents:
            just_before = ent.label_ in ("DATE", "TIME") and 0 <= sent.start + match.start() - ent.end_char <= 2
            # "North Korea on Tuesday fired ...", "The North last Thursday fired ..."
            if just_before or ent.label_ in ("DATE", "TIME") and \
                    sent.start + match.end() <= ent.start_char <= sent.start + match.end() + 90 \
                    and not re.search(r"\b(?:said|says|reported|reports|told|announced|added|noted|since|after|"
                                      r"before|until)\b|[;:]", doc_text[sent.start + match.end():ent.start_char]):
                # "fired a missile from the east coast city of Wonsan towards the east on Saturday morning";
                # but "..., the JCS said on Monday" is when it was told, and "... since Trump took office in
                # January" another event's date
                weekday = WEEKDAY.fullmatch(ent.text.strip().lower())
                if weekday and article_date is not None and not re.search(r"\b(?:will|plans?|planned|could)\b",
                                                                            sent.text[:match.start()]):
                    roles["date"] = _weekday_before(ent.text, weekday.group(1), article_date)  # a launch is reported after it
                    break
                try:
                    value = normalize.resolve_date(ent.text, article_date)
                except ValueError:
                    continue
                if value.value is not None:
                    roles["date"] = value
                    break
        found.append(Candidate("MissileLaunch", roles, sent.start, sent.end, 0.7, "launch-missile"))
    return found


def facilities(sent: Sentence, doc_text: str, article_date, ctx_company: str | None,  # noqa: ANN001
               state_of=None) -> list[Candidate]:  # noqa: ANN001 - callable(code) -> id
    """'X will establish a robotics facility in the US with an annual capacity of 30,000 units', 'is set to
    open a factory producing gun barrels in Britain'."""
    match = re.search(r"\b(?:establish|build|open|construct|set(?:s|ting)? up|launch)\w*\s+(?:a|an|the|its|their)\s+"
                      r"(?:[\w-]+\s+)*?(?P<item>(?:\w+\s+)?(?:facility|plant|factory|centre|center|hub|shipyard)|"
                      r"(?:production|manufacturing|assembly|maintenance|repair) (?:base|line|site)|joint venture)"
                      r"\b(?:\s+(?:(?:to|that will|which will)\s+(?:produce|build|make|assemble|manufacture)|"
                      r"producing|making|building|assembling|manufacturing)\s+[^.;]{0,60}?|"
                      r"\s+for\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?[\w-]+)?\s+in\b", sent.text)
    if not match:
        return []
    investors = [m.entity_id for m in reversed(sent.of_kind(*ORGS)) if m.start - sent.start < match.start()] or \
        ([ctx_company] if ctx_company and re.search(r"\b(the company|it)\b", sent.text[:match.start()]) else [])
    # (the body nearest the verb builds: "Qcells announced that its supplier, HAGA, will build a plant")
    after = [m for m in sent.of_kind("Country", "City", "Region") if m.start - sent.start > match.start()]
    places = [p for p in _qualified_places(after[:1], doc_text, lambda m: state_of_place(m, state_of), after)
              if p not in investors[:1]]  # "in Bartow County, Georgia": in the US
    if not investors:
        return []
    roles: dict[str, object] = {"investor": investors[0], "item": Text(match.group("item"))}
    if places:
        roles["location"] = places[0]
    money = normalize.MONEY_IN_TEXT.search(sent.text)
    if money:  # "will build an ammunition plant in Lithuania worth 300 million euros"
        try:
            roles["value"] = normalize.parse_money(money.group(0))
        except ValueError:
            pass
    capacity = re.search(r"capacity of ([\d,]+ \w+)", sent.text)
    if capacity:
        try:
            roles["quantity"] = normalize.parse_quantity(capacity.group(1))
        except ValueError:
            pass
    return [Candidate("Investment", roles, sent.start, sent.end, 0.65, "build-facility")]


def valued_later(previous: Candidate | None, invested: list[Candidate]) -> list[Candidate]:
    """An investment the sentences just before told without a sum, given it now ("This $147 million
    investment"): the earlier fact, valued, its evidence running to this sentence."""
    if previous is None or "value" in previous.roles:
        return invested
    result = []
    for c in invested:
        if "+anaphor" in c.rule:  # "This ... investment": the one just told, whoever makes it
            previous.roles["value"] = c.roles["value"]
            previous.end = c.end
            result.append(previous)
        else:
            result.append(c)
    return result


def told_once(built: list[Candidate], invested: list[Candidate]) -> list[Candidate]:
    """The facilities a sentence says are built that its investment does not already tell: "will
    build an ammunition plant in Lithuania, investing 180 million euros" is one investment, the
    plant its item."""
    kept = []
    for facility in built:
        same = next((c for c in invested if c.roles.get("investor") == facility.roles.get("investor")), None)
        if same is None:
            kept.append(facility)
            continue
        same.roles.setdefault("item", facility.roles["item"])
        for role in ("location", "quantity"):
            if role in facility.roles:
                same.roles.setdefault(role, facility.roles[role])
    return kept


def listed_together(body: str, mentions: list[Mention]) -> bool:
    """Do the mentions (in text order) make one list, "X and Y", "X, Y and Z", "Austin and South
    Korean Defense Minister Lee": only commas, one "and" and a few title words between them?"""
    return len(mentions) >= 2 and " and " in f" {body[mentions[0].end:mentions[-1].start]} " and all(
        re.fullmatch(r"\s*(?:,\s*)?(?:and\s+)?(?:[\w.’'-]+\s+){0,5}?", body[a.end:b.start])
        for a, b in zip(mentions, mentions[1:]))


LEADING_WHEN = re.compile(r"^(?:(?:earlier|later|also)\s+)?(?:on|last|this|late|early|earlier)\s+(?:on\s+)?"
                          r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|morning|"
                          r"afternoon|evening|night)(?:\s+(?:morning|afternoon|evening|night))?\s*,?\s+(?=\w)")
"""When the report was made, which the parser may hang on the words reported ("said on Wednesday
he appreciated ..."): no part of them."""
STATED_NOUNS = {"message", "position", "view", "stance", "assurance", "commitment", "pledge", "belief", "warning"}
"""Nouns of what someone says: "reiterated the message that ..." reports a statement."""


def reported_speech(sent: Sentence, doc_text: str, speaker_of, speaker_kind) -> list[Candidate]:  # noqa: ANN001
    """'Lee said deterrence must remain at the forefront': the clause a reporting verb governs."""
    found = []
    if any(start < sent.start < end for start, end in _quotations(doc_text)):
        return found  # a sentence inside someone's quotation is their words, not a report
    for token in sent.tokens:
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or not (lemma in ("say", "stress", "emphasize", "add", "announce", "state", "insist",
                                                  "note", "reiterate", "warn", "tell", "assert", "claim", "post",
                                                  "write", "tweet", "repeat", "argue", "explain", "acknowledge",
                                                  "underscore", "highlight", "emphasise") or
                                        lemma == "point" and any(c.lower_ == "out" for c in token.children)):
            continue
        clauses = [c for c in token.children if c.dep_ == "ccomp"] or [
            # "reiterated the president's message that ...": the clause of what was said
            c for o in token.children if o.dep_ == "dobj" and o.lemma_.lower() in STATED_NOUNS
            for c in o.children if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children)]
        subjects = [c for c in token.children if c.dep_ in ("nsubj",)]
        if not subjects and token.dep_ == "advcl" and token.tag_ == "VBG" and lemma == "say":
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]  # "X agreed, saying that ..."
        if not subjects and token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]  # "X welcomed the move and said ..."
        if not subjects and token.dep_ == "xcomp" and lemma == "say" and token.head.lemma_.lower() in ("go", "continue"):
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]  # "He went on to say that ..."
        if not subjects:  # "X, speaking to reporters, said ...": the parser gave the subject to the aside
            subjects = [c for a in token.children if a.dep_ == "advcl" and a.i < token.i
                        for c in a.children if c.dep_ == "nsubj" and c.i < a.i]
        if not clauses or not subjects:
            continue
        clause = clauses[0]
        if clause.left_edge.i < token.i and clause.left_edge.tag_ in ("WDT", "WP"):
            continue  # "..., which he said was the alliance's raison d'etre": said of a thing named before
        span = sent.span.doc[clause.left_edge.i:clause.right_edge.i + 1]
        if any(qs < span.start_char < qe and qe > sent.end for qs, qe in _quotations(doc_text)):
            continue  # 'X noted, "We mark 15 years. We remember ...': a quotation running on, the quote rule's
        if span[-1].dep_ == "cc":  # "X said A and B": the parser hung B on the reporting verb
            more = next((c for c in token.children if c.dep_ in ("conj", "ccomp") and c.i > span.end), None)
            subject = next((c for c in more.children if c.dep_ in ("nsubj", "nsubjpass")), None) if more else None
            if more is not None and subject is not None and subject.ent_type_ != "PERSON" and \
                    subject.lower_ not in ("he", "she", "they", "i", "we"):
                span = sent.span.doc[span.start:more.right_edge.i + 1]
            else:
                span = span[:-1]
        text = span.text
        quoted = sum(len(q) for q in re.findall(r"[“\"][^”\"]*[”\"]|''[^']+''", text))
        if ("“" in text or "”" in text or '"' in text or "''" in text) and (quoted == 0 or quoted > len(text) / 2) or \
                len(text.split()) < 4:
            continue  # words mostly quoted are the quotation's; a few quoted in a report are the report's
        text = re.sub(r"^that\s+", "", LEADING_WHEN.sub("", text)).strip().rstrip(".,;:")
        speakers = []
        for subject in subjects:
            for word in [subject, *subject.conjuncts]:
                phrase = sent.span.doc[word.left_edge.i:word.i + 1].text
                entity = speaker_of(phrase, word.idx)
                named = next((a for a in word.children if a.dep_ == "appos"), None)
                if (entity is None or speaker_kind(entity) != "Person") and named is not None:
                    # "Japan's top spokesman, Chief Cabinet Secretary X, said": the name set off by commas
                    entity = speaker_of(sent.span.doc[named.left_edge.i:named.i + 1].text, named.left_edge.idx)
                if entity and speaker_kind(entity) == "Person":
                    speakers.append(entity)  # a body's or company's report is told by its deal or event
            lo, hi = subject.left_edge.idx, subject.idx + len(subject)
            named = [m for m in sent.of_kind("Person") if lo <= m.start < hi]
            if listed_together(sent.body, named):
                speakers += [m.entity_id for m in named]  # "Austin and South Korean Defense Minister Lee said ..."
        for speaker in dict.fromkeys(speakers):
            found.append(Candidate("Statement", {"speaker": speaker, "text": Text(text)}, sent.start, sent.end,
                                   0.6, "reported-speech"))
    according = ACCORDING_TO.match(sent.text) or ACCORDING_TO_AFTER.match(sent.text)
    if according and not any(q in according.group("words") for q in "“”\""):
        at = sent.start + according.start("who")
        who = next((w for w in (speaker_of(according.group("who"), at),
                                speaker_of(re.sub(r"\s+of\s+.*$", "", according.group("who")), at))
                    if w and speaker_kind(w) in SPEAKING_KINDS), None)
        # ("According to Vice Admiral X of the Indian Navy, ...": the person, not the force he serves)
        if who and len(according.group("words").split()) >= 4:
            words = according.group("words").strip().rstrip(".,;:")
            found.append(Candidate("Statement", {"speaker": who, "text": Text(words)}, sent.start, sent.end,
                                   0.6, "according-to"))
    return found


SPEAKING_KINDS = ("Person", "GovernmentAgency")
"""Who a report says something "according to": people, and the bodies of a government."""
_WHO = (r"(?P<who>(?:the )?[A-Z][\w.’'-]*(?: (?:[A-Z][\w.’'-]*|spokes(?:man|woman|person)|minister|secretary|"
        r"chief|president|ambassador|adviser|advisor|director|commander|official)){0,6}"
        r"(?: of (?:the )?[A-Z][\w.’'-]*(?: [\w.’'-]+){0,4}?)?)")
ACCORDING_TO = re.compile(rf"^\W*According to {_WHO},\s+(?P<words>.+)$")
ACCORDING_TO_AFTER = re.compile(rf"^(?P<words>.+?),\s+according to {_WHO}\W*$")
"""'According to Rutte, the alliance must ...', '..., according to the Pentagon.'"""


def memberships(sent: Sentence, doc_text: str, article_date) -> list[Candidate]:  # noqa: ANN001
    """'Sweden’s NATO accession', 'Finland’s membership', 'Hungary, the remaining NATO member',
    'Sweden and Finland submitted their membership applications'."""
    found = []
    orgs = sent.of_kind("Organization")
    if not orgs and not re.search(r"\b(membership|accession|member)\b", sent.text):
        return []
    for m in sent.of_kind("Country"):
        after = doc_text[m.end:m.end + 60]
        status = None
        if re.match(r"[’']s (?:bid for )?(?:[A-Z]\w+ )?(?:membership|accession) (?:bid|application|request|hopes)\b",
                    after):
            status = "aspirant"  # "Sweden's NATO membership bid": it asks to join
        elif re.match(r"[’']s (?:bid for )?(?:[A-Z]\w+ )?(membership|accession)", after):
            status = "accession" if "accession" in after[:40] or re.search(
                r"\b(?:protocols?|ratif\w+)\b", after) else "member"  # "Sweden's NATO membership protocol ... ratified"
        elif re.match(r", the (?:remaining |newest |\w+ )?[A-Z]\w+ member", after):
            status = "member"
        elif re.match(r"[’']s (?:aspiration|bid|application|request) to join", after):
            status = "aspirant"
        elif re.search(r"\baccessions? of (?:(?:the\s+)?[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?(?:,\s+|\s+and\s+))*(?:the\s+)?$",
                       doc_text[max(sent.start, m.start - 80):m.start]):
            status = "accession"  # "the accessions of Sweden and Finland": each state's
        if status is None:
            continue
        org = next((o.entity_id for o in orgs if o.start >= m.end and o.start - m.end <= 60), None) or \
            next((o.entity_id for o in orgs), None)
        if org:
            found.append(Candidate("Membership", {"member": m.entity_id, "organization": org, "status": Text(status)},
                                   sent.start, sent.end, 0.6, "country-membership"))
    return found


def based_in(sent: Sentence, doc_text: str, article_date) -> list[Candidate]:  # noqa: ANN001
    found = []
    for m in sent.of_kind(*ORGS):
        before = doc_text[max(sent.start, m.start - 40):m.start]
        based = re.search(r"([A-Z][\w.]*(?: [A-Z][\w.]*)?)-based\s+$", before)
        possessive = None
        for other in sent.of_kind("Country"):
            if 0 <= m.start - other.end <= 3 and doc_text[other.end:m.start].strip() in ("’s", "'s"):
                possessive = other
        if based:
            place_text = based.group(1)
            place = next((o.entity_id for o in sent.of_kind("Country", "City")
                          if place_text in o.text or o.text in place_text), None)
            if place:
                found.append(Candidate("BasedIn", {"organization": m.entity_id, "place": place},
                                       m.start - len(based.group(0)) - len(before) + len(before), m.end, 0.8, "x-based"))
        elif possessive is not None and m.kind == "Company":
            found.append(Candidate("BasedIn", {"organization": m.entity_id, "place": possessive.entity_id},
                                   possessive.start, m.end, 0.6, "country-possessive"))
    return found


def visits(sent: Sentence, doc_text: str, article_date, last_person: str | None) -> list[Candidate]:  # noqa: ANN001
    match = re.search(r"\b(visit(?:s|ed|ing)?|state visit|trip to)\b", sent.text)
    if not match:
        return []
    hosted = re.search(r"\bhost(?:s|ed|ing)?\b", sent.text)
    if hosted:
        guests = [m for m in sent.of_kind("Person") if m.start - sent.start > hosted.end()]
        at = [m for m in sent.of_kind("GovernmentAgency", "City", "Country")
              if doc_text[max(0, m.start - 8):m.start].lower().endswith(("at the ", "at ", "in "))]
        if guests and at:
            roles = {"visitor": guests[0].entity_id, "place": at[0].entity_id}
            date = _dates(sent, article_date)
            if date is not None:
                roles["date"] = date
            return [Candidate("Visit", roles, sent.start, sent.end, 0.65, "hosted-at")]
    found = []
    own = re.search(r"\b(?:his|her|their)\s+(?P<place>[\w.]+(?: [A-Z]\w+)?)\s+(?:state |official )?visit\b", sent.text)
    if own and last_person:
        place = next((m.entity_id for m in sent.of_kind("Country", "City")
                      if own.start("place") <= m.start - sent.start < own.end("place")), None)
        if place:
            found.append(Candidate("Visit", {"visitor": last_person, "place": place}, sent.start, sent.end, 0.6,
                                   "possessive-visit"))
    of = re.search(r"\bvisit of (?:the )?(?P<who>.+?) to (?:the )?(?P<where>[\w -]+?)\b(?: in| on| earlier| last|[.,]|$)",
                   sent.text)
    if of:
        visitor = next((m.entity_id for m in sent.of_kind("Person", "Vessel", *ORGS)
                        if of.start("who") <= m.start - sent.start < of.end("who")), None)
        place = next((m.entity_id for m in sent.of_kind("Country", "City", "Region", "GovernmentAgency")
                      if of.start("where") <= m.start - sent.start < of.end("where") + 1), None)
        if visitor and place:
            roles = {"visitor": visitor, "place": place}
            date = _dates(sent, article_date)
            if date is not None:
                roles["date"] = date
            found.append(Candidate("Visit", roles, sent.start, sent.end, 0.6, "visit-of-to"))
    return found


SPEAKING_BODIES = (r"(?:command|agency|ministry|department|council|company|firm|group|manufacturer|maker|"
                   r"shipbuilder|carmaker|automaker|contractor|alliance|bloc|pact|grouping)")
"""A body a quotation is credited to by its kind ('"...," the command said', 'the South Korean firm said')."""
SPEAKING_BODY_WORDS = frozenset(SPEAKING_BODIES.strip("(?:)").split("|"))
LEAD = re.compile(r"(?<![\w.’'-])([Tt]he (?:[A-Z][\w.’'-]*\s)?(?:[a-z]+\s)?" + SPEAKER_TITLES +
                  r"|[Tt]he (?:[\w.’'-]+\s){0,3}?" + SPEAKING_BODIES + r"|(?:[A-Z][\w.’'-]*\s?){1,5}|[Hh]e|[Ss]he)\s+(?:\w+\s+){0,3}?(said|says|stated|told|added|"
                  r"reiterated|emphasized|emphasised|stressed|calling|called|describing|described|welcomed|"
                  r"referred to|blasted|branded|exclaimed|remarked|pointed out|continued|saying|noting|noted|"
                  r"underscored|underlined)\b[^“\"]*$")
"""A speaker and a reporting verb before a quotation in the same line: 'Austin said: "..."'."""
NAMING = re.compile(r"\b(?:so-called|dubbed|nicknamed|codenamed|code-named|named|titled|entitled|known as|"
                    r"calls itself|call themselves)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
"""Words before a quotation that make it a name ('the so-called "Iron Brigade"'), not a statement."""
QUOTE_RE = re.compile(r"“([^”\"\n]{2,1500})\"(?=[\s,.;:)]|$)|“([^”]{2,1500})”|\"([^\"\n]{2,1500})\"|\"([^\"”\n]{2,1500})”|"
                      r"(?<![\w'])''(?=[A-Za-z])([^\n]{2,1500}?)''(?![\w'])|"
                      r"(?<=[\s,:])\"([^\"\n]{2,1500}[.!?])(?=\n+\")")
"""A quotation: curly or straight quotes, the mixed pairs copy-editing leaves ('“... dialogue," he
said'), two apostrophes for each mark, as typewritten copy has them ("said Balikatan
''embodies the deep spirit ...''"), and a paragraph of quoted words left open because the
quotation goes on in the next paragraph, which opens its marks again (news style)."""


def _a_title(words: str) -> bool:
    """Are the quoted words a name in title case ("Comprehensive Strategic Partnership Treaty"),
    not a sentence: two words or more, each capitalised but the small words title case keeps low?"""
    tokens = re.findall(r"[\w’'-]+", words)
    return len(tokens) >= 2 and tokens[0][:1].isupper() and \
        all(t[:1].isupper() or t[:1].isdigit() or t in TITLE_CASE_LOWER for t in tokens) and \
        not any(t in ("I", "We", "You", "It", "This", "That") for t in tokens)


@lru_cache(maxsize=8)
def _quotations(doc_text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in QUOTE_RE.finditer(doc_text))





def statements(doc, doc_text: str, body_start: int, resolve_speaker, kind_of=None) -> list[Candidate]:  # noqa: ANN001
    """Quoted words with a speaker: '“…,” Austin said', 'X said: “…”', 'calling Y a "…"'."""
    found = []
    for match in QUOTE_RE.finditer(doc_text):
        words = next(g for g in match.groups() if g).strip()
        words_clean = re.sub(r"^that\s+(?=\w+\s+\w+)", "", re.sub(r"[,.]$", "", words).strip())  # '"that we are not alone"'
        if not words_clean:
            continue
        start, end = match.start(), match.end()
        after = doc_text[end:end + 120].split("\n")[0]
        before_line = doc_text[max(0, start - 200):start].split("\n")[-1]
        if NAMING.search(before_line) and len(words_clean.split()) <= 5:
            continue  # 'the so-called "Iron Brigade"', 'dubbed "Operation X"': a name, said by nobody
        if _a_title(words_clean) and (len(words_clean.split()) <= 6 or re.search(r"\b(?:a|an|the)\s*$", before_line)):
            continue  # 'signed a "Comprehensive Strategic Partnership Treaty"': a name in quotation marks
        speaker_text, span_end, span_start = None, end, start
        tail = re.match(r"\s*,?\s*(?:(?P<a>(?:the\s+)?(?:[A-Z][\w.’'-]*\s){0,6}(?:spokes(?:man|woman|person)|"
                        r"official|minister|secretary|commander|chief|director|ambassador|president)\s+"
                        r"(?:(?:1st|2nd|3rd)\s+)?(?:[A-Z][\w.’'-]*\s?){1,5}|"  # "III MEF spokesman 2nd Lt. X"
                        r"(?:the\s+)?(?:[A-Z][\w.’'-]*\s?){1,6}(?:\([A-Z]{2,6}\)\s?)?|he|she|they|it|"
                        r"the\s+(?:[\w-]+\s+){0,2}?(?:" + SPEAKER_TITLES + "|" + SPEAKING_BODIES +
                        r"))\s+(?:has\s+|had\s+)?(?P<v>said|says|told|stated|added|"
                        r"wrote|noted|insisted|declared|warned|stressed|emphasized|emphasised|explained|"
                        r"pointed out|asserted|remarked|cautioned|urged|replied|(?:was|is) quoted as saying)|"
                        r"(?P<v2>said|says|told|added|stressed|remarked|exclaimed|noted|declared|stated|warned|"
                        r"emphasized|emphasised|insisted|explained)\s+(?P<b>(?:[A-Z][\w.’'-]*\s?){1,6})|"
                        r"(?:an?|the)\s+(?:\w+\s+)?(?:release|statement|communiqu[eé]|readout)\s+(?:from|by|of)\s+"
                        r"(?P<d>(?:the\s+)?(?:[A-Z][\w.’'-]*\s?){1,6})\s*(?:read|reads|said|says|stated)\b|"
                        r"according to\s+(?P<c>(?:the\s+)?(?:[A-Z][\w.’'-]*\s?){1,6}(?:[’']s\s+(?:[A-Z][\w.’'-]*\s?){1,4})?)"
                        r"(?=[\s,.;]|$))",  # '... "strategic waterways", according to China's Defence Ministry'
                        after)
        if tail:
            speaker_text = (tail.group("a") or tail.group("b") or tail.group("c") or tail.group("d") or "").strip()
            # ('"...," a release from the Prime Minister's Office read': the office speaks)
            # the end of the sentence, not the full stop of "U.S." ('"...," the minister told U.S. troops')
            sentence_end = re.search(r"(?<!\b[A-Z])[.!?](?=\s|$)", doc_text[end + tail.end():end + tail.end() + 200])
            span_end = end + tail.end() + (sentence_end.end() if sentence_end else 0)
        else:
            # the speaker of an earlier sentence of the line keeps the quotation ('Rutte said. The alliance
            # is "rock solid"'), unless the words before it make it a name (`NAMING`)
            lead = LEAD.search(before_line)
            if lead:
                speaker_text = lead.group(1).strip()
                span_start = start - len(before_line) + lead.start()
                sentence_end = re.search(r"[.!?](?=\s|$)|$", doc_text[end:end + 200].split("\n")[0])
                # a quotation that ends its own sentence ('... he said: "We will."') ends the evidence
                span_end = end if re.search(r"[.!?]$", words) else end + (sentence_end.end() if sentence_end else 0)
            else:
                subject = _reporting_subject(doc, start)
                if subject is not None:
                    speaker_text, span_start = subject
        if not speaker_text and found and re.fullmatch(r"[\s”\"]*", doc_text[found[-1].end:start]) and \
                re.fullmatch(r"[A-Z]", words_clean[:1]):
            # '"...," said Inhwan Kim, CEO of HAGA. "Building ... ."': the next sentence of the same speaker's words
            found.append(Candidate("Statement", {"speaker": found[-1].roles["speaker"], "text": Text(words_clean)},
                                   start, end, 0.65, "quote-speaker"))
            continue
        if not speaker_text:
            continue
        if len(words_clean.split()) < 2 and not tail and speaker_text is None:
            continue
        previous = found[-1].roles["speaker"] if found and start - found[-1].end <= 400 else None
        speaker = previous if speaker_text.lower() == "it" and previous is not None and kind_of is not None and \
            kind_of(previous) not in (None, "Person") else resolve_speaker(speaker_text, start)
        # ('"...," the agency said. "...," it said': the body quoted just before)
        if speaker is None:
            continue
        found.append(Candidate("Statement", {"speaker": speaker, "text": Text(words_clean)},
                               min(span_start, start), max(span_end, end), 0.8 if tail else 0.65, "quote-speaker"))
    return found


def _reporting_subject(doc, char: int):  # noqa: ANN001, ANN202
    """The subject of the reporting verb of the sentence holding `char` (a dependency pattern)."""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            for token in sent:
                if token.lemma_.lower() in REPORTING_VERBS and token.i < doc.char_span(char, char + 1, alignment_mode="expand")[0].i:
                    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
                    if not subjects and token.dep_ in ("advcl", "xcomp", "conj") and token.head is not None:
                        subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
                    if subjects:
                        head = subjects[0]
                        known = re.search(r"\bknown as (?:the )?([A-Z][\w-]+(?: [A-Z][\w-]+)*)",
                                          doc[head.left_edge.i:head.right_edge.i + 1].text)
                        if known:  # "India, the US, Australia and Japan, a group known as Quad, pledged": the group
                            return known.group(1), sent.start_char
                        if head.conjuncts:
                            return None  # states or people listed say it together: no one of them alone
                        names = [c.i for c in head.children if c.dep_ in ("compound", "flat") and c.i < head.i]
                        if head.pos_ == "NOUN" and head.lower_ in SPEAKING_BODY_WORDS:
                            names = [head.left_edge.i]  # "the South Korean firm said": the firm, with its words
                        span = doc[min(names + [head.i]):head.i + 1]
                        return span.text, sent.start_char
    return None


def pairs(items: list[str]) -> list[tuple[str, str]]:
    return list(combinations(sorted(set(items)), 2))
