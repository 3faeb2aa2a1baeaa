"""Small walks over spaCy's dependency parse that several relation rules share: the subject
of a verb, the object of a preposition, a possessor, and the mention a phrase names."""

from __future__ import annotations

import re

from .gazetteer import gazetteer
from .sentence import Mention, Sentence


def subject_of(token):  # noqa: ANN001, ANN202 - spaCy tokens
    """The subject of a verb, climbing through 'agreed to buy', 'will be able to sell'."""
    seen = 0
    while token is not None and seen < 6:
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
        if subjects:
            if subjects[0].lower_ in ("who", "which", "that") and token.dep_ == "relcl":
                return token.head  # "Austin, who arrived in Delhi": the noun the clause describes
            if subjects[0].lower_ in ("it", "they") and token.dep_ == "ccomp" and token.head != token and seen < 5:
                # "Poland's ministry said it had signed a deal": the one who says so did it
                said = subject_of(token.head)
                if said is not None and said.pos_ != "PRON":
                    return said
            return subjects[0]
        if token.dep_ in ("xcomp", "advcl", "conj", "ccomp", "acl", "relcl", "pcomp", "pobj", "prep", "dobj", "acomp",
                          "aux", "amod", "compound", "nsubj") and token.head != token:
            token = token.head
            seen += 1
            continue
        return None
    return None


def object_of(token, preposition: str):  # noqa: ANN001, ANN202
    """The object of `preposition` in the phrase the token heads, nearest first: "purchase
    shells and related equipment from the U.S. government" -> government."""
    return next(objects_of(token, preposition), None)


def objects_of(token, preposition: str):  # noqa: ANN001, ANN201 - spaCy tokens
    """Every object of `preposition` in the phrase the token heads, nearest first."""
    queue = [token]
    while queue:
        node = queue.pop(0)
        for child in node.children:
            if child.dep_ in ("prep", "dative") and child.lower_ == preposition:
                yield from [c for c in child.children if c.dep_ == "pobj"][:1]
        queue += [c for c in node.children if c.dep_ in ("dobj", "attr", "pobj", "conj", "prep", "appos")]


def possessor_of(token):  # noqa: ANN001, ANN202
    node = token
    for _ in range(3):
        owners = [c for c in node.children if c.dep_ == "poss"]
        if owners:
            return owners[0]
        node = node.head
    return None


def side(sent: Sentence, token, state_of, kinds: tuple[str, ...]) -> str | None:  # noqa: ANN001
    """The entity of one of `kinds` that the phrase a token heads names; a government body
    stands for its state when `state_of` is given ("State Department" -> United States)."""
    if token is None:
        return None
    lo, hi = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
    joined = [c for c in token.children if c.dep_ in ("cc", "conj") and c.i > token.i]
    if joined:  # "between Minister X and Hyundai Rotem": the phrase of X, not of its conjuncts
        hi = min(c.left_edge.idx for c in joined)
    inside = [m for m in sent.mentions if m.entity_id and m.kind in kinds and lo <= m.start < hi]
    if not inside and state_of is not None and "Country" in kinds:
        # "to buy tanks from Washington": a capital after a preposition was read as the city;
        # as a party to a deal or a treaty it is its government
        for m in sent.mentions:
            if m.kind == "City" and lo <= m.start < hi and (code := gazetteer().capital_of(m.text)):
                return state_of(code) or None
    if not inside:
        return None
    head = next((m for m in inside if m.start <= token.idx < m.end), None)
    mention: Mention = head or inside[-1]  # "to NATO ally Poland": the last name is the party
    if state_of is not None and (mention.kind in ("GovernmentAgency", "MilitaryUnit") or
                                 mention.text.lower().endswith("government")):
        code = gazetteer().country_acting_for(re.sub(r"^the\s+", "", mention.text, flags=re.IGNORECASE))
        if code:
            return state_of(code) or mention.entity_id
    return mention.entity_id
