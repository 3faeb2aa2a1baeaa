"""The extraction pipeline: articles -> spaCy docs -> resolved mentions -> candidate facts.

`extract_facts` is the `Extractor` that `kg build` plugs in. Every parsed fact carries its
evidence: the sentence span and quote exactly as in the body, the component and version that
produced it, and a confidence. New entities the articles name are added to the registry so the
graph can describe them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from decimal import Decimal

from ..gcpause import collect_young
from ..evidence import context, find_mentions
from ..registry import Registry, normalise_name
from ..relations import RELATIONS, RoleKind
from ..types import Article, DateValue, Entity, Evidence, Fact, Method, Quantity, Span
from . import agreements, deals, events, triggers
from . import relations as rules
from .gazetteer import WATERS_OF as gazetteer_WATERS_OF
from .gazetteer import gazetteer, ship_name
from .lexicon import COURTESY_TITLES, HEAD_OF_STATE_TITLES, RANKS, SPEAKER_TITLES, TITLE_CASE_LOWER, TITLE_PATTERN, TITLES
from .provinces import provinces_read
from .resolve import ArticleContext, Resolver, state_body
from .sentence import Candidate, Mention, Sentence
from .tables import common_word, dictionary_word
from ..vocab import slug

VERSION = "0.1"
COMPONENT = f"akg_relations.v1/{VERSION}"
SPACY_TYPES = {"Person": "PERSON", "Country": "GPE", "City": "GPE", "Region": "LOC", "Company": "ORG",
               "Organization": "ORG", "GovernmentAgency": "ORG", "MilitaryUnit": "ORG", "Vessel": "PRODUCT"}
MENTION_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT"}


def build_nlp(registry: Registry):  # noqa: ANN201 - a spacy Language
    """The model plus the project's components, the ruler filled from the registry."""
    import warnings

    warnings.filterwarnings("ignore", message=r"\[W036\]")  # an empty registry gives the ruler no patterns
    from . import registrations  # noqa: F401 - registers the factories
    from .model import load_model

    nlp = load_model()
    fingerprint = registry_fingerprint(registry)
    if _FILLED.get(id(nlp)) == fingerprint:
        return nlp  # the ruler holds this registry's names already (`prepare_parse` filled it)
    _FILLED[id(nlp)] = fingerprint
    if "akg_entity_ruler" not in nlp.pipe_names:
        _split_em_dashes(nlp)
        _keep_title_abbreviations(nlp)
        nlp.add_pipe("akg_line_breaks_v1", name="akg_line_breaks", before="parser")
        ruler = nlp.add_pipe("akg_entity_ruler_v1", name="akg_entity_ruler", after="ner")
        _add_names(nlp, ruler, ruler_patterns(registry))
        nlp.add_pipe("akg_geographic_features_v1", name="akg_geographic_features", after="akg_entity_ruler")
        nlp.add_pipe("akg_place_suffix_v1", name="akg_place_suffix", after="akg_geographic_features")
        nlp.add_pipe("akg_known_names_v1", name="akg_known_names", after="akg_place_suffix")
        nlp.add_pipe("akg_exercise_names_v1", name="akg_exercise_names", after="akg_known_names")
        nlp.add_pipe("akg_org_names_v1", name="akg_org_names", after="akg_exercise_names")
        nlp.add_pipe("akg_titled_names_v1", name="akg_titled_names", after="akg_org_names")
        nlp.add_pipe("akg_particle_names_v1", name="akg_particle_names", after="akg_titled_names")
    else:
        ruler = nlp.get_pipe("akg_entity_ruler")
        ruler.clear()
        _add_names(nlp, ruler, ruler_patterns(registry))
    return nlp


_FILLED: dict[int, str] = {}
"""The fingerprint of the registry whose names each model's ruler holds (by the model's id: one
model per process), so a second `build_nlp` with the same registry adds no pattern again."""


def prepare_parse(registry: Registry) -> None:
    """Everything a parse with `registry` loads before its first article: the model, its
    components and the ruler's names, the gazetteer's tables. Run ahead in a process of its own by
    an incremental build (`offload.Ahead`), where it is most of the time of adding an article."""
    from .gazetteer import gazetteer

    build_nlp(registry)
    gazetteer()
    gazetteer().city("")  # the lazy tables of the first look-ups


def _keep_title_abbreviations(nlp) -> None:  # noqa: ANN001 - a spaCy Language
    """An abbreviated title before a name is one token with its full stop, as "Mr." and "Gen."
    already are: the tokenizer split "Hon." in two and the parser then ended the sentence at the
    stop ("signed by Hon. | Juan Santos, Secretary of National Defense"), losing the signer."""
    from spacy.symbols import ORTH

    from .lexicon import NAME_ABBREVIATIONS

    for word in sorted(NAME_ABBREVIATIONS):
        if len(nlp.tokenizer(word + ".")) > 1:
            nlp.tokenizer.add_special_case(word + ".", [{ORTH: word + "."}])


def _split_em_dashes(nlp) -> None:  # noqa: ANN001 - a spaCy Language
    """An em dash between two words is a token of its own: wire datelines ("TOKYO (Jiji Press)—North
    Korea fired") and AP-style asides write it without spaces, and the model's tokenizer left
    "Press)—North" one word, so the state that fired was never named; typewriter copy writes the
    dash as two hyphens ("(Jiji Press)--Japanese Defense Minister"). The en dash of "US–Japan"
    stays inside its compound."""
    from spacy.util import compile_infix_regex

    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, r"—", r"(?<=[\w)])--(?=[A-Za-z])",
                                                        r"\)(?=—|--)"]).finditer


def _add_names(nlp, ruler, patterns: list[dict]) -> None:  # noqa: ANN001 - a spaCy Language and EntityRuler
    """Fill a ruler matched on LOWER: spaCy would run the tagger, parser and NER over every name
    to make its pattern; the tokenizer alone gives what LOWER matches."""
    with nlp.select_pipes(disable=nlp.pipe_names):
        ruler.add_patterns(patterns)


def ruler_patterns(registry: Registry) -> list[dict]:
    """The registry's names for the ruler, each also without the full stops of its initials
    ("U.S. Forces Korea" is written "US Forces Korea" too; the model alone splits it)."""
    from ..registry import undotted

    patterns = []
    for entity in registry:
        for name in sorted({entity.label, *entity.aliases, *(undotted(n) for n in (entity.label, *entity.aliases))}):
            if len(name) < 2:
                continue
            patterns.append({"label": SPACY_TYPES.get(entity.type, "ORG"), "pattern": name, "id": entity.id})
    return patterns


def _listed_with_states(ent) -> bool:  # noqa: ANN001 - a spaCy span
    """Is the name joined by "and" or a comma to a place the model tagged GPE ("Australia and
    Vanuatu signed")? Then a country's name is the country, whatever label the model gave it."""
    root = ent.root
    joined = [*root.conjuncts] + ([root.head] if root.dep_ == "conj" else [])
    return any(t.ent_type_ == "GPE" for t in joined)


def _given_name(token) -> bool:  # noqa: ANN001 - a spaCy token
    """A capitalised proper noun no entity holds and no English word: a name the model left out."""
    return token.pos_ == "PROPN" and token.is_title and token.is_alpha and not token.ent_type_ and \
        not common_word(token.text) and not dictionary_word(token.text)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def extract_article(doc, article: Article, resolver: Resolver) -> list[Fact]:  # noqa: ANN001 - a spacy Doc
    body = article.body
    ctx = ArticleContext()
    sentences: list[Sentence] = []
    person_positions: list[tuple[int, str]] = []
    acting: list[tuple[int, str]] = []  # people the text made the subject of a clause, in order
    running_positions: list[Candidate] = []
    exercise_names: list[tuple[int, int, str]] = []
    here: str | None = None  # the place the first sentence's dateline names: where "arrived here" arrived
    all_ents = list(doc.ents)
    provinces = provinces_read(body, all_ents)  # "Savannah, Georgia": the US state all through the story
    # names the article gives an exercise anywhere ("Talisman Sabre exercise", "Balikatan drills"):
    # the same name alone elsewhere ("during Balikatan") is the exercise, not an entity
    exercised = {e.text.removeprefix("the ").removeprefix("The ") for e in all_ents
                 if not e.ent_id_ and EXERCISE_AFTER_NAME.match(body, e.end_char)} | \
        {e.text for e in all_ents if e.label_ == "EVENT" and not e.ent_id_}
    if events.EXERCISE_WORDS_ANY.search(body):  # "Talisman Sabre drills", NER's "Talisman" an organisation
        exercised |= {name for m in events.EXERCISE.finditer(body) if (name := next((g for g in m.groups() if g), None))
                      and " " in name and not events.names_a_force(name) and not gazetteer().country(name)}
    exercised |= {name.split()[0] for name in exercised if " " in name and not common_word(name.split()[0])}
    # "Pistorius stated ..." before "Boris Pistorius" is named: the surname of the one full name it ends
    surnames: dict[str, set[str]] = {}
    for e in all_ents:
        if e.label_ == "PERSON" and len(e) >= 2 and not e.ent_id_ and e[-1].is_title:
            surnames.setdefault(e[-1].text, set()).add(e.text)
    full_name_of = {last: next(iter(names)) for last, names in surnames.items() if len(names) == 1}
    all_tokens = list(doc)
    speakers = _transcript_speakers(body, resolver, ctx)  # (where their words start, who), in order
    at = 0
    for sent in doc.sents:
        while at < len(all_ents) and all_ents[at].start < sent.start:
            at += 1
        inside = []
        while at < len(all_ents) and all_ents[at].end <= sent.end:
            inside.append(all_ents[at])
            at += 1
        tokens = tuple(all_tokens[sent.start:sent.end])
        start_char, end_char = sent.start_char, sent.end_char
        s = Sentence(sent, start_char, end_char, body[start_char:end_char],
                           tokens=tokens, lowers=frozenset(t.lower_ for t in tokens),
                           lemmas=frozenset(t.lemma_.lower() for t in tokens), ents=tuple(inside), body=body)
        headline = _is_headline(sent, tokens)
        for ent in inside:
            if ent.label_ == "EVENT" and re.search(r"exercise|drill", s.text, re.IGNORECASE):
                exercise_names.append((ent.start_char, ent.end_char, ent.text))
                continue
            if ent.label_ not in MENTION_LABELS:
                continue
            if ent.label_ == "PERSON" and not ent.ent_id_ and ent[0].text.rstrip(".") in COURTESY_TITLES and \
                    ent.end < len(doc) and doc[ent.end].pos_ == "PROPN" and doc[ent.end].is_title and \
                    not doc[ent.end].ent_type_:
                # "Defence Minister Shri Pranab Mukherjee": NER stopped at the given name; the family name follows
                ent = doc.char_span(ent.start_char, doc[ent.end].idx + len(doc[ent.end]), label="PERSON") or ent
            if not ent.ent_id_ and ent.label_ == "PERSON" and body[ent.start_char - 1:ent.start_char] == "(" and \
                    WIRE_CREDIT_AFTER.match(body, ent.end_char) and not gazetteer().country(ent.text):
                ent = doc.char_span(ent.start_char, ent.end_char, label="ORG") or ent
                # "Seoul, Sept. 8 (Jiji Press)--": the wire service credited in a dateline, no person
            if not ent.ent_id_ and ent.label_ in ("ORG", "GPE", "NORP", "LOC", "FAC") and len(ent) > 1 and \
                    ent[-1].is_lower and ent[-1].is_alpha and ent[-1].pos_ == "NOUN" and not ent[-2].is_lower and \
                    not gazetteer().organization(ent.text):
                # "the European Union days after": a name ends at its last capitalised word ("SK hynix" is
                # written so)
                ent = doc.char_span(ent.start_char, ent[-2].idx + len(ent[-2]), label=ent.label_) or ent
            lead = ent[0].lower_ == "the"
            if ent.label_ == "PERSON" and not ent.ent_id_ and len(ent) >= 2 + lead and (lead or ent.start > 0) and \
                    not ship_name(ent.text) and \
                    (lead or doc[ent.start - 1].lower_ == "the" or doc[ent.start - 1].lower_ in VESSEL_WORDS) and \
                    (ent.end == len(doc) or not doc[ent.end].is_alpha or
                     doc[ent.end].pos_ in ("VERB", "AUX", "ADP", "CCONJ")):
                # "boarded the Theodore Roosevelt", "the carrier Theodore Roosevelt": a person's name after
                # "the" or a kind of ship is a ship named for them
                named = ent[1:].text if lead else ent.text
                vessel = next((e.id for e in resolver.new.values() if e.type == "Vessel" and
                               e.label.endswith(" " + named)), None)
                if vessel is not None:
                    s.mentions.append(Mention(ent.start_char, ent.end_char, ent.text, "PRODUCT", vessel, "Vessel"))
                continue
            if len(ent) == 1 and not ent.ent_id_ and ent.text in full_name_of and \
                    ent.label_ in ("ORG", "GPE", "NORP", "LOC", "PERSON", "FAC") and \
                    not gazetteer().organization(ent.text) and not gazetteer().country(ent.text) and \
                    not gazetteer().city(ent.text):
                person = resolver.resolve(full_name_of[ent.text], "PERSON", ctx)
                if person is not None:
                    s.mentions.append(Mention(ent.start_char, ent.end_char, ent.text, "PERSON", person, "Person"))
                    person_positions.append((ent.start_char, person))
                    continue
            if not ent.ent_id_ and re.match(r"[ -]class\b", body[ent.end_char:ent.end_char + 7]):
                continue  # "Virginia class submarines", "the Arleigh Burke-class destroyer": a class of ship
            if len(ent) > 1 and ent[-1].tag_ == "POS":
                # "Saudi Arabia's investment": NER took the possessive in; the name ends before it
                ent = doc.char_span(ent.start_char, ent[-2].idx + len(ent[-2]), label=ent.label_, kb_id=ent.kb_id_,
                                    span_id=ent.ent_id_) or ent
            if not ent.ent_id_ and (EXERCISE_AFTER_NAME.match(body, ent.end_char) or ent.text in exercised) and \
                    not gazetteer().country(ent.text) and not gazetteer().organization(ent.text) and \
                    not gazetteer().city(ent.text):
                continue  # "the Balikatan exercises": the exercise's name, no entity
            if ent.label_ == "ORG" and not ent.ent_id_ and len(ent) > 1 and ent[-1].lower_ == "of":
                # "the Group of Seven": NER stops at "of"; the known body with the words after it, else nothing
                longer = next((span for size in (3, 2, 1) if (span := doc[ent.start:min(len(doc), ent.end + size)])
                               and gazetteer().organization(span.text)), None)
                if longer is None:
                    continue
                ent = doc.char_span(longer.start_char, longer.end_char, label="ORG") or ent
            if ent.label_ == "PERSON" and not ent.ent_id_ and _listed_with_states(ent) and gazetteer().country(ent.text):
                ent = doc.char_span(ent.start_char, ent.end_char, label="GPE") or ent  # "Australia and Vanuatu"
            if headline and ent.label_ in ("ORG", "PERSON") and not ent.ent_id_ and len(ent) > 1 and \
                    not gazetteer().organization(ent.text) and not gazetteer().kind_of_name(ent.text):
                lead = 1 if ent[0].lower_ == "the" else 0
                state = next((ent[lead:end] for end in range(len(ent) - 1, lead, -1)
                              if gazetteer().country(ent[lead:end].text)), None)
                if state is not None:  # "the U.S. Announce Locations" in a title-case headline: the state, then words
                    ent = doc.char_span(state.start_char, state.end_char, label="GPE") or ent
            if ent.label_ == "PERSON" and not ent.ent_id_ and len(ent) > 1 and re.fullmatch(r"U\.?S\.?|UK|U\.K\.?", ent[0].text):
                ent = doc[ent.start:ent.start + 1]  # "U.S Abrams tanks": the state's goods, no person
                ent = doc.char_span(ent.start_char, ent.end_char, label="GPE") or ent
            if ent.label_ == "PERSON" and not ent.ent_id_:
                first = ent.start
                while first > max(sent.start, ent.start - 2) and (_given_name(doc[first - 1]) or (
                        re.fullmatch(r"[A-Z]\.", doc[first].text) and doc[first - 1].pos_ == "PROPN" and
                        doc[first - 1].is_title and not doc[first - 1].ent_type_ and
                        doc[first - 1].lower_ not in TITLE_WORDS)):  # "Lloyd J. Austin": before an initial
                    # (but "Minister S. Jaishankar": a title before the initial)
                    first -= 1  # "Lloyd J. Austin III" tagged from "J.": the given name before it
                if first != ent.start:
                    ent = doc[first:ent.end]
                    ent = doc.char_span(ent.start_char, ent.end_char, label="PERSON") or ent
                if len(ent) >= 2 and ent.end < len(doc) and all(len(t) <= 5 and t.is_alpha for t in ent) and \
                        len(doc[ent.end]) <= 5 and _given_name(doc[ent.end]):
                    # "Yoon Suk Yeol" tagged "Yoon Suk": the last syllable of a name written in three parts
                    ent = doc.char_span(ent.start_char, doc[ent.end].idx + len(doc[ent.end]), label="PERSON") or ent
                hyphen = re.match(r"-[a-z]+\b", body[ent.end_char:ent.end_char + 12])
                if hyphen:  # "Yoon Suk-yeol": the model stops at the hyphen of a Korean given name
                    ent = doc.char_span(ent.start_char, ent.end_char + hyphen.end(), label="PERSON") or ent
                while len(ent) > 1 and (ent[-1].tag_ in ("VBZ", "VBD", "VBP") or ent[-1].pos_ in ("VERB", "AUX")) \
                        and common_word(ent[-1].text):
                    ent = ent[:-1]  # "Biden Says": a headline's verb; but "PM Modi", tagged a verb, is a name
                if len(ent) > 1 and ent[-1].text in ("Proposes", "Says", "Calls", "Urges", "Meets", "Visits", "Vows",
                                                     "Warns", "Backs", "Seeks", "Signs", "Pledges", "Announces"):
                    ent = ent[:-1]
            if ent.label_ in ("ORG", "GPE") and not ent.ent_id_:
                # "Secretary of State Blinken" tagged "State Blinken": a title begun before the span ends in it
                lead = max(start_char, ent.start_char - 30)
                titled = TITLED_NAME.search(body[lead:ent.end_char])
                if titled and lead + titled.start(1) < ent.start_char < lead + titled.start(2) and \
                        not gazetteer().organization(titled.group(2)) and not gazetteer().country(titled.group(2)):
                    ent = doc.char_span(lead + titled.start(2), ent.end_char, label="PERSON") or ent
            if ent.label_ in ("ORG", "GPE", "NORP") and not ent.ent_id_:
                # "National Security Advisor Ajit Doval" tagged ORG: the person after the title
                titled = TITLED_NAME.search(ent.text)
                if titled and not gazetteer().organization(ent.text) and not resolver.registry.lookup(ent.text) and \
                        (" " in titled.group(2) or not common_word(titled.group(2))):
                    ent = doc.char_span(ent.start_char + titled.start(2), ent.end_char, label="PERSON") or ent
            if ent.label_ == "ORG" and not ent.ent_id_ and len(ent) <= 3 and ent.end < len(doc) and \
                    TRAILING_TITLE.match(" " + doc[ent.end].text) and \
                    all(t.lower_ in triggers.words("portfolio") or t.lower_ == "and" for t in ent):
                continue  # "Foreign Affairs Secretary Enrique Manalo": the portfolio of a title, no body
            if ent.label_ == "ORG" and not ent.ent_id_ and ent[0].lower_ in triggers.words("portfolio") and \
                    PORTFOLIO_OF.search(body, max(0, ent.start_char - 30), ent.start_char):
                # "Secretary of National Defense of the Republic of Colombia": the portfolio of a title and
                # the state it serves, no body
                state = re.search(r"\bof\s+(?:the\s+)?(?P<state>[A-Z][^,;]*)$", ent.text)
                if state is None or gazetteer().country(state.group("state")) is None:
                    continue
                ent = doc.char_span(ent.start_char + state.start("state"), ent.end_char, label="GPE",
                                    alignment_mode="contract") or ent
            if ent.label_ == "ORG" and not ent.ent_id_ and 2 <= len(ent) <= 5 and \
                    TRAILING_TITLE.match(" " + _past_portfolio(doc, ent.end)) and gazetteer().country(ent[0].text) and \
                    all(t.lower_ in triggers.words("portfolio") or t.lower_ == "and" for t in ent[1:]) and \
                    ent[-1].lower_ != "and":
                # "Philippine Defence Secretary", "Lithuanian Economy and Innovation Minister": the state's
                # adjective and the portfolio of a title, no body
                ent = doc.char_span(ent.start_char, ent[0].idx + len(ent[0]), label="NORP") or ent
            if ent.label_ == "ORG" and not ent.ent_id_ and len(ent) > 2 and \
                    (tail := TRAILING_TITLE.search(ent.text)) is not None:
                # "U.S. Air Force Secretary" (before a name): the body, without the title of its head
                ent = doc.char_span(ent.start_char, ent.start_char + tail.start(), label="ORG",
                                    alignment_mode="contract") or ent
            if ent.label_ == "ORG" and not ent.ent_id_ and len(ent) > 1 and ent.end < len(doc) and \
                    f"{ent[-1].lower_} {doc[ent.end].lower_}" in TITLES:
                # "Vietnam's Party General Secretary": NER's "Party General" ends in the first word of a title
                ent = doc.char_span(ent.start_char, ent[-2].idx + len(ent[-2]), label="ORG") or ent
            acronym = ACRONYM_AFTER.match(body, ent.end_char)
            if not ent.ent_id_ and ent.label_ in ("ORG", "PRODUCT") and ent.start > 0 and doc[ent.start - 1].like_num \
                    and ent.end < len(doc) and (doc[ent.end].tag_ == "NNS" or (
                        doc[ent.end].pos_ == "NOUN" and doc[ent.end].lower_ in GOODS_NOUNS)) and \
                    not gazetteer().organization(ent.text):
                continue  # "96 Caesar howitzers": the goods' model, no body
            if ent.label_ == "PERSON" and not ent.ent_id_ and (
                    (ent.start > 0 and doc[ent.start - 1].like_num) or
                    (acronym and _initials(ent.text).startswith(acronym.group(1)[:2]))):
                continue  # "116 M1A1 Abrams Battle Tanks", "Infrared Search and Track (IRST)"
            if not ent.ent_id_ and len(ent) == 1 and ent[0].tag_ not in ("NNP", "NNPS") and \
                    ent.label_ in ("ORG", "PERSON", "FAC", "PRODUCT", "LOC") and \
                    (common_word(ent.text) or not gazetteer().organization(ent.text) and
                     (ent.label_ != "ORG" or dictionary_word(ent.text))):
                continue  # "Allied", "Counterterrorism": a capitalised word, not a name; "Hanwha" is one
            if ent.label_ == "PERSON" and not ent.ent_id_ and any(
                    t.tag_ == "NNS" or (t.tag_ == "NNPS" and common_word(re.sub(r"e?s$", "", t.text))) for t in ent):
                continue  # "Abrams Battle Tanks": things, not a person; "Richard Marles", tagged a plural, is one
            waters = WATERS_OF.search(body, max(0, ent.start_char - 20), ent.start_char) if ent.ent_id_ else None
            if waters is not None and resolver.type_of(ent.ent_id_) == "Country":
                # "the Sea of Japan": waters named after a state, not the state
                ent = doc.char_span(waters.start(1), ent.end_char, label="LOC") or ent
            if ent.ent_id_ and resolver.type_of(ent.ent_id_) == "Country":
                ent = _unit_of_state(doc, ent)  # "the United States Army": the army, not the state
            label = ent.label_
            if label in ("GPE", "ORG", "NORP", "LOC") and not ent.ent_id_ and \
                    (len(ent) >= 2 or (ent[0].tag_ == "NNP" and not gazetteer().city(ent.text) and
                                       not gazetteer().kind_of_name(ent.text))) and \
                    rules.TITLE_RE.search(body[max(s.start, ent.start_char - 60):ent.start_char]) and \
                    not gazetteer().country(ent.text) and not gazetteer().organization(ent.text):
                label = "PERSON"  # "President Sauli Niinistö": NER took the name for a place
            start = ent.start + (1 if ent[0].lower_ in ("the", "a", "an") else 0)
            look = start - 1
            while look >= 0 and doc[look].lower_ in ("the", "a", "an"):
                look -= 1  # "at the Kremlin": the preposition before the article
            before = doc[look].lower_ if look >= 0 else ""
            dateline = (ent.start == sent.start or "\n" in doc[ent.start - 1].text_with_ws) and \
                re.match(r"\s*(?:,|--|—|\()", body[ent.end_char:ent.end_char + 4]) is not None
            # ("NEW DELHI (PTI):", "SEOUL, South Korea —"; a bare "NEW DELHI:" the curated facts read as the state)
            at_place = before in PLACE_PREPOSITIONS or dateline or body[ent.end_char:ent.end_char + 6] == "-based" or \
                before in ("capital", "city") or \
                (before == "," and look >= 1 and doc[look - 1].lower_ in ("capital", "city")) or \
                (look >= 0 and doc[look].pos_ == "VERB" and doc[look].lemma_.lower() in VISIT_VERBS)
            unit_place = before in ("–", "—", "-") and look >= 1 and doc[look - 1].lower_ in ("force", "command", "group")
            at_place = at_place or unit_place  # "Marine Rotational Force – Darwin": a force named for where it is
            if label in ("PERSON", "ORG") and not ent.ent_id_ and at_place and \
                    before in ("in", "at", "to", "through", "near", "–", "—", "-") and \
                    len(ent) == 1 and gazetteer().city(ent.text) is not None and not gazetteer().organization(ent.text):
                label = "GPE"  # "arrived in Darwin", "stationed at Yokosuka": a city after "in", not a person or firm
            if label in ("ORG", "PERSON") and not ent.ent_id_ and len(ent) == 1 and ent.end < len(doc) and \
                    doc[ent.end].lower_ in ("naval", "air", "base", "port", "airport", "harbor", "harbour", "shipyard") \
                    and gazetteer().city(ent.text) is not None:
                label = "GPE"  # "the Yokosuka naval base": the city the base is named for
            settlement = not ent.ent_id_ and len(ent) <= 3 and label in ("GPE", "LOC", "ORG", "PERSON") and \
                not gazetteer().organization(ent.text) and not gazetteer().country(ent.text) and (
                    SETTLEMENT_BEFORE.search(body, max(0, ent.start_char - 40), ent.start_char) is not None or
                    (at_place and label != "PERSON" and (state := STATE_AFTER.match(body, ent.end_char)) is not None and
                     gazetteer().country(state.group(1)) is not None))
            if settlement and label in ("PERSON", "ORG"):
                label = "GPE"  # "the city of Kusong", "Pocheon, South Korea": a town, whatever NER took it for
            if not ent.ent_id_ and not settlement and label in ("GPE", "ORG", "PERSON") and len(ent) <= 3 and \
                    REGION_BEFORE.search(body, max(0, ent.start_char - 30), ent.start_char) and \
                    not gazetteer().country(ent.text) and not gazetteer().city(ent.text):
                label = "LOC"  # "the southern island of Mindanao", "the province of Aceh": a region
            registered = ent.ent_id_
            if registered and resolver.type_of(registered) in ("City", "Place") and not at_place and \
                    gazetteer().capital_of(ent.text):
                registered = ""  # a capital in the registry, standing for its government here
            if label in ("PERSON", "GPE", "LOC") and not ent.ent_id_ and \
                    COMPANY_BEFORE.search(body, max(0, ent.start_char - 40), ent.start_char):
                label = "ORG"  # "the Israeli arms maker Rafael", "shipbuilder Austal": a firm, named so
            if label == "PERSON" and not ent.ent_id_ and len(ent) == 1 and \
                    CONTRACTED_WITH.search(body, max(0, ent.start_char - 40), ent.start_char) and \
                    resolver.registry.lookup(ent.text) is None:
                label = "ORG"  # "signed a $90 million contract with Embraer": one word a contract is made with
            owned = label in ("GPE", "ORG") and not at_place and _owned_by_state(doc, ent) and \
                not gazetteer().country(ent.text) and not gazetteer().city(ent.text)
            province = provinces.get(normalise_name(ent.text)) if label in ("GPE", "LOC") else None
            if not registered and province is not None:
                registered = resolver.province(ent.text, province)
            name_text = ent.text
            if label == "ORG" and not registered and ent.start >= 2 and doc[ent.start - 1].text in ("’s", "'s"):
                owner = next((e for e in doc.ents if e.end == ent.start - 1), None)
                if owner is not None and state_body(f"{owner.text}'s {ent.text}") is not None:
                    name_text, owned = f"{owner.text}'s {ent.text}", False  # "Japan's Defense Ministry": Japan's
            entity_id = registered or resolver.resolve(
                name_text, "ORG" if owned else label, ctx, metonymy=_acts(ent) and not dateline, at_place=at_place, company=owned,
                settlement=settlement, heads_clause=ent.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent"),
                titled=label == "PERSON" and rules.TITLE_RE.search(body[max(s.start, ent.start_char - 40):
                                                                        ent.start_char]) is not None,
                create=not (headline and label in ("ORG", "PERSON", "FAC", "PRODUCT")))
            if acronym and _initials(ent.text) == acronym.group(1).upper() and \
                    (entity_id is not None or gazetteer().organization(acronym.group(1)) is None):
                ctx.acronyms[acronym.group(1)] = entity_id  # (a known body's acronym is never made a nothing)
            if registered:
                ctx.note(registered)
            kind = resolver.type_of(entity_id) if entity_id else None
            s.mentions.append(Mention(ent.start_char, ent.end_char, ent.text, ent.label_, entity_id, kind))
            if dateline and not sentences and here is None and kind in ("City", "Country"):
                here = entity_id  # "NEW DELHI (PTI): ..."
            if kind == "Person":
                person_positions.append((ent.start_char, entity_id))
        speaker = next((who for where, who in reversed(speakers) if where <= sent.start_char), None)
        if speaker is not None:  # a transcript: "I" is whoever the last speaker line named
            s.mentions += [Mention(t.idx, t.idx + len(t), t.text, "PERSON", speaker, "Person") for t in tokens
                           if t.lower_ in ("i", "me", "my") and t.pos_ == "PRON" and
                           not any(m.start <= t.idx < m.end for m in s.mentions)]
        s.mentions += _the_body(sent, s, sentences)
        if ("north" in s.lowers or "south" in s.lowers) and "the" in s.lowers:  # only then look back
            s.mentions += _the_north_or_south(s, [m for t in sentences for m in t.mentions] + s.mentions, resolver)
        if _REGIONAL_WORDS & s.lowers:
            s.mentions += _the_regional_state(s, [m for t in sentences for m in t.mentions], resolver)
        running_positions += rules.positions(s, body, article.date, resolver)
        for token in tokens:
            if token.lower_ in ("he", "she") and token.dep_.startswith("nsubj"):
                last = [p for pos, p in acting if pos < token.idx] or \
                    [p for pos, p in person_positions if pos < token.idx]
                if last:
                    s.mentions.append(Mention(token.idx, token.idx + len(token), token.text, "PERSON",
                                                    last[-1], "Person"))
            elif token.dep_ in ("nsubj", "nsubjpass"):
                after = token.idx + len(token.text_with_ws)  # "said PM Modi": the title is the subject
                person = next((m.entity_id for m in s.mentions if m.kind == "Person" and
                               (m.start <= token.idx < m.end or (m.start == after and token.pos_ in ("PROPN", "NOUN") and
                                                                 TITLED_SUBJECT.fullmatch(token.text)))), None)
                if person is None and re.match(r"(?i)the\b", sent.doc[token.left_edge.i:token.i + 1].text):
                    person = _holder_of(sent.doc[token.left_edge.i:token.i + 1].text, running_positions,
                                        lambda name: country_of(name, resolver))
                if person:
                    acting.append((token.idx, person))
                    pass
        s.mentions.sort(key=lambda m: m.start)
        sentences.append(s)

    candidates: list[Candidate] = []
    titles: dict[str, str] = {}
    last_company = None
    last_deal = None
    last_investment = None
    found_positions = running_positions  # read sentence by sentence above, for pronouns and titles
    with_of = {(c.roles["holder"], c.roles["title"].value) for c in found_positions if "of" in c.roles}

    def titled_holder(text: str) -> str | None:
        return _holder_of(text, found_positions, lambda name: country_of(name, resolver))

    subject_people = acting
    state_of = deals.StateOf(resolver.country, {
        c.roles["holder"]: c.roles["of"] for c in found_positions
        if "of" in c.roles and c.roles["title"].value in ACTS_FOR_STATE})
    for c in found_positions:
        titles.setdefault(c.roles["holder"], c.roles["title"].value)
        if "of" in c.roles or (c.roles["holder"], c.roles["title"].value) not in with_of:
            candidates.append(c)
    own_state = _government_publisher(article.publisher, resolver)  # "our allies" in a ministry's release
    unsold: list[Candidate] = []  # deals the sentence before told without their seller
    unsold_aged: list[Candidate] = []
    faced: set[str] = set()  # states the sentences so far named as a threat ("in the face of Russia's threat")
    for s in sentences:
        last_person = next((m.entity_id for m in reversed(s.mentions) if m.kind == "Person"), None) or \
            next((p for pos, p in reversed(person_positions) if pos < s.start), None)
        seen_people = [p for pos, p in person_positions if pos < s.start]
        seen_states = [m.entity_id for t in sentences if t.start < s.start for m in t.mentions if m.kind == "Country"]
        actors = [p for pos, p in subject_people if s.start <= pos < s.end]
        met = events.verb_meetings(s, article.date, titles)
        met = met if len(met) > 1 else rules.meetings(
            s, body, article.date, titles, events.leaders_of_states(s, state_of.acting_for, titles) or
            events.meeting_context(s, seen_people) or actors, events.meeting_host(s))
        candidates += met or events.joint_appearance(s, article.date, titles,
                                                     events.leaders_of_states(s, state_of.acting_for, titles))
        before = [t for t in sentences if t.start < s.start][-3:]  # the story just before: its parties
        unsold_before, unsold = unsold or [c for c in unsold_aged if c.end >= before[-2].start] if len(before) >= 2 \
            else unsold, []
        unsold_aged = unsold_before  # a deal told without its seller waits one more sentence for it
        found_deals = deals.deals(s, state_of, [(m.entity_id, m.kind, t.start) for t in before
                                                         for m in t.mentions if m.kind in ("Country", "Company")],
                                  unsold)
        if not found_deals and unsold_before:  # "... a contract for 145 howitzers. The deal was inked with BAE"
            found_deals = deals.seller_named(unsold_before, s)
        elif unsold_before:  # "... a contract for 12 more FA-50 jets. KAI valued the deal with the ministry at $700 million"
            found_deals = deals.goods_of_unsold(unsold_before, found_deals, s)
        recent_deal = last_deal if last_deal is not None and before and last_deal.start >= before[0].start else None
        if not found_deals and last_deal is not None and deals.completes_deal(s, recent_deal):
            # (a value "the contract" is given completes only a deal of the sentences just before)
            found_deals = deals.completed(last_deal, s)
        if not found_deals:
            candidates += deals.shares(s, [c for c in candidates if c.relation == "Deal"])
        elif recent_deal is not None:
            found_deals = deals.valued_by(last_deal, found_deals)
            exact = deals.recounted(last_deal, found_deals, s)
            if exact is not None:  # "almost a hundred Apaches ... The deal for the 96 helicopters": one deal
                candidates = [c for c in candidates if c is not last_deal]
                found_deals = [exact] + [d for d in found_deals if d.roles.get("quantity") is None or
                                         d.roles["quantity"].amount != exact.roles["quantity"].amount]
        if found_deals:
            last_deal = found_deals[-1]
        signed = DEAL_SIGNED.search(s.text) if found_deals else None
        when = rules._dates(s, article.date, events_only=True, near=signed.start()) if signed else None
        for deal in found_deals:
            if when is not None and (s.start <= deal.start or deal.rule.endswith(("+seller", "+count"))):  # "signed a $375 million deal with India in January 2022"
                deal.roles.setdefault("date", when)
        candidates += [d for d in found_deals if "quantity" in d.roles or "item" in d.roles or "value" in d.roles
                       or d.rule == "deal-award"]  # "X won a contract from the Army": the goods may come later
        named_state = next(((m.entity_id, t.start) for t in reversed(before) for m in reversed(t.mentions)
                            if m.kind == "Country"), None)
        invested = rules.investments(s, body, article.date, last_company, named_state, state_of.acting_for,
                                     resolver.country, list(dict.fromkeys(
                                         p for t in reversed(before) for m in reversed(t.mentions)
                                         if m.kind in ("Country", "City", "Region") and
                                         (p := rules.state_of_place(m, resolver.country)) and
                                         resolver.type_of(p) == "Country")))
        built = rules.facilities(s, body, article.date, last_company, resolver.country)
        recent_investment = last_investment if last_investment is not None and before and \
            last_investment.start >= before[0].start else None
        invested = rules.valued_later(recent_investment, invested)
        told = invested + rules.told_once(built, invested)
        candidates += [c for c in told if c is not recent_investment]
        last_investment = next((c for c in reversed(told)), last_investment)
        candidates += agreements.memoranda(s, body, article.date, state_of.acting_for, seen_states + s.ids("Country"))
        named = agreements.named_agreements(s, seen_states, article.date, faced)
        candidates += named or agreements.unnamed_agreements(s, article.date, state_of.acting_for)
        faced |= agreements.threats_named(s)
        candidates += rules.alliances(s, body, article.date, lambda text: country_of(text, resolver))
        candidates += agreements.partnerships(s, lambda text: country_of(text, resolver),
                                              seen_states + s.ids("Country"), state_of.acting_for)
        if own_state is not None:
            candidates += agreements.our_allies(s, own_state)
        candidates += rules.exercises(s, body, article.date, exercise_names)
        candidates += events.exercises(s, lambda text: country_of(text, resolver) is not None,
                                       before[-1] if before else None, lambda text: country_of(text, resolver))
        deployed = events.deployments(s, lambda text: country_of(text, resolver))
        deployed_pairs = {(c.roles["deployer"], c.roles["location"]) for c in deployed}
        deployed += [c for c in events.deployment_frames(s, resolver.country)
                     if (c.roles["deployer"], c.roles["location"]) not in deployed_pairs]
        candidates += deployed or events.counted_deployments(s, lambda text: country_of(text, resolver)) or \
            events.agreement_deployments(s, lambda text: country_of(text, resolver))
        candidates += agreements.memberships(s, article.date)
        candidates += rules.launches(s, body, article.date)
        candidates += rules.based_in(s, body, article.date)
        candidates += rules.visits(s, body, article.date, last_person)
        candidates += events.visits(s, article.date, seen_people + [m.entity_id for m in s.mentions
                                                                     if m.kind == "Person"], titled_holder, here)
        candidates += rules.memberships(s, body, article.date)
        companies = [m.entity_id for m in s.mentions if m.kind == "Company"]
        if companies:
            last_company = companies[-1]

    company_positions = [(m.start, m.entity_id) for s in sentences for m in s.mentions if m.kind == "Company"]
    body_positions = [(m.start, m.entity_id, resolver.entity(m.entity_id).label if resolver.entity(m.entity_id)
                       else m.text, m.kind) for s in sentences for m in s.mentions
                      if m.kind in ("Company", "Organization", "GovernmentAgency", "MilitaryUnit") and
                      not gazetteer().is_media(m.text)]  # "it added": the body quoted, not the agency reporting it

    spoke: list[tuple[int, str]] = []  # (where, who) of the speakers resolved so far

    def resolve_speaker(text: str, position: int) -> str | None:
        text = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", text)  # "the Defense Security Cooperation Agency (DSCA)"
        if text.lower() in ("he", "she"):
            # the person the text last made the subject of a clause (or a speaker: "Pistorius stated
            # ... He noted", the surname the model took for a body), else the last one named
            acting = [p for _, p in sorted((pos, p) for pos, p in [*subject_people, *spoke] if pos < position)]
            before = [p for pos, p in person_positions if pos < position]
            return (acting or before or [None])[-1]
        found = _resolve_named_speaker(text, position)
        if found is not None and resolver.type_of(found) == "Person":
            spoke.append((position, found))
        return found

    def _resolve_named_speaker(text: str, position: int) -> str | None:
        if COMPANY_ANAPHOR.fullmatch(text.strip()):  # "the company", "the South Korean firm"
            before = [p for pos, p in company_positions if pos < position]
            return before[-1] if before else None
        body = BODY_ANAPHOR.fullmatch(text.strip())
        if body is not None:  # "the command said", "it added": the body the story named last (of that kind)
            noun = (body.group("noun") or "").lower()
            before = [(p, name) for pos, p, name, kind in body_positions if pos < position and
                      (not noun or noun in name.lower() or (noun in GROUPING_NOUNS and kind == "Organization"))]
            # ("Ministry of Defense (Japan)": the ministry; "the alliance said": AUKUS, NATO, the bloc named)
            return before[-1][0] if before else None
        holder = titled_holder(text)
        if holder or re.match(rf"(?i)the\b.*\b{SPEAKER_TITLES}$", text.strip()):
            return holder  # "the US defence secretary" with no such person named: nobody, not the US
        local = ArticleContext([p for pos, p in person_positions if pos < position + 300])
        words = text.split()
        # "Polish Defence Minister Mariusz Blaszczak", "Staff Gen. Romeo Brawner": the name is
        # at the end; try the whole phrase, then ever shorter tails of it
        for start in range(0, max(1, len(words) - 1)):
            tail = " ".join(words[start:])
            entity_id = resolver.resolve(tail, "PERSON", local, create=False, prefer="Person")
            if entity_id is None and start == 0:
                entity_id = resolver.resolve(tail, "ORG", local, create=False)
            if entity_id is not None:
                return entity_id if resolver.type_of(entity_id) in SPEAKER_KINDS else None
        return None

    candidates += rules.statements(doc, body, 0, resolve_speaker, resolver.type_of)
    for s in sentences:
        candidates += rules.reported_speech(s, body, resolve_speaker, resolver.type_of)
    candidates = [c for c in candidates if c.relation not in EVENTS_TOLD_AS_FACT or not UNFACTUAL.search(body, c.start, c.end)]
    facts = [fact for c in candidates if (fact := to_fact(c, article, resolver)) is not None]
    facts = _same_events(_distinct(facts), _headline_end(body), lambda place: _state_of_place(place, resolver))
    return facts + mentioned(sentences, facts, article, resolver)


def _headline_end(body: str) -> int | None:
    """Where a headline line ends: a first line of under 200 characters that ends in no full stop
    and is followed by a line break ("North Korea fires ICBM after Russia deepens ties\n\n...")."""
    first, newline, _ = body.lstrip().partition("\n")
    if not newline or len(first) >= 200 or first.rstrip().endswith((".", "!", "?", "”", '"')):
        return None
    return body.index(first) + len(first)


def _state_of_place(place: str, resolver: Resolver) -> str | None:
    """The state a city lies in (its entity id), or None (`relations.state_of_place` for an id)."""
    entity = resolver.entity(place)
    if entity is None or entity.type != "City":
        return None
    state = rules.state_of_place(Mention(0, 0, entity.label, "GPE", place, "City"), resolver.country)
    return state if state != place else None


def _same_events(facts: list[Fact], headline_end: int | None = None, state_of_place=None) -> list[Fact]:  # noqa: ANN001
    """Within one article, what is one event is stated once: a meeting told again without its
    date ("the two held talks") is the dated meeting of the same people; a visit to a state told
    without its day is on the day the story dates the visitor's visit to it, or to one of its cities,
    or talks the visitor held there ("met in Hanoi on Sunday. It was Biden's first visit to the
    Southeast Asian country"); counts a sentence gives that add up to a deal's count are that deal
    in detail; a deal reported first
    without its goods is the deal whose goods the next sentences give; what a headline says
    ("North Korea fires ICBM") is the fact the body tells in full about the same entities."""
    from dataclasses import replace

    if headline_end is not None:
        def in_headline(fact: Fact) -> bool:
            return all(e.span.end <= headline_end for e in fact.evidence)

        told = [f for f in facts if not in_headline(f)]
        facts = [f for f in facts if not in_headline(f) or f.role("name") is not None or not any(
            other.relation == f.relation and f.entity_ids() <= other.entity_ids() for other in told)]
        # (a named agreement or exercise in a headline is its own: "The Spirit of Camp David")

    dated = {}
    for fact in facts:
        if fact.relation in ("Meeting", "Summit") and fact.role("date") is not None:
            dated.setdefault((fact.relation, fact.role("participants")), fact)
    for fact in facts:  # "X welcomed Y to NATO headquarters on Thursday. The leaders discussed ...": the visit's day
        if fact.relation == "Visit" and fact.role("host") and fact.role("date") is not None:
            pair = tuple(sorted({fact.role("host"), fact.role("visitor")}))
            dated.setdefault(("Meeting", pair), _Dated(fact.role("date"), None))
    visits: dict[tuple[str, str], set] = {}
    for fact in facts:  # the days each visitor's dated visits (or talks held there) give each place and its state
        if fact.relation in ("Visit", "Meeting", "Summit") and fact.role("date") is not None and fact.role("place"):
            people = [fact.role("visitor")] if fact.relation == "Visit" else list(fact.role("participants") or ())
            for where in {fact.role("place"), state_of_place(fact.role("place")) if state_of_place else None} - {None}:
                for person in people:
                    visits.setdefault((person, where), set()).add(fact.role("date"))
    facts = _one_treaty_per_name(facts)
    told_launches = [f for f in facts if f.relation == "MissileLaunch" and f.role("missile") is not None]
    with_goods = {(f.role("seller"), f.role("buyer")) for f in facts if f.relation == "Deal" and f.role("item")}
    counted = {(f.role("seller"), f.role("buyer"), str(f.role("item").value).split()[-1].lower()) for f in facts
               if f.relation == "Deal" and f.role("quantity") is not None and f.role("item")}
    # "an order for 97 Tejas fighter jets ... The order includes 68 single-seat fighters and 29 twin-seat
    # trainers": counts one sentence gives that add up to a deal's count told apart are that deal in detail
    by_sentence: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.relation == "Deal" and isinstance(fact.role("quantity"), Quantity):
            by_sentence.setdefault((fact.role("seller"), fact.role("buyer"), fact.evidence[0].span.end), []).append(fact)
    detail: set[int] = set()
    for (seller, buyer, at), parts in by_sentence.items():
        total = sum(f.role("quantity").amount for f in parts)
        if len(parts) >= 2 and any(f.role("quantity").amount == total for (s2, b2, at2), others in by_sentence.items()
                                   if (s2, b2) == (seller, buyer) and at2 != at for f in others):
            detail.update(id(f) for f in parts)
    facts = [f for f in facts if id(f) not in detail]
    kept = []
    for fact in facts:
        if fact.relation in ("Meeting", "Summit") and fact.role("date") is None:
            twin = dated.get((fact.relation, fact.role("participants")))
            if twin is not None:
                roles = dict(fact.roles)
                roles["date"] = twin.role("date")
                if roles.get("place") is None:
                    roles["place"] = twin.role("place")
                spec = RELATIONS[fact.relation]
                fact = replace(fact, roles=tuple((r.name, roles[r.name]) for r in spec.roles
                                                 if roles.get(r.name) is not None))
        if fact.relation == "Visit" and fact.role("date") is None and \
                len(days := visits.get((fact.role("visitor"), fact.role("place")), set())) == 1:
            roles = dict(fact.roles)
            roles["date"] = next(iter(days))
            fact = replace(fact, roles=tuple((r.name, roles[r.name]) for r in RELATIONS["Visit"].roles
                                             if roles.get(r.name) is not None))
        if fact.relation == "Deal" and not fact.role("item") and (fact.role("seller"), fact.role("buyer")) in with_goods:
            continue
        if fact.relation == "MissileLaunch" and fact.role("missile") is None and any(
                told.role("launcher") == fact.role("launcher") and _within(told.role("date"), fact.role("date"))
                for told in told_launches):
            continue  # "This was North Korea's first missile test in 2017": the launch the story told in full
        if fact.relation == "MissileLaunch" and fact.role("missile") is not None and any(
                told is not fact and told.evidence[0].span.start < fact.evidence[0].span.start and
                told.role("launcher") == fact.role("launcher") and
                (told.role("date") == fact.role("date") or fact.role("date") is None) and
                _same_missile(told.role("missile").value, fact.role("missile").value) for told in told_launches):
            # (or, undated, the launch of the story told again: "... fired off what it believed was an IRBM")
            continue  # "North Korea fired a ballistic missile ... 'launched a possible ballistic missile'": told again
        if fact.relation == "Deal" and fact.role("quantity") is None and fact.role("item") and \
                (fact.role("seller"), fact.role("buyer"), str(fact.role("item").value).split()[-1].lower()) in counted:
            continue  # "a deal to buy U.S Abrams tanks" that the story then counts ("116 M1A1 Abrams tanks")
        kept.append(fact)
    return kept


def _one_treaty_per_name(facts: list[Fact]) -> list[Fact]:
    """A treaty an article names again ("The Trinity House Agreement is part of ...") is the one
    it told with its parties first: the parties of its first telling with two or more, so that
    the article states one treaty, not one per sentence's states."""
    from dataclasses import replace

    first: dict[str, object] = {}
    for fact in facts:
        parties = fact.role("parties")
        if fact.relation == "Treaty" and parties and len(parties) >= 2:
            first.setdefault(str(fact.role("name").value).lower(), parties)
    if not first:
        return facts
    unified = []
    for fact in facts:
        parties = first.get(str(fact.role("name").value).lower()) if fact.relation == "Treaty" else None
        if parties is not None and fact.role("parties") != parties:
            fact = replace(fact, roles=tuple((n, parties if n == "parties" else v) for n, v in fact.roles))
        unified.append(fact)
    return unified


HEDGED_MISSILE = {"unidentified", "possible", "suspected", "apparent", "unspecified", "presumed", "what", "appeared",
                  "to", "be", "a", "an", "the", "one", "another", "more"}
"""Words that hedge or count a missile without saying which: "a possible ballistic missile" is
the ballistic missile told before."""


@dataclass(frozen=True)
class _Dated:
    """A day (and place) another fact gives a meeting told without one."""

    date: object
    place: object

    def role(self, name: str) -> object:
        return getattr(self, name, None)


def _same_missile(first: str, second: str) -> bool:
    """Is one missile the other told with a hedge ("a ballistic missile", "a possible ballistic
    missile")? A cruise missile and a ballistic missile, or an ICBM and "a ballistic missile" the
    story told of another day, are two launches."""
    a = {w for w in MISSILE_ACRONYMS.get(first.strip().upper(), first).lower().split() if w not in HEDGED_MISSILE}
    b = {w for w in MISSILE_ACRONYMS.get(second.strip().upper(), second).lower().split() if w not in HEDGED_MISSILE}
    return bool(a) and a == b


MISSILE_ACRONYMS = {"ICBM": "intercontinental ballistic missile", "IRBM": "intermediate-range ballistic missile",
                    "MRBM": "medium-range ballistic missile", "SRBM": "short-range ballistic missile",
                    "SLBM": "submarine-launched ballistic missile"}
"""The acronym a story uses for the missile it named in full."""


def _within(day: object, told: object) -> bool:
    """Is `day` (a launch told in full) inside what `told` dates (nothing, its year or its month)?
    An undated launch told in full may be any of them."""
    if not isinstance(told, DateValue) or told.value is None or not isinstance(day, DateValue) or day.value is None:
        return True
    if told.precision == "year":
        return day.value.year == told.value.year
    if told.precision == "month":
        return (day.value.year, day.value.month) == (told.value.year, told.value.month)
    return day.value == told.value


def _distinct(facts: list[Fact]) -> list[Fact]:
    """One fact per key and evidence span: two rules that read the same fact in the same
    sentence give it once, with the first rule's roles and confidence and the roles only a later
    rule read ("Freedom Shield" by name, its participants by the exercise pattern)."""
    from dataclasses import replace

    from ..merge import fact_key

    at: dict[tuple[str, int, int], int] = {}
    kept: list[Fact] = []
    for fact in facts:
        key = (fact_key(fact), fact.evidence[0].span.start, fact.evidence[0].span.end)
        if key not in at:
            at[key] = len(kept)
            kept.append(fact)
            continue
        first = kept[at[key]]
        missing = [(name, value) for name, value in fact.roles if first.role(name) is None]
        if missing:
            spec = RELATIONS[first.relation]
            roles = dict(first.roles) | dict(missing)
            kept[at[key]] = replace(first, roles=tuple((r.name, roles[r.name]) for r in spec.roles
                                                       if roles.get(r.name) is not None))
    return kept


WATERS_OF = re.compile(r"\b(" + gazetteer_WATERS_OF + r" )$")
ACTS_FOR_STATE = {*HEAD_OF_STATE_TITLES, "Defense Minister", "Secretary of Defense", "Foreign Minister",
                  "Secretary of State", "Vice President", "Crown Prince", "Deputy Prime Minister"}
"""Offices whose holder speaks for the state in a deal ("President X agreed to sell jets to Y")."""
TITLED_NAME = re.compile(r"\b((?i:" + TITLE_PATTERN + r"))\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})$")
"""A title and a one- to four-word name: "National Security Advisor Ajit Doval", "PM Modi" (a
lone word only when it is no English word: "General Dynamics" is a company)."""
EXERCISE_AFTER_NAME = re.compile(r"[\"”’']?\s*(?:\d{2,4}\s+)?(?:(?:joint|military|combined|annual|bilateral|"
                                 r"trilateral|multinational|large-scale|naval|air|field|live-fire)\s+){0,3}"
                                 r"(?:exercises?|drills?|war ?games?)\b", re.IGNORECASE)
PORTFOLIO_OF = re.compile(r"\b(?i:secretary|minister|ministry|department|secretariat)\s+(?:of|for)\s+(?:the\s+)?$")
"""A title or ministry whose portfolio follows: "Secretary of | National Defense ..."."""
COMPANY_ANAPHOR = re.compile(r"(?i)the\s+(?:[\w.-]+\s+){0,2}?(?:company|firm|group|manufacturer|maker|"
                             r"shipbuilder|carmaker|automaker|contractor)")
"""A company the text names again by its kind: "the company", "the South Korean firm"."""
BODY_ANAPHOR = re.compile(r"(?i)it|the\s+(?P<noun>command|agency|ministry|department|council|alliance|organi[sz]ation|"
                          r"army|navy|force|bank|fund|bloc|pact|grouping)")
GROUPING_NOUNS = frozenset({"alliance", "bloc", "pact", "grouping"})
"""Words for a grouping of states, which its own name seldom holds ("AUKUS", "NATO")."""
"""A body the text names again: "the command said", "it added"."""
TRAILING_TITLE = re.compile(r"\s+(?i:secretary|minister|chief|spokesman|spokeswoman|spokesperson|commander|"
                            r"ambassador|director|chairman|chair|undersecretary)$")
"""A title at the end of a body's name: the person's title, not part of the body."""
REGION_BEFORE = re.compile(r"\b(?:island|islands|region|province|prefecture|state|county|district) of\s+$",
                           re.IGNORECASE)
"""A name its kind of region precedes: the region, whatever NER took it for."""
SETTLEMENT_BEFORE = re.compile(r"\b(?:city|town|village|port city|port town|port|county|township|hamlet|"
                               r"border town|border city) of\s+$", re.IGNORECASE)
"""What calls the next name a town: "the northwestern city of Kusong"."""
STATE_AFTER = re.compile(r",\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w]+)?)(?=\s*(?:[,.;:)—–-]|$)|"
                         r"\s+(?:on|in|at|last|this|next|during|after|before|for|when|where|said|says)\b)")
"""A state written after a name, as datelines and captions place towns: "Pocheon, South Korea"."""
TITLE_WORDS = frozenset(w for title in (*TITLES, *RANKS) for w in title.split())
"""Every word of a title ("minister", "secretary", "general"), never the start of a name."""
SPEAKER_KINDS = {"Person", "Country", "GovernmentAgency", "Organization", "Company", "MilitaryUnit"}
"""What can say something: never a ship, a place or a thing ("boarded the USS Theodore Roosevelt and
called the drills ...": the one who boarded speaks)."""
COMPANY_BEFORE = re.compile(r"\b(?:arms|defen[cs]e|weapons?|aerospace|aircraft|missile|tank|chip|car|auto)?\s*"
                            r"(?:maker|manufacturer|company|firm|contractor|shipbuilder|giant|producer|supplier|subsidiary|"
                            r"affiliate|conglomerate|carmaker|automaker|chipmaker|planemaker),?\s+$")
"""A kind of company right before a name: the name is a company's, whatever NER took it for."""
GOODS_NOUNS = frozenset({"aircraft", "helicopter", "jet", "tank", "howitzer", "missile", "drone", "vessel",
                         "submarine", "frigate", "launcher", "system", "artillery", "ammunition", "equipment"})
"""Nouns a number and a model name count ("six Super Tucano aircraft"): the model is no body."""
CONTRACTED_WITH = re.compile(r"\b(?:contract|deal|agreement|order|accord)s?\s+with\s+$", re.IGNORECASE)
"""A contract's other party: a single word there names a firm or a state, never a person."""
VESSEL_WORDS = {"carrier", "destroyer", "frigate", "cruiser", "submarine", "ship", "warship", "vessel", "corvette",
                "the"}
"""Words before a ship's name that make a person's name the ship's ("the carrier Theodore Roosevelt")."""
WIRE_CREDIT_AFTER = re.compile(r"\)\s*(?:—|--|–|-)")
"""What follows a wire service's name credited in a dateline: "(Jiji Press)--", "(AP) —"."""
PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "from", "to", "through"}
VISIT_VERBS = {"visit", "reach", "tour", "enter", "leave"}  # "visited Moscow": the city, not its government
ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)")


def _initials(name: str) -> str:
    """'Defense Security Cooperation Agency' -> 'DSCA'; small words are skipped."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper())


TITLED_SUBJECT = re.compile(r"(?i)PM|President|Premier|Chancellor|Minister|Secretary|Gen\.?|General|Ambassador")
"""A title the parser may take for the subject, the name following it ("said PM Modi")."""


def _holder_of(text: str, positions: list[Candidate], country_of=None) -> str | None:  # noqa: ANN001
    """'the PM', 'the Secretary General', 'the Japanese minister': the one person the article so
    far gave that title (of that country, when the phrase names one)."""
    titles = f"({SPEAKER_TITLES})"
    titled = re.match(r"(?i)the (?:([\w.]+) )?(?:\w+ )?" + titles + r"\b", text.strip()) or \
        re.fullmatch(r"(?i)([A-Z][\w.]+) (?:\w+ )?" + titles, text.strip())  # "US defence secretary"
    if not titled:
        return None
    word = {"pm": "prime minister", "spokesman": "spokesperson", "spokeswoman": "spokesperson"}.get(
        titled.group(2).lower(), titled.group(2).lower())
    titled_as = [c for c in positions if word in c.roles["title"].value.lower() or
                 word == "leader" and c.roles["title"].value in HEAD_OF_STATE_TITLES]
    # ("the Russian leader": whoever leads Russia, its president or its prime minister)
    body = slug(titled.group(1)) if titled.group(1) and titled.group(1)[:1].isupper() else None
    of_body = {c.roles["holder"] for c in titled_as if body and body in str(c.roles.get("of", ""))}
    if of_body:  # "the Pentagon spokesperson": the one the article made spokesperson of the Pentagon
        return of_body.pop() if len(of_body) == 1 else None
    country = country_of(titled.group(1)) if titled.group(1) and country_of else None
    if titled.group(1) and country is None and not titled.re.pattern.startswith("(?i)the"):
        return None
    holders = {c.roles["holder"] for c in titled_as if country is None or c.roles.get("of") == country}
    if not holders and country is not None:  # "the US defense secretary": the one secretary of no stated state
        holders = {c.roles["holder"] for c in titled_as if c.roles.get("of") is None}
    if len(holders) > 1 and re.fullmatch(r"(?i)the " + titles, text.strip()):
        # "the Prime Minister said" with two prime ministers named: the story's own, the one it
        # introduced first ("Prime Minister Rishi Sunak hosted the Prime Minister of Japan")
        return min((c for c in titled_as if c.roles["holder"] in holders), key=lambda c: c.start).roles["holder"]
    return holders.pop() if len(holders) == 1 else None


BODY_WORDS = {"alliance", "bloc", "organization", "organisation", "grouping", "group"}


def _past_portfolio(doc, at: int) -> str:  # noqa: ANN001 - a spaCy Doc
    """The word after the portfolio words from `at` on ("... Economy [and Innovation] Minister"), or ""."""
    words = triggers.words("portfolio") | {"and"}
    while at < len(doc) and doc[at].lower_ in words:
        at += 1
    return doc[at].text if at < len(doc) else ""


def _the_body(sent, s: Sentence, before: list[Sentence]) -> list[Mention]:  # noqa: ANN001
    """'Finland joined the alliance', 'the bloc's summit': the one organisation the story named
    in this sentence or the three before, as a mention of it; none when it named two."""
    found = []
    for token in s.tokens:
        if token.lower_ not in BODY_WORDS or token.i == 0 or \
                any(m.start <= token.idx < m.end for m in s.mentions):
            continue
        lead = token.nbor(-1)
        if lead.lower_ != "the" and not (lead.pos_ == "ADJ" and token.i > 1 and token.nbor(-2).lower_ == "the"):
            continue
        if lead.pos_ == "PROPN" or (token.i + 1 < len(token.doc) and token.nbor(1).pos_ in ("PROPN", "NOUN")):
            continue  # "the Quad group", "the alliance members": not the body named before
        window = [m for t in before[-3:] for m in t.mentions] + [m for m in s.mentions if m.end <= token.idx]
        bodies = list(dict.fromkeys(m.entity_id for m in window if m.kind == "Organization" and m.entity_id))
        if len(bodies) == 1:
            found.append(Mention(token.idx, token.idx + len(token), token.text, "ORG", bodies[0],
                                       "Organization"))
    return found


def _the_north_or_south(s: Sentence, seen: list[Mention], resolver: Resolver) -> list[Mention]:
    """"The North fired two missiles": in a story that has named North Korea (or South Sudan...),
    "the North" / "the South" is that state - the one named state whose name starts so."""
    found = []
    for token in s.tokens:
        if token.text not in ("North", "South") or token.i == 0 or token.nbor(-1).lower_ != "the" or \
                (token.i + 1 < len(token.doc) and token.nbor(1).text[:1].isupper()) or \
                any(m.start <= token.idx < m.end and m.entity_id for m in s.mentions):
            continue
        labels = {m.entity_id: getattr(resolver.entity(m.entity_id), "label", "") for m in seen
                  if m.kind == "Country" and m.entity_id}
        states = {e for e, label in labels.items() if label.startswith(token.text + " ")}
        if not states:  # "Seoul condemned the test. The North fired...": the other half of a named divided state
            other = "South " if token.text == "North" else "North "
            halves = {gazetteer().country(token.text + " " + label[len(other):]) for label in labels.values()
                      if label.startswith(other)}
            states = {resolver.country(country.code) for country in halves if country is not None} - {None}
        if len(states) == 1:
            found.append(Mention(token.idx, token.idx + len(token), token.text, "GPE", states.pop(), "Country"))
    return found


def _regional_state_pattern() -> re.Pattern[str]:
    adjectives = sorted(triggers.mapping("regional_state"), key=len, reverse=True)
    nouns = sorted(triggers.words("regional_state_nouns"), key=len, reverse=True)
    return re.compile(r"\bthe\s+(?:[a-z]+\s+)?(?P<adj>" + "|".join(
        r"\s+".join(w.capitalize() for w in a.split()) for a in adjectives) + r")(?:-?based)?\s+(?P<noun>" +
        "|".join(re.escape(n) for n in nouns) + r")\b(?!\s+of\s+[A-Z])")


REGIONAL_STATE = _regional_state_pattern()
"""'the Southeast Asian country', 'the small Baltic state', 'the Gulf kingdom' (but 'the Gulf state of
Qatar' names its state): see `regional_state` in kg/data/triggers.yaml."""
_REGIONAL_WORDS = frozenset(w for a in triggers.mapping("regional_state") for w in a.split())
"""A sentence holding none of these words is not looked at."""


def _the_regional_state(s: Sentence, seen: list[Mention], resolver: Resolver) -> list[Mention]:
    """"It was Biden's first visit to the Southeast Asian country": the state the story named last
    that lies in the region the words give (its ISO code's region and subregion in rigour's
    territories)."""
    from rigour.territories import get_territory

    regions = triggers.mapping("regional_state")
    found = []
    for match in REGIONAL_STATE.finditer(s.text):
        start = s.start + match.start()
        if any(m.start <= s.start + match.start("adj") < m.end and m.entity_id for m in s.mentions):
            continue  # "the European Union's ...": a name the sentence's mentions already hold
        wanted = {str(r).lower() for r in regions[" ".join(match.group("adj").lower().split())]}
        earlier = [m for m in seen + [m for m in s.mentions if m.end <= start]
                   if m.kind in ("Country", "City") and m.entity_id]
        for mention in reversed(earlier):  # a city stands for its state: "arrived in Vilnius ... the Baltic state"
            state = rules.state_of_place(mention, resolver.country)
            code = getattr(resolver.entity(state), "iso3166", None) if state else None
            territory = get_territory(code.lower()) if code else None
            if territory is not None and wanted & {code.lower(), str(territory.region).lower(),
                                                   str(territory.subregion).lower()}:
                found.append(Mention(start, s.start + match.end(), match.group(0), "GPE", state, "Country"))
                break
    return found


EVENTS_TOLD_AS_FACT = {"Deal", "Deployment", "Alliance", "Treaty", "Declaration", "Memorandum", "Investment", "Visit",
                       "Meeting", "Summit", "MissileLaunch", "MilitaryExercise", "Membership"}
"""Relations that state something happened (or was agreed), which a denial, a "never" or a "could"
takes back; positions and statements are told as facts whatever they say."""
UNFACTUAL = re.compile(
    r"\b(?:denied|denies|deny|dismissed|rejected)\s+(?:the\s+|any\s+)?(?:media\s+|news\s+)?(?:reports?|claims?|"
    r"allegations?|speculation|rumou?rs?)\b|"
    r"\b(?:never|not|n't)\s+(?:yet\s+|been\s+|ever\s+)?(?:signed|formed|bought|sold|deployed|sent|joined|visited|"
    r"met|held|launched|invested|agreed|ordered|purchased|acquired|stationed|sign|form|buy|sell|deploy|send|join|"
    r"visit|meet|hold|launch|invest|agree|order|purchase|acquire|station)\b|"
    r"\b(?:could|might|may)\s+(?:soon\s+|also\s+|eventually\s+|one day\s+)?(?:buy|purchase|acquire|sign|send|"
    r"deploy|station|join|visit|meet|invest|order|sell|supply|launch|hold|form)\b")
"""What takes an event back: "denied reports that it would send troops", "have never formed a
military alliance", "has not signed a deal", "Poland could buy more tanks"."""
DEAL_SIGNED = re.compile(r"\b(?:signed|inked|concluded|finali[sz]ed|sealed|awarded|clinched|placed)\b")
"""The verbs that date a deal by the day the sentence gives (a delivery's day is not the deal's)."""
SPEAKER_LINE = re.compile(r"(?m)^(?P<label>(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][^\n:]{1,90}?):[ \t]")
"""A transcript's speaker line: "SECRETARY AUSTIN: Well, ...", "Ms. KAMIKAWA Yoko, Minister for
Foreign Affairs: ..."."""


GOVERNMENT_PUBLISHER = re.compile(r"\b(?:Department|Ministry|Embassy|Navy|Army|Air Force|Marine Corps|DOD|DoD|"
                                  r"Defen[cs]e|White House|Government|Cabinet|Prime Minister's Office|Presidential)\b")
"""Words of a publisher that is a government body, whose "our allies" are its state's."""


def _government_publisher(publisher: str | None, resolver: Resolver) -> str | None:
    """The state a government publisher acts for ("DVIDS (U.S. Department of Defense)" -> the
    United States); None for a newspaper, whatever country its name holds ("The Korea Herald")."""
    if not publisher or not GOVERNMENT_PUBLISHER.search(publisher):
        return None
    for part in [publisher, *re.split(r"\s*[(),]\s*", publisher)]:
        if part and (code := gazetteer().country_acting_for(part.strip())):
            return resolver.country(code)
    return None


def _transcript_speakers(body: str, resolver: Resolver, ctx: ArticleContext) -> list[tuple[int, str | None]]:
    """Who speaks from where on, in a transcript: each speaker line's person, or None for a line
    that names nobody ("Q:", "MODERATOR:"), so that "I" in their words is that person. An article
    with no speaker line, or one line that names nobody by capitals or title ("Opinion: ..."), is
    no transcript."""
    lines = [m for m in SPEAKER_LINE.finditer(body) if len(m.group("label").split()) <= 12 and
             all(w[:1].isupper() or w in ("of", "for", "the", "and", "on") for w in m.group("label").split(",")[0].split())]
    # a name or a title alone, capitalised: "Trump said: ..." is a sentence, not a speaker line
    if not lines or len(lines) == 1 and not ("," in lines[0].group("label") or lines[0].group("label").isupper()):
        return []  # one "Opinion:" or "Update:" line is a heading; one speaker is named in capitals or with a title
    found: list[tuple[int, str | None]] = []
    for line in lines:
        label = re.sub(r"^(?:Mr|Ms|Mrs|Dr)\.?\s+", "", line.group("label")).split(",")[0].strip()
        if label.isupper():
            label = " ".join(w if len(w) <= 3 and w.endswith(".") else w.title() for w in label.split())
        label = re.sub(rf"^(?i:(?:{TITLE_PATTERN})\s+)+", "", label)  # "Secretary Of Defense Lloyd J. Austin Iii"
        label = re.sub(r"\b(Ii|Iii|Iv)$", lambda x: x.group(1).upper(), label)
        who = resolver.resolve(label, "PERSON", ctx) if len(label.split()) >= 2 else None
        found.append((line.end(), who if who and resolver.type_of(who) == "Person" else None))
    return found


def _is_headline(sent, tokens: tuple = ()) -> bool:  # noqa: ANN001 - a spaCy Span
    """A title-case line without a closing full stop: the model tags its words as names
    ("Emphasizes Manufacturing"), so names in it create no new entities."""
    words = [t for t in (tokens or sent) if t.is_alpha and len(t) > 3]
    if len(words) < 3 or len(sent.text) >= 200 or sent.text.rstrip().endswith(":"):
        return False  # "Ms. KAMIKAWA Yoko, Minister for Foreign Affairs:": a transcript's speaker, who is named
    titled = sum(t.is_title for t in words) / len(words)
    own_line = sent.end >= len(sent.doc) or "\n" in sent[-1].whitespace_ or "\n" in sent.doc[sent.end].text
    lower = [t for t in (tokens or sent) if t.is_alpha and t.is_lower and t.lower_ not in TITLE_CASE_LOWER]
    return titled >= 0.7 and not sent.text.rstrip().endswith((".", "”", '"')) or \
        titled >= 0.85 and own_line and not lower  # a headline on its own line, written with a full stop




def _unit_of_state(doc, ent):  # noqa: ANN001, ANN202 - spaCy Doc and Span
    """A state's name the registry's patterns matched, with the capitalised words after it when
    together they name one of its forces or agencies ("United States Army", "U.S. Marine Corps",
    "Philippine Coast Guard"); otherwise the state's name unchanged."""
    for size in (3, 2, 1):
        tail = doc[ent.end:ent.end + size]
        if len(tail) < size or not all(t.is_title or t.lower_ in ("of", "and") for t in tail) or \
                not tail[-1].is_title or TRAILING_TITLE.search(" " + tail[-1].text):
            continue  # "U.S. Air Force Secretary Frank Kendall": the force's secretary is a person's title
        if gazetteer().kind_of_name(f"{ent.text} {tail.text}") in ("MilitaryUnit", "GovernmentAgency"):
            span = doc.char_span(ent.start_char, tail.end_char, label="ORG")
            if span is not None:
                return span
    return ent




def _owned_by_state(doc, ent) -> bool:  # noqa: ANN001 - spaCy Doc and Span
    """Is the name possessed by a state ("South Korea's Hyundai Rotem", "Japan's Mitsubishi")?
    In news of deals such a name is a company unless its words say otherwise."""
    if ent.start >= 1 and doc[ent.start - 1].lower_ in triggers.words("company_noun"):
        return True  # "the state-owned defense company PGZ": named as a company
    if ent.start >= 2 and doc[ent.start - 1].lower_ == "group" and doc[ent.start - 2].lower_ in triggers.words("industry"):
        return True  # "the state-owned defence group PGZ"; but "the rebel group Hamas" is none
    if ent.start < 2 or doc[ent.start - 1].text not in ("’s", "'s"):
        return False
    owner = next((e for e in doc.ents if e.end == ent.start - 1 or e.end == ent.start), None)
    return owner is not None and owner.label_ == "GPE" and gazetteer().country(owner.text.rstrip("’'s")) is not None


def _acts(ent) -> bool:  # noqa: ANN001 - a spaCy Span
    """Does the name act in its sentence (subject, possessor, modifier of a noun)? Then a
    capital or seat stands for its government: "Seoul said", "the Kremlin's", "Beijing officials"."""
    root = ent.root
    following = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if following is not None and following.text in ("’s", "'s", "’", "-"):
        return True
    if root.dep_ == "conj":
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass", "poss", "compound", "agent")


def mentioned(sentences: list[Sentence], facts: list[Fact], article: Article,
              resolver: Resolver) -> list[Fact]:
    """A `Mentioned` fact for every entity the article names that no other fact of it uses:
    the entity is in the graph with the sentence that names it as its evidence."""
    used = {x for f in facts for x in f.entity_ids()}
    goods = {str(getattr(f.role("item"), "value", "")).lower() for f in facts if f.relation in ("Deal", "Investment")}
    found: list[Fact] = []
    for s in sentences:
        for m in s.mentions:
            if not m.entity_id or m.entity_id in used or m.text.lower() in ("he", "she"):
                continue
            if resolver.type_of(m.entity_id) == "Thing" and any(re.search(rf"\b{re.escape(m.text.lower())}\b", g)
                                                                for g in goods if g):
                continue  # "Tejas" of "97 Tejas fighter jets": the goods' name, no entity
            used.add(m.entity_id)
            entity = resolver.entity(m.entity_id)
            confidence = entity.confidence if entity is not None and entity.confidence is not None else Decimal("0.9")
            candidate = Candidate("Mentioned", {"entity": m.entity_id}, s.start, s.end, float(confidence),
                                        "named-entity")
            fact = to_fact(candidate, article, resolver)
            if fact is not None:
                found.append(fact)
    return found


def country_of(text: str, resolver: Resolver) -> str | None:
    """A country named by `text`: its name, an alias, a demonym or a capital standing for it
    ("the Seoul-Washington alliance")."""
    from .resolve import strip_name

    name = strip_name(text)
    hit = resolver.registry.lookup(name) if name else None
    if hit and resolver.type_of(hit) == "Country":
        return hit
    country = gazetteer().country(name) if name else None
    code = country.code if country else gazetteer().capital_of(name) if name else None
    return resolver.country(code) if code else None


def to_fact(c: Candidate, article: Article, resolver: Resolver) -> Fact | None:
    spec = RELATIONS[c.relation]
    roles = {k: v for k, v in c.roles.items() if v not in (None, (), "")}
    for role in spec.roles:
        if role.required and role.name not in roles:
            return None
        if role.kind is RoleKind.ENTITIES and role.name in roles and len(roles[role.name]) == 0:
            return None
    body = article.body
    start, end = _trim(body, max(0, c.start), min(len(body), c.end))
    if end <= start:
        return None
    span = Span(start, end)
    prefix, suffix = context(body, span)
    ids = sorted({v for r in spec.roles if r.kind is RoleKind.ENTITY and (v := roles.get(r.name))} |
                 {v for r in spec.roles if r.kind is RoleKind.ENTITIES for v in roles.get(r.name, ())})
    mentions = tuple(sorted((m for i in ids if (e := resolver.entity(i)) for m in find_mentions(body, span, e, article.id)),
                            key=lambda m: (m.span.start, m.span.end)))
    confidence = rule_confidence(c.rule, c.confidence)
    evidence = Evidence(article.id, span, body[start:end], prefix, suffix, Method.PARSED,
                        Decimal(str(confidence)), f"{COMPONENT}:{c.rule}", mentions)
    ordered = tuple((r.name, roles[r.name]) for r in spec.roles if r.name in roles)
    return Fact(c.relation, ordered, (evidence,))


@lru_cache(maxsize=1)
def _calibrated() -> dict[str, float]:
    import yaml
    from importlib import resources

    path = resources.files("kg").joinpath("data", "rule_confidence.yaml")
    if not path.is_file():
        return {}
    return {str(k): float(v) for k, v in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {})
                                           .get("rules") or {}).items()}


def rule_confidence(rule: str, default: float) -> float:
    """The rule's precision measured on the curated development articles, where it was measured;
    an entity's `Mentioned` fact keeps the confidence of the entity's type."""
    if rule == "named-entity":
        return default
    return _calibrated().get(rule, default)


_WORKER: dict[str, object] = {}
"""In a `--jobs` worker process: the registry and the pipeline, the registry kept by `init_worker`,
the pipeline inherited from the parent (forked) or made at the first chunk (spawned)."""


def init_worker(registry: Registry, nlp=None) -> None:  # noqa: ANN001 - a spaCy Language
    """Keep the registry a worker process parses with, and the pipeline when the worker was forked
    from a process that had it loaded. A spawned worker loads the model, fills its ruler and reads
    the lookup tables at the first chunk it parses, once per process: a worker a build keeps only
    to render blocks (`offload.Helper`) never loads them."""
    _WORKER["registry"] = registry
    if nlp is not None:
        _WORKER["nlp"] = nlp


def worker_registry() -> Registry:
    """The registry this worker process was started with (`init_worker`)."""
    return _WORKER["registry"]  # type: ignore[return-value]


def _parse_in_worker(articles: list[Article]) -> dict[str, tuple[list[Fact], list]]:
    if "nlp" not in _WORKER:
        from .gazetteer import gazetteer

        _WORKER["nlp"] = build_nlp(_WORKER["registry"])  # type: ignore[arg-type]
        gazetteer()
    return _parse_chunk((articles, _WORKER["registry"]), _WORKER["nlp"])  # type: ignore[arg-type]


def _parse_and_cache_in_worker(articles: list[Article], cache: Path, fingerprint: str) -> dict[str, tuple[None, list]]:
    """`_parse_in_worker`, the parses written to the parse cache here: sending them back cost the
    build's process their unpickling and pickling again to write them, while it parses too. Only
    each article's new entities go back."""
    found = _parse_in_worker(articles)
    by_id = {a.id: a for a in articles}
    for article_id, result in found.items():
        _write_cache(cache, by_id[article_id], fingerprint, result)
    return {article_id: (None, entities) for article_id, (_, entities) in found.items()}


def worker_pool(jobs: int, registry: Registry, nlp=None, processes: int | None = None):  # noqa: ANN001, ANN201 - a spaCy Language; a Pool
    """`processes` worker processes that parse with `registry`: by default `jobs` - 1 (this
    process is the other one); `jobs` when this process leaves the parse to them (`parsed_apart`).

    Forked on a system that forks while this process runs no other thread. Given this process's
    loaded pipeline `nlp`, they start with the model, the ruler and the gazetteer already in
    memory (shared until written), and parse their first chunk at once: spawning instead costs
    each worker the import and the model load, about two seconds, which on a corpus of a hundred
    articles is a third of the parse. Forked without `nlp`, each loads the model at its first
    chunk, all of them at once. Otherwise (another thread running, no fork), they are spawned
    and load the model themselves."""
    import multiprocessing as mp
    import threading

    processes = jobs - 1 if processes is None else processes
    if "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
        import gc

        if nlp is not None:
            from .gazetteer import gazetteer

            gazetteer()  # loaded before the fork, so every worker inherits it
        # what the workers inherit is never collected there: a worker's collections would walk (and so
        # copy) every page of the parent's model, and cost what the fork saved
        gc.freeze()
        try:
            return mp.get_context("fork").Pool(processes, initializer=init_worker, initargs=(registry, nlp))
        finally:
            gc.unfreeze()
    return mp.get_context("spawn").Pool(processes, initializer=init_worker, initargs=(registry,))


def _parse_chunk(args: tuple[list[Article], Registry], nlp=None) -> dict[str, tuple[list[Fact], list]]:  # noqa: ANN001
    articles, registry = args
    nlp = nlp or build_nlp(registry)
    found: dict[str, tuple[list[Fact], list]] = {}
    readable = [a for a in articles if not_english(a) is None]
    for article in articles:
        if article not in readable:
            found[article.id] = ([], [])
    articles = readable
    for article, doc in zip(articles, nlp.pipe((a.body for a in articles), batch_size=16)):
        # A fresh resolver per article: a parse depends on the article and the registry only,
        # so it can be cached and run in any process; new entities still meet across articles
        # because their ids come from their names.
        resolver = Resolver(registry)
        facts = extract_article(doc, article, resolver)
        used = {x for f in facts for x in f.entity_ids()}
        found[article.id] = (facts, [e for i, e in resolver.new.items() if i in used])
    collect_young()  # during a build the collector runs only here (see gcpause.py)
    return found


ENGLISH_WORDS = frozenset("the of and to in a is that for on with was said as by it at from has are be".split())


def not_english(article: Article) -> str | None:
    """Why an article is not parsed, or None: the English model reads English only, so text in
    another language, or a page of links with no sentences, would only give noise."""
    if article.language and not article.language.lower().startswith("en"):
        return f"its language is {article.language!r}"
    body = article.body
    letters = [c for c in body if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) / len(letters) < 0.7:
        return "its text is not in the Latin alphabet"
    words = re.findall(r"[A-Za-z]+", body.lower())
    if len(words) >= 20 and sum(w in ENGLISH_WORDS for w in words) / len(words) < 0.05:
        return "it reads neither as English prose nor as sentences"
    return None


def cache_key(article: Article, registry_fingerprint: str) -> str:
    """What a parse depends on: the body, the pipeline's code and data, and the registry."""
    import hashlib

    return hashlib.sha256("\x1f".join((article.body, str(article.date), VERSION, code_salt(), registry_fingerprint))
                          .encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def code_salt() -> str:
    """A digest of the extraction code and its data files: editing a rule or a gazetteer entry
    re-parses, without anyone remembering to bump a version."""
    import hashlib

    here = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), *(here.parent / "data").glob("*")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def registry_fingerprint(registry: Registry) -> str:
    import hashlib

    text = "\n".join(repr(e) for e in registry)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_facts(articles: Sequence[Article], registry: Registry, *, jobs: int = 1,
                  progress: bool = False, cache: Path | None = None) -> list[Fact]:
    """Parse every article; new entities are added to `registry` so the graph can describe them.

    With `jobs` > 1 the articles are split into contiguous chunks parsed by separate processes;
    new entities get ids from their names, so the result does not depend on the split. With a
    `cache` folder, an article whose body, pipeline version and registry are unchanged is not
    parsed again: its facts come from the cache (one file per article, written atomically).
    """
    return _combine(parse_each(articles, registry, jobs=jobs, progress=progress, cache=cache), registry)


def parse_each(articles: Sequence[Article], registry: Registry, *, jobs: int = 1, progress: bool = False,
               cache: Path | None = None, every: bool = True) -> list[tuple[list[Fact], list]]:
    """Each article's own parse, in article order: its facts and the new entities they use,
    before entities are resolved across articles (`_combine`). The registry is not changed.
    With `every` (all the corpus's articles are given), cached parses of other articles are
    dropped; an incremental build parses a few articles and keeps the rest."""
    fingerprint = registry_fingerprint(registry)
    skipped = [(a.id, why) for a in articles if (why := not_english(a))]
    if skipped and progress:
        import click

        for article_id, why in skipped:
            click.echo(f"Not parsed: {article_id}: {why} (its curated facts are kept)", err=True)
    cached: dict[str, tuple[list[Fact], list]] = {}
    if cache is not None:
        cached = {a.id: hit for a in articles if (hit := _read_cache(cache, a, fingerprint)) is not None}
    todo = [a for a in articles if a.id not in cached]
    parsed = _parse_all(todo, registry, jobs, progress)
    if cache is not None:
        for article in todo:
            _write_cache(cache, article, fingerprint, parsed.get(article.id, ([], [])))
        if every:
            _prune_cache(cache, {a.id for a in articles})
    return [cached.get(a.id) or parsed.get(a.id, ([], [])) for a in sorted(articles, key=lambda a: a.id)]


def parse_into_cache(articles: Sequence[Article], registry: Registry, *, jobs: int, progress: bool,
                     cache: Path, pool=None) -> dict[str, list]:  # noqa: ANN001 - see `worker_pool`
    """Parse every article the cache lacks, writing each chunk's parses as they come, and drop
    the parses of articles no longer given. Returns only each article's new entities: the facts
    stay on disk, to be read back one article at a time (`cached_parse`)."""
    fingerprint = registry_fingerprint(registry)
    if progress:
        import click

        for article in articles:
            if (why := not_english(article)):
                click.echo(f"Not parsed: {article.id}: {why} (its curated facts are kept)", err=True)
    entities: dict[str, list] = {}
    todo = []
    for article in articles:
        hit = _read_cache(cache, article, fingerprint)
        if hit is None:
            todo.append(article)
        else:
            entities[article.id] = hit[1]
    by_id = {a.id: a for a in todo}

    def keep(results: dict[str, tuple[list[Fact] | None, list]]) -> None:
        for article_id, result in results.items():
            if result[0] is not None:  # None: a worker wrote it to the cache already
                _write_cache(cache, by_id[article_id], fingerprint, result)  # type: ignore[arg-type]
            entities[article_id] = result[1]

    _parse_all(todo, registry, jobs, progress, on_chunk=keep, pool=pool, cache=(cache, fingerprint))
    for article in todo:  # an article no chunk returned (none today): an empty parse, cached
        if article.id not in entities:
            keep({article.id: ([], [])})
    _prune_cache(cache, {a.id for a in articles})
    return entities


def cached_parse(cache: Path, article: Article, fingerprint: str) -> tuple[list[Fact], list]:
    """An article's parse as `parse_into_cache` left it (`fingerprint`: of the registry it was
    parsed with)."""
    hit = _read_cache(cache, article, fingerprint)
    if hit is None:
        raise LookupError(f"the parse of {article.id} is not in {cache}")
    return hit


def _read_cache(cache: Path, article: Article, fingerprint: str) -> tuple[list[Fact], list] | None:
    import pickle

    path = cache / f"{article.id}.pickle"
    try:
        with open(path, "rb") as handle:
            key, facts, entities = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return None
    return (facts, entities) if key == cache_key(article, fingerprint) else None


def _write_cache(cache: Path, article: Article, fingerprint: str, result: tuple[list[Fact], list]) -> None:
    import os
    import pickle
    import tempfile

    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{article.id}.", dir=cache)
    with os.fdopen(fd, "wb") as handle:
        pickle.dump((cache_key(article, fingerprint), *result), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, cache / f"{article.id}.pickle")


def forget_parses(cache: Path, article_ids: Sequence[str]) -> None:
    """Drop the cached parses of articles that were removed."""
    for article_id in article_ids:
        (cache / f"{article_id}.pickle").unlink(missing_ok=True)


def _prune_cache(cache: Path, keep: set[str]) -> None:
    for path in cache.glob("*.pickle"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
    for path in cache.glob(".*"):
        path.unlink(missing_ok=True)


SMALLEST_CHUNK = 8
"""Articles a parse worker is handed at least: `SMALLEST_CHUNK` articles or fewer to parse are
parsed by the build's process alone, with no worker started (`parsed_alone`)."""


def parsed_alone(articles: int) -> bool:
    """Whether a parse of this many articles starts no worker processes, whatever `jobs` is."""
    return articles <= SMALLEST_CHUNK


PARSED_APART = 1000
"""Articles from which a parse with `jobs` >= 2 runs in `jobs` worker processes and the build's
process parses nothing (`parsed_apart`)."""


def parsed_apart(articles: int, jobs: int) -> bool:
    """Whether a parse of this many articles leaves the build's process out of it.

    A process that has loaded spaCy's model and parsed thousands of articles keeps what that took
    (about 300 MB at 10k synthetic articles, of which letting go of the model gave back 16 MB), and
    the build's process then merges and writes on top of it: a 10k-article build peaked at
    0.94-1.07 GB, against 0.69 GB for the same build from the parse cache, spaCy never loaded.
    Left out, the build's process only hands out chunks while `jobs` workers parse, each loading
    the model itself (about two seconds, side by side: nothing against a parse of minutes), and
    the same build peaks at 0.58-0.61 GB (with `offload.Helper.parsed` and the merge's bounded
    batches, `fullbuild.HELD_STATEMENTS`). At 1k articles, alternating five builds from nothing
    each way, it is as fast (medians 34.1 s against 34.6 s) and peaks at 262 MB, not 363-386. Below
    `PARSED_APART` articles the build's process parses too, while the workers start (see
    `_parse_all`)."""
    return jobs > 1 and articles >= PARSED_APART


def _parse_all(articles: Sequence[Article], registry: Registry, jobs: int, progress: bool,
               on_chunk=None, pool=None, cache: tuple[Path, str] | None = None) -> dict[str, tuple[list[Fact], list]]:  # noqa: ANN001
    """Facts and new entities per article id; with `on_chunk` (a callable of such a dict), each
    chunk's results are handed to it as they come and not kept (a corpus's parses never all in
    memory at once). `pool`: a call giving worker processes the caller keeps for later work (see
    `worker_pool`), made only if there is enough to parse. `cache` (the parse cache and the
    registry's fingerprint): the helpers write their parses there and hand back None for the
    facts (`_parse_and_cache_in_worker`)."""
    ordered = sorted(articles, key=lambda a: a.id)
    if not ordered:
        return {}
    # with several processes: about twelve chunks per process, so they finish together, and never
    # chunks so small that sending articles back and forth costs more than parsing them
    size = max(SMALLEST_CHUNK, -(-len(ordered) // (jobs * 12))) if jobs > 1 else len(ordered)
    chunks = [ordered[i:i + size] for i in range(0, len(ordered), size)]
    apart = parsed_apart(len(ordered), jobs)
    if jobs > 1 and len(chunks) >= 6 and not apart:  # only the workers take chunks: no front meets the back
        chunks = _finer_where_they_meet(chunks)
    results: dict[str, tuple[list[Fact], list]] = {}
    take = on_chunk or results.update
    bar = None
    if progress and len(ordered) > 20:
        import click

        bar = click.progressbar(length=len(ordered), label="Parsing articles", file=click.get_text_stream("stderr"))
        bar.__enter__()
    try:
        if jobs > 1 and len(chunks) > 1:
            from contextlib import nullcontext

            # This process is one of the `jobs`: it parses chunks itself while the other
            # processes start (spawning and loading the model costs each of them seconds), and
            # hands a chunk to a helper whenever one is free. Results are keyed by article, so
            # who parsed what does not change the output.
            todo = list(chunks)
            running: list = []
            processes = jobs if apart else jobs - 1
            # loaded first, unless the workers parse it all: forked helpers inherit it (`worker_pool`)
            nlp = None if apart else build_nlp(registry)
            with (nullcontext(pool(nlp, processes)) if pool is not None else
                  worker_pool(jobs, registry, nlp, processes)) as pool:
                while todo or running:
                    for done in [r for r in running if r[1].ready()]:
                        running.remove(done)
                        take(done[1].get())
                        if bar:
                            bar.update(len(done[0]))
                    while todo and len(running) < 2 * processes:  # one ready while one runs: never idle
                        chunk = todo.pop()  # helpers take from the end, this process from the front
                        running.append((chunk, pool.apply_async(_parse_in_worker, (chunk,)) if cache is None else
                                        pool.apply_async(_parse_and_cache_in_worker, (chunk, *cache))))
                    if todo and not apart:
                        chunk = todo.pop(0)
                        take(_parse_chunk((chunk, registry), nlp))
                        if bar:
                            bar.update(len(chunk))
                    elif running:
                        running[0][1].wait(0.05)
        else:
            for chunk in chunks:
                take(_parse_chunk((chunk, registry)))
                if bar:
                    bar.update(len(chunk))
    finally:
        if bar:
            bar.__exit__(None, None, None)
    return results


def _finer_where_they_meet(chunks: list[list[Article]]) -> list[list[Article]]:
    """The chunks of the middle third cut in quarters. This process parses from the front and
    the helpers from the back, two chunks handed to each ahead: they meet near the middle, and
    when nothing is left this process waits for what the helpers still hold. With whole chunks
    that wait was 2 s at 400 synthetic articles (`--jobs 2`), a tenth of the parse."""
    third = len(chunks) // 3
    middle = []
    for chunk in chunks[third:len(chunks) - third]:
        middle += [piece for k in range(4) if (piece := chunk[len(chunk) * k // 4:len(chunk) * (k + 1) // 4])]
    return [*chunks[:third], *middle, *chunks[len(chunks) - third:]]


def _combine(results: list[tuple[list[Fact], list]], registry: Registry) -> list[Fact]:
    """All facts in article order; the new entities they use join the registry.

    Articles are parsed apart, so the same new entity may come from several of them: the most
    confident typing wins, and people whose names are variants of one name ("Joe Biden",
    "Joseph R. Biden, Jr.") become one entity that keeps the other spellings as aliases.
    """
    new, mapping = resolve_new_entities([entities for _, entities in results], registry)
    facts = [_remap(f, mapping) if mapping else f for chunk_facts, _ in results for f in chunk_facts]
    used = {x for f in facts for x in f.entity_ids()}
    for entity_id in sorted(used):
        if entity_id in new and entity_id not in registry:
            registry.add(new[entity_id])
    return facts


def resolve_new_entities(per_article: Sequence[list], registry: Registry) -> tuple[dict[str, Entity], dict[str, str]]:
    """The new entities of every article as one set (the most confident typing of an id wins;
    variants of one person's name merge), and the id mapping the merges make."""
    from .resolve import merge_people, with_aliases

    new: dict[str, Entity] = {}
    for entities in per_article:
        for entity in entities:
            known = new.get(entity.id)
            if known is None or (entity.confidence or 0, entity.type) > (known.confidence or 0, known.type):
                new[entity.id] = entity
    mapping = merge_people(list(new.values()), registry)
    for old_id, kept in sorted(mapping.items()):
        if kept in new:
            new[kept] = with_aliases(new[kept], [new[old_id].label, *new[old_id].aliases])
    return new, mapping


def remap(fact: Fact, mapping: dict[str, str]) -> Fact:
    return _remap(fact, mapping) if mapping else fact


def _remap(fact: Fact, mapping: dict[str, str]) -> Fact:
    """The fact with merged entity ids in its roles and its evidence mentions."""
    from dataclasses import replace

    from ..relations import map_entity_roles

    roles = map_entity_roles(fact.roles, fact.relation, lambda v: mapping.get(v, v))
    evidence = tuple(replace(ev, mentions=tuple(replace(m, entity_id=mapping.get(m.entity_id, m.entity_id))
                                                for m in ev.mentions)) for ev in fact.evidence)
    return Fact(fact.relation, roles, evidence)
