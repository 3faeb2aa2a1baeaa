"""General English lexicon for alliance news: titles, demonyms, trigger words.

Nothing here names an entity of a particular article; these are the words any news report
about alliances uses.
"""

from __future__ import annotations

import re

TITLES = {
    # written form (lower case) -> canonical title
    "president": "President", "prime minister": "Prime Minister", "premier": "Prime Minister",
    "chancellor": "Chancellor", "king": "King", "queen": "Queen", "leader": "Leader",
    "supreme leader": "Leader", "defense minister": "Defense Minister", "defence minister": "Defense Minister",
    "minister of defense": "Defense Minister", "minister of defence": "Defense Minister",
    "defense secretary": "Secretary of Defense", "defence secretary": "Secretary of Defense",
    "secretary of defense": "Secretary of Defense", "secretary of state": "Secretary of State",
    "foreign minister": "Foreign Minister", "secretary general": "Secretary General",
    "secretary-general": "Secretary General", "spokesman": "Spokesperson", "spokeswoman": "Spokesperson",
    "spokesperson": "Spokesperson", "national security adviser": "National Security Adviser",
    "vice president": "Vice President", "ambassador": "Ambassador", "general": "General",
    "admiral": "Admiral", "chairman": "Chairman", "chair": "Chairman", "chairwoman": "Chairman", "chairperson": "Chairman", "ceo": "CEO", "chief executive": "CEO",
    "general secretary": "General Secretary", "party general secretary": "General Secretary",
    "national security advisor": "National Security Adviser", "deputy prime minister": "Deputy Prime Minister",
    "foreign secretary": "Foreign Minister", "foreign affairs minister": "Foreign Minister",
    "minister of foreign affairs": "Foreign Minister", "foreign affairs secretary": "Foreign Minister",
    "secretary of foreign affairs": "Foreign Minister", "secretary for foreign affairs": "Foreign Minister", "minister for foreign affairs": "Foreign Minister",
    "minister for defence": "Defense Minister", "minister for defense": "Defense Minister",
    "minister of national defense": "Defense Minister", "minister of national defence": "Defense Minister",
    "secretary of national defense": "Defense Minister", "secretary of national defence": "Defense Minister",
    "defense chief": "Defense Minister", "defence chief": "Defense Minister", "crown prince": "Crown Prince",
    "chief of staff": "Chief of Staff", "commander": "Commander", "air force secretary": "Secretary of the Air Force",
    "secretary of the air force": "Secretary of the Air Force", "press secretary": "Press Secretary",
    "secretary of defence": "Secretary of Defense", "undersecretary": "Undersecretary",
    "under secretary": "Undersecretary", "defense undersecretary": "Defense Undersecretary",
    "defence undersecretary": "Defense Undersecretary", "deputy secretary": "Deputy Secretary",
    "assistant secretary": "Assistant Secretary", "deputy defense minister": "Deputy Defense Minister",
    "deputy defence minister": "Deputy Defense Minister", "vice foreign minister": "Vice Foreign Minister",
    "pm": "Prime Minister", "emperor": "Emperor", "governor": "Governor", "senator": "Senator", "envoy": "Envoy",
    "secretary of war": "Secretary of War", "war secretary": "Secretary of War",
    "vice prime minister": "Deputy Prime Minister", "vice-prime minister": "Deputy Prime Minister",
    "chief cabinet secretary": "Chief Cabinet Secretary", "finance minister": "Finance Minister",
    "external affairs minister": "Foreign Minister", "minister of external affairs": "Foreign Minister",
    "minister for external affairs": "Foreign Minister", "home minister": "Interior Minister",
    "defence secretary of state": "Secretary of Defense", "secretary of state for defence": "Secretary of Defense",
    "trade minister": "Trade Minister", "commerce secretary": "Secretary of Commerce",
    "secretary of commerce": "Secretary of Commerce", "treasury secretary": "Secretary of the Treasury",
    "secretary of the treasury": "Secretary of the Treasury", "trade representative": "Trade Representative",
    "navy secretary": "Secretary of the Navy", "secretary of the navy": "Secretary of the Navy",
    "army secretary": "Secretary of the Army", "secretary of the army": "Secretary of the Army",
    "chairman of the joint chiefs of staff": "Chairman of the Joint Chiefs of Staff",
    "joint chiefs chairman": "Chairman of the Joint Chiefs of Staff", "industry minister": "Industry Minister",
    "interior minister": "Interior Minister", "national security minister": "National Security Minister",
    "top diplomat": "Foreign Minister", "chief diplomat": "Foreign Minister", "pentagon chief": "Secretary of Defense",
    "chief": "Chief", "head": "Head",
    "air chief marshal": "Air Chief Marshal", "air marshal": "Air Marshal", "air vice marshal": "Air Vice Marshal",
    "chief of joint operations": "Chief of Joint Operations", "chief of naval operations": "Chief of Naval Operations",
    "chief of the defence force": "Chief of the Defence Force", "chief of defence force": "Chief of the Defence Force",
    "chief of the defence staff": "Chief of the Defence Staff", "chief of defence staff": "Chief of the Defence Staff",
    "chief of the general staff": "Chief of the General Staff", "chief of general staff": "Chief of the General Staff",
    "chief of army staff": "Chief of Army Staff", "chief of the army staff": "Chief of Army Staff",
    "chief of the naval staff": "Chief of the Naval Staff", "chief of naval staff": "Chief of the Naval Staff",
    "chief of the air staff": "Chief of the Air Staff", "chief of air staff": "Chief of the Air Staff",
}
RANKS = ("principal deputy", "deputy", "vice", "assistant", "acting", "associate")
"""Words that make another office of a minister's or secretary's title ("Assistant Foreign
Minister" is not the Foreign Minister); "Acting" keeps the office but says so. Matched as an
optional word before any title (one alternation of ~130 titles, not ~400 ranked copies: the title
pattern runs over every article), read back by `TITLES` itself."""


class _Titles(dict):
    """Written title -> canonical title; a rank before a title ("assistant foreign minister",
    "acting president") is the ranked office ("Assistant Foreign Minister")."""

    def __missing__(self, written: str) -> str:
        for rank in RANKS:
            if written.startswith(rank + " "):
                base = written[len(rank) + 1:]
                if base in self:
                    return f"{rank.title()} {self[base]}"
        raise KeyError(written)


TITLES = _Titles(TITLES)
TITLE_PATTERN = "(?:(?:" + "|".join(RANKS) + r")\s+)?(?:" + \
    "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + ")"
"""Every title as a regular-expression alternation, longest first ("secretary general" before
"secretary"): the one pattern the rules that look for titles share."""
SPEAKER_TITLES = (r"(?:president|prime minister|chancellor|secretary general|secretary|minister|leader|"
                  r"crown prince|premier|pm|spokesperson|spokesman|spokeswoman|ambassador)")
"""Lower-case titles a report names a speaker by ("the Pentagon spokesperson said", "the PM"):
one alternation for the quote rule and for finding who holds the title."""
COURTESY_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Sir", "Hon", "Shri", "Smt", "Shrimati")  # not "Sri": a given name too
"""Courtesy titles written before a name ("Mr. Shinzo Abe", "Shri Pranab Mukherjee"): no part of the
name or of a post; NER often stops at the word after them."""
COURTESY_PATTERN = r"(?:" + "|".join(COURTESY_TITLES) + r"|H\.\s?E)\.?"
"""The same as a regular expression, with "H.E." ("His Excellency"), optionally followed by a full stop."""
NAME_ABBREVIATIONS = frozenset({*COURTESY_TITLES, "Gen", "Lt", "Col", "Maj", "Capt", "Adm", "Sgt", "Cmdr", "Cpl",
                                "Pvt", "Brig", "Gov", "Sen", "Rep", "Prof", "Rev", "Amb", "Hon"})
"""Abbreviated titles and ranks that stand before a name: their full stop ends no sentence ("signed
by Hon. Juan Santos")."""
HEAD_OF_STATE_TITLES = {"President", "Prime Minister", "Chancellor", "King", "Queen", "Leader", "General Secretary"}
"""Titles of those who lead a state; a ruling party's General Secretary leads Vietnam and China."""

DEMONYMS = {
    "american": "United States", "us": "United States", "u.s.": "United States",
    "south korean": "South Korea", "korean": "South Korea", "north korean": "North Korea",
    "japanese": "Japan", "chinese": "China", "russian": "Russia", "ukrainian": "Ukraine",
    "turkish": "Turkey", "swedish": "Sweden", "finnish": "Finland", "british": "United Kingdom",
    "french": "France", "german": "Germany", "australian": "Australia", "canadian": "Canada",
    "indian": "India", "philippine": "Philippines", "filipino": "Philippines", "polish": "Poland",
    "hungarian": "Hungary", "lithuanian": "Lithuania", "taiwanese": "Taiwan", "italian": "Italy",
    "norwegian": "Norway", "dutch": "Netherlands", "spanish": "Spain",
}

REPORTING_VERBS = {
    "say", "tell", "state", "add", "call", "reiterate", "emphasize", "emphasise", "stress", "insist",
    "declare", "note", "warn", "argue", "describe", "welcome", "affirm", "announce", "underline",
    "underscore", "express", "claim", "remark", "explain", "write", "pledge", "vow",
}
MEETING_WORDS = {"meet", "met", "meeting", "talks", "summit", "host", "hosted", "held"}
TITLE_WORDS_FOR_PRONOUNS = {"the secretary": "Person", "the minister": "Person", "the president": "Person",
                            "the company": "Company", "the firm": "Company", "the group": "Company"}
TITLE_CASE_LOWER = frozenset({"a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by",
                              "with", "from", "as", "vs", "via", "per", "into", "over"})
"""The short words title case leaves in lower case; any other lower-case word makes a sentence."""
