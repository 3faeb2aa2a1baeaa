"""The spaCy components this project adds, registered by versioned name in one place."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

EXERCISE_WORDS = re.compile(r"\b(exercises?|drills?|war ?games?|manoeuvres|maneuvers)\b", re.IGNORECASE)
EXERCISE_VERBS = {"extend", "conduct", "hold", "stage", "launch", "resume", "begin", "start", "cancel", "suspend",
                  "postpone", "end", "complete", "join", "host", "run"}


def doc_text(doc: Doc) -> str:
    """The doc's text, joined once: `Doc.text` joins every token again at each access, and each
    of the project's components reads it. Tokens are never re-spelt after the tokenizer, so the
    text a component read stays the text of the doc."""
    text = doc.user_data.get("akg_text")
    if text is None:
        text = doc.user_data["akg_text"] = doc.text
    return text


@Language.factory("akg_line_breaks_v1")
def make_line_breaks(nlp: Language, name: str) -> "LineBreaks":
    return LineBreaks()


class LineBreaks:
    """A line break ends a sentence: headings and paragraphs are never glued to the next line.
    And only a line break or a sentence-final mark can: the small parser otherwise cuts "the sale
    of 54 M1A2 | SEPv3 Abrams tanks" in two and loses the deal."""

    FINAL = {".", "!", "?", "”", "\"", "’", "'", ":", ")", "…"}

    def __init__(self) -> None:
        self._kinds: dict[int, int] = {}  # orth id -> 1 breaks a line, 0 ends a sentence, -1 neither
        self._opener_ids: frozenset[int] | None = None
        self._abbreviations: dict[int, bool] = {}
        self._title_ids: frozenset[int] | None = None

    def _kind(self, doc: Doc, orth: int) -> int:
        kind = self._kinds.get(orth)
        if kind is None:
            text = doc.vocab.strings[orth]
            kind = 1 if "\n" in text else 0 if (text in self.FINAL or text.endswith(".")) else -1
            self._kinds[orth] = kind
        return kind

    def _openers(self, doc: Doc) -> frozenset[int]:
        if self._opener_ids is None:
            self._opener_ids = frozenset(doc.vocab.strings.add(word) for word in SENTENCE_OPENERS)
        return self._opener_ids

    def _titles(self, doc: Doc) -> frozenset[int]:
        """The ids of abbreviated titles and ranks with their full stop ("Brig.", "Gen.", "Hon.")."""
        if self._title_ids is None:
            from .lexicon import NAME_ABBREVIATIONS

            self._title_ids = frozenset(doc.vocab.strings.add(word + ".") for word in NAME_ABBREVIATIONS)
        return self._title_ids

    def _abbreviation(self, doc: Doc, orth: int) -> bool:
        """"U.S.", "Corp.": a capitalised word of three or more characters ending in a full stop."""
        found = self._abbreviations.get(orth)
        if found is None:
            text = doc.vocab.strings[orth]
            found = self._abbreviations[orth] = len(text) > 2 and text.endswith(".") and text[0].isupper()
        return found

    def __call__(self, doc: Doc) -> Doc:
        # Read as arrays of ids rather than Token objects: this runs on every token of every article.
        import numpy

        from spacy.attrs import IS_SPACE, ORTH, SENT_START

        if len(doc) < 2:
            return doc
        columns = doc.to_array([ORTH, IS_SPACE])
        starts = numpy.zeros(len(doc), dtype="int64")
        kind = self._kind
        previous = kind(doc, int(columns[0, 0]))
        for i in range(1, len(doc)):
            if previous == 1:
                starts[i] = 1
            elif previous == -1 and not columns[i, 1]:
                starts[i] = -1
            previous = kind(doc, int(columns[i, 0]))
        openers = self._openers(doc)
        titles = self._titles(doc)
        for i in range(1, len(doc)):
            if starts[i] == 0 and int(columns[i, 0]) in openers and self._abbreviation(doc, int(columns[i - 1, 0])):
                starts[i] = 1  # "... with Secretary Blinken of the U.S. At the outset, ...": "U.S." ended it
            elif starts[i] == 0 and int(columns[i - 1, 0]) in titles:
                starts[i] = -1  # "military spokesman Brig. Tamer Al Refae": a rank's stop ends no sentence
        for dateline in DATELINE.finditer(doc_text(doc)):
            # "SEOUL, Oct 31 (Yonhap) -- North Korea fired ...": the dateline is no part of the first
            # sentence's parse (its city would be read as the subject)
            after = doc.char_span(dateline.end(), dateline.end() + 1, alignment_mode="expand")
            if after is not None and after.start > 0:
                starts[after.start] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))  # spaCy reads -1 back from its uint64
        return doc


SENTENCE_OPENERS = frozenset({
    "The", "A", "An", "At", "In", "On", "He", "She", "It", "They", "We", "I", "But", "And", "This", "That", "These",
    "Those", "His", "Her", "Their", "Our", "Its", "After", "During", "However", "Meanwhile", "Earlier", "Later",
    "Since", "While", "When", "As", "Both", "Officials", "There", "Such", "Under", "For", "With", "According"})
"""Capitalised words that open a sentence and never continue a name: after an abbreviation's full
stop ("U.S.", "Corp.") they start the next sentence, which the stop alone did not say."""
DATELINE = re.compile(r"(?m)^[A-Z][A-Z .'-]{2,40}(?:,\s+[A-Z][\w .'-]{1,30})?(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
                      r"(?:,\s+\d{4})?\s*(?:\([A-Za-z ./]+\))?\s*(?:--|—|–|-(?=\s))\s*(?=[A-Z“\"])")
"""A news dateline at the start of a paragraph: "SEOUL, Oct 31 (Yonhap) -- ", "BRUSSELS (AP) — "."""


@lru_cache(maxsize=65536)
def _known_body(text: str) -> bool:
    """A state or an organisation of the gazetteer, which holds exercises and is never one."""
    from .gazetteer import gazetteer

    name = re.sub(r"^[Tt]he\s+", "", text)
    return gazetteer().organization(name) is not None or gazetteer().country(name) is not None


@Language.factory("akg_exercise_names_v1")
def make_exercise_names(nlp: Language, name: str) -> "ExerciseNames":
    return ExerciseNames()


class ExerciseNames:
    """Names of military exercises are not people: the small model tags 'Vigilant Storm' PERSON.

    A capitalised name in a sentence about an exercise, that is the object of a verb or
    apposed to "exercise", is relabelled EVENT.
    """

    def __call__(self, doc: Doc) -> Doc:
        if not EXERCISE_WORDS.search(doc_text(doc)):
            return doc  # most articles name no exercise: nothing to relabel
        ents = self._relabel(doc)
        # A name found to be an exercise is one everywhere in the article ("for Freedom Shield").
        names = {e.text for e in ents if e.label_ == "EVENT" and EXERCISE_WORDS.search(e.sent.text)}
        doc.ents = [Span(doc, e.start, e.end, label="EVENT") if e.text in names and not e.ent_id_ else e for e in ents]
        return doc

    def _relabel(self, doc: Doc) -> list[Span]:
        ents = []
        for ent in doc.ents:
            root = ent.root
            about_exercise = (root.dep_ == "dobj" and root.head.lemma_.lower() in EXERCISE_VERBS) or \
                any(EXERCISE_WORDS.search(t.text) for t in (*root.children, root.head) if t is not root) or \
                (root.dep_ in ("nsubj", "nsubjpass") and EXERCISE_WORDS.search(root.head.sent.text[:200]) and
                 root.head.lemma_.lower() in EXERCISE_VERBS and
                 (root.dep_ == "nsubjpass" or not any(c.dep_ == "dobj" for c in root.head.children)))
            # "Freedom Shield began", "Balikatan was held": the exercise; "NATO launched X": who holds it
            if ent.label_ in ("PERSON", "ORG", "WORK_OF_ART", "PRODUCT") and not ent.ent_id_ and \
                    EXERCISE_WORDS.search(ent.sent.text) and about_exercise and not _known_body(ent.text):
                # ("the NATO defence exercise Steadfast Defender": NATO holds it, Steadfast Defender is it)
                ents.append(Span(doc, ent.start, ent.end, label="EVENT"))
            else:
                ents.append(ent)
        return ents


@Language.factory("akg_entity_ruler_v1", default_config={"overwrite_ents": True})
def make_entity_ruler(nlp: Language, name: str, overwrite_ents: bool):  # noqa: ANN201
    """spaCy's EntityRuler, to be filled with the registry's names: known names and types win."""
    from spacy.pipeline import EntityRuler

    return EntityRuler(nlp, name=name, overwrite_ents=overwrite_ents, phrase_matcher_attr="LOWER")


@Language.factory("akg_geographic_features_v1")
def make_geographic_features(nlp: Language, name: str) -> "GeographicFeatures":
    return GeographicFeatures()


class GeographicFeatures:
    """A sea, strait or peninsula named for a state is a region, not the state: the registry's
    ruler reads "China" inside "the South China Sea" and "Taiwan" inside "the Taiwan Strait".
    Such a name, with the compass word before it and the feature word after it
    (`geographic_features` in `kg/data/name_words.yaml`), becomes one LOC entity."""

    def __init__(self) -> None:
        from .gazetteer import word_list

        self.features = word_list("geographic_features")

    def __call__(self, doc: Doc) -> Doc:
        ents, changed = [], False
        for ent in doc.ents:
            after = doc[ent.end] if ent.end < len(doc) else None
            if ent.label_ in ("GPE", "NORP") and after is not None and after.text in self.features and \
                    ent[-1].text[:1].isupper():
                start = ent.start
                while start > 0 and doc[start - 1].text in ("South", "North", "East", "West", "Central"):
                    start -= 1
                ents = [e for e in ents if e.end <= start]
                ents.append(Span(doc, start, ent.end + 1, label="LOC"))
                changed = True
            elif not ents or ent.start >= ents[-1].end:
                ents.append(ent)
        waters = self._waters_of(doc)
        if waters:  # "the Bay of Bengal", "the Gulf of Aden": the model cuts them at "of"
            ents = [e for e in ents if not any(e.start < w.end and w.start < e.end for w in waters)] + waters
            ents.sort(key=lambda e: e.start)
            changed = True
        if changed:
            doc.ents = ents
            for ent in doc.ents:
                if ent.label_ == "LOC" and (ent[-1].text in self.features or ent in waters):
                    for token in ent:
                        token.ent_id_ = ""  # the ruler's id of the state inside the name does not carry over
        return doc


    def _waters_of(self, doc: Doc) -> list[Span]:
        """A feature word, "of" and a capitalised name: one LOC ("Bay of Bengal", "Sea of Japan")."""
        found: list[Span] = []
        for token in doc:
            i = token.i
            if token.text not in self.features or i + 2 >= len(doc) or doc[i + 1].lower_ != "of" or \
                    not doc[i + 2].is_title or (found and i < found[-1].end):
                continue
            end = i + 3
            while end < len(doc) and doc[end].is_title and doc[end].ent_iob_ != "B":
                end += 1
            found.append(Span(doc, i, end, label="LOC"))
        return found


@Language.factory("akg_place_suffix_v1")
def make_place_suffix(nlp: Language, name: str) -> "PlaceSuffix":
    return PlaceSuffix()


class PlaceSuffix:
    """A venue named with its city ("the Great Hall of the People in Beijing", "Camp Aguinaldo in
    Quezon City") is two entities: the venue and the city, as the model would have read them
    apart. Only when the words after the last "in" are a city the gazetteer knows."""

    def __call__(self, doc: Doc) -> Doc:
        from .gazetteer import gazetteer

        ents, changed = [], False
        for ent in doc.ents:
            cut = next((t.i for t in reversed(ent) if t.lower_ == "in" and t.i > ent.start + 1), None)
            if ent.label_ in ("FAC", "ORG", "LOC") and not ent.ent_id_ and cut is not None and cut + 1 < ent.end and \
                    gazetteer().city(doc[cut + 1:ent.end].text) is not None:
                ents += [Span(doc, ent.start, cut, label=ent.label_), Span(doc, cut + 1, ent.end, label="GPE")]
                changed = True
            else:
                ents.append(ent)
        if changed:
            doc.ents = ents
        return doc


@Language.factory("akg_known_names_v1")
def make_known_names(nlp: Language, name: str):  # noqa: ANN201
    """Every country's and every gazetteer organisation's name, as written (case-sensitive), where
    the model saw no entity: the small model misses "Montenegro" at the start of a sentence or
    "the Quad". It never overwrites what the model or the registry found ("Jordan" the person
    stays a person)."""
    from spacy.pipeline import EntityRuler

    from .gazetteer import known_name_patterns

    ruler = EntityRuler(nlp, name=name, overwrite_ents=False, phrase_matcher_attr="ORTH")
    with nlp.select_pipes(disable=nlp.pipe_names):  # matched on ORTH: the tokenizer alone reads the names
        ruler.add_patterns(known_name_patterns())
    return KnownNames(ruler)


class KnownNames:
    """The known-names ruler, which may take a number the model tagged inside a known name ("the
    Group of Twenty" is tagged "Twenty", CARDINAL) or a place or nationality ("U.S. Indo-Pacific
    Command" holds the registry's "Indo-Pacific"): a ruler that overwrites nothing would leave the
    body out. The ruler matches once; what it found is set after those are taken out."""

    NUMBERS = ("CARDINAL", "ORDINAL")
    INSIDE = ("GPE", "LOC", "NORP")
    """Places and nationalities a longer known name holds: the longer name wins."""

    def __init__(self, ruler) -> None:  # noqa: ANN001 - a spaCy EntityRuler
        self.ruler = ruler

    def __call__(self, doc):  # noqa: ANN001, ANN204 - a spaCy Doc
        matches = self.ruler.match(doc)
        if not matches:
            return doc
        names = [(start, end) for _, start, end in matches]
        inside = [e for e in doc.ents if any(start <= e.start and e.end <= end and end - start > len(e)
                                             for start, end in names) and
                  (e.label_ in self.INSIDE or (e.label_ in self.NUMBERS and e.start > 0 and
                                               doc[e.start - 1].lower_ == "of"))]
        # ("U.S. Indo-Pacific Command": the command, not the region the registry knows as "Indo-Pacific")
        if inside:
            doc.ents = [e for e in doc.ents if e not in inside]
            for e in inside:
                for token in e:
                    token.ent_id_ = ""  # the registry's id of the shorter name stays with it
        self.ruler.set_annotations(doc, matches)
        return doc


PARTICLES = ("von", "van", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "bin", "ibn", "al", "el",
             "ter", "ten")
PARTICLE_NAME = re.compile(r"\b[A-Z][a-z]+\s+(?:(?:" + "|".join(PARTICLES) + r")\s+){1,2}"
                           r"[A-Z][\w’'-]+")
"""A name with a particle before the family name ("Ursula von der Leyen", "Mark van der Linde"),
which the small model cuts at the particle ("Ursula von der" + "Leyen", a place)."""


@Language.factory("akg_particle_names_v1")
def make_particle_names(nlp: Language, name: str) -> "ParticleNames":
    return ParticleNames()


class ParticleNames:
    """Names with particles made whole, as people, unless the whole is a known place or body
    ("Rio de Janeiro") or the registry names any part of it."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        if not any(f" {p} " in text for p in PARTICLES):
            return doc
        from spacy.util import filter_spans

        from .gazetteer import gazetteer

        spans = []
        for match in PARTICLE_NAME.finditer(text):
            span = doc.char_span(match.start(), match.end(), label="PERSON")
            if span is None or any(e.ent_id_ for e in doc.ents if e.start < span.end and span.start < e.end) or \
                    gazetteer().city(span.text) or gazetteer().country(span.text) or gazetteer().organization(span.text):
                continue
            spans.append(span)
        if spans:
            kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
            doc.ents = filter_spans(kept + spans)
        return doc


@Language.factory("akg_titled_names_v1")
def make_titled_names(nlp: Language, name: str) -> "TitledNames":
    return TitledNames()


class TitledNames:
    """Two or three capitalised words right after a title are a person's name ("Minister of
    National Defence Mariusz Blaszczak", "Japanese PM Fumio Kishida"): the small model misses
    such names or swallows them with the end of the title into an organisation ("Defence Lloyd
    Austin"). Names the registry or the model already typed as something else are left alone."""

    STOP = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}

    def __init__(self) -> None:
        from .lexicon import TITLE_PATTERN

        # "US Ambassador to Japan Rahm Emanuel": a posting between the title and the name
        self._title = re.compile(rf"\b(?i:{TITLE_PATTERN})\s+(?:(?i:to|in)\s+(?:the\s+)?(?:[A-Z][\w.-]+\s+){{1,2}}"
                                 rf"(?=[A-Z][a-z]+\s+[A-Z]))?(?=[A-Z])")
        # "Mariusz Błaszczak, Polish minister of defence, said": a name the title after it describes
        self._apposed = re.compile(rf"(?<![\w’'-])(?P<name>[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){{1,2}}),\s+(?:the\s+)?"
                                   rf"(?:[A-Z][\w.-]+(?:[’']s)?\s+)?(?:new\s+|former\s+|current\s+)?"
                                   rf"(?i:{GOVERNMENT_TITLES})\b")

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        ents = list(doc.ents)
        changed = False
        for match in self._title.finditer(text):
            first = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
            if first is None:
                continue
            i = first.start
            words = []
            while i < len(doc) and len(words) < 3:
                token = doc[i]
                if not (token.is_title or token.text[:1].isupper()) or not token.is_alpha or \
                        token.ent_type_ in self.STOP or token.ent_id_ or (words and token.is_sent_start):
                    break
                words.append(token)
                i += 1
            if len(words) < 2:
                continue
            span = Span(doc, words[0].i, words[-1].i + 1, label="PERSON")
            inside = [e for e in ents if e.start < span.end and span.start < e.end]
            if any(e.label_ == "PERSON" or e.ent_id_ or e.label_ in ("GPE", "NORP") and e.start >= span.start
                   for e in inside):
                continue  # the model's own person, a registered name, a place named after the title
            if any(e.end > span.end or e.start_char <= match.start() for e in inside):
                continue  # an entity running past the name, or one the title begins ("General Dynamics")
            from .gazetteer import gazetteer

            if gazetteer().kind_of_name(span.text) or gazetteer().organization(span.text) or gazetteer().country(span.text):
                continue  # "Dynamics Land Systems", "Joint Chiefs": words of a body, not of a name
            ents = [e for e in ents if e not in inside] + [span]
            changed = True
        for match in self._apposed.finditer(text):
            span = doc.char_span(match.start("name"), match.end("name"), label="PERSON")
            if span is None or any(e.start < span.end and span.start < e.end for e in ents):
                continue  # the model or the registry already named it (a person, a state, a body)
            from .gazetteer import gazetteer

            if gazetteer().kind_of_name(span.text) or gazetteer().organization(span.text) or \
                    gazetteer().country(span.text) or any(t.is_stop or not t.is_alpha for t in span):
                continue
            ents.append(span)
            changed = True
        if changed:
            doc.ents = sorted(ents, key=lambda e: e.start)
        return doc


GOVERNMENT_TITLES = (r"prime minister|(?:\w+\s+)?minister(?:\s+(?:of|for)\s+\w+)?|secretary(?:\s+of\s+\w+)?|"
                     r"president|ambassador|spokes(?:person|man|woman)|chancellor|premier|secretary[- ]general")
"""Offices of a government or an alliance, that in apposition describe the person named before them."""


@Language.factory("akg_org_names_v1")
def make_org_names(nlp: Language, name: str) -> "OrgNames":
    return OrgNames()


class OrgNames:
    """A company name the model splits in two ("Lockheed" ORG + "Martin" PERSON, "Northrop"
    ORG + "Grumman" PRODUCT) is one organisation: adjacent ORG and one-word name, no comma."""

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        merged: list[Span] = []
        i = 0
        while i < len(ents):
            ent = ents[i]
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            if nxt is not None and ent.label_ == "ORG" and not ent.ent_id_ and not nxt.ent_id_ and \
                    nxt.start == ent.end and len(nxt) == 1 and nxt.label_ in ("PERSON", "PRODUCT", "ORG") and \
                    nxt[0].is_title and not doc[ent.end - 1].whitespace_ == "":
                merged.append(Span(doc, ent.start, nxt.end, label="ORG"))
                i += 2
                continue
            merged.append(ent)
            i += 1
        doc.ents = merged
        return doc
