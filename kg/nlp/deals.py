"""Deals, contracts and arms sales: who sells what, how many, for how much, to whom.

News phrases a sale in a handful of frames, and each frame says which side is which:

- sell frame: "Boeing will sell 103 jets to Korean Air", "Hanwha will send K9 howitzers to
  Poland" - the subject sells, the object of "to" buys;
- buy frame: "Poland signed a deal to purchase 180 K2 tanks from Hyundai Rotem" - the subject
  buys, the object of "from" sells;
- deal-with frame: "South Korean companies agreed a $5.76 billion deal with Poland to export
  tanks" - the verb inside (export/buy) orients the two sides;
- sale-of frame: "the State Department approved a $1.5 billion sale of Chinook helicopters to
  South Korea" - the approving state sells;
- award frame: "Lockheed Martin has been awarded a contract tied to foreign military sales to
  Taiwan" - the contractor sells.

The verbs and nouns of each frame are data (`kg/data/triggers.yaml`); the sides are found on
the dependency parse (subject, objects of "to", "from", "with"). A government body stands for
its state ("State Department" -> United States). Quantities come from the noun chunk that
holds a number ("180 K2 tanks"), values from the money expression of the sentence.
"""

from __future__ import annotations

import dataclasses
import re

from .. import normalize
from ..types import Text
from . import triggers
from .relations import ORGS, Candidate, Sentence
from .syntax import object_of, possessor_of, side, subject_of

PARTIES = (*ORGS, "Country")
MONEY = normalize.MONEY_IN_TEXT
COUNTED_AS_IS = {"aircraft", "spacecraft", "hovercraft"}
"""Nouns whose plural is the singular ("48 FA-50 light attack aircraft"): the tagger says NN."""
NOT_QUANTITY = {"billion", "million", "trillion", "percent", "%", "year", "years", "day", "days", "month", "months",
                "week", "weeks", "th", "st", "nd", "rd", "mm", "km", "miles", "hours", "minutes"}


def deals(sent: Sentence, state_of, context: list[tuple[str, str, int]] = ()) -> list[Candidate]:  # noqa: ANN001
    """Every Deal the sentence states, one per quantity of goods it names.

    `context` lists the parties (entity id, kind, sentence start) the sentences just before named,
    most recent last: a
    sentence that counts the goods but names one side ("Poland agreed to buy 180 K2 tanks ...
    under the deal", "the framework agreement with Hanwha Defense provides for the procurement
    of 672 howitzers") takes the other side from the story so far, at a lower confidence, its
    evidence running from the sentence that named that side."""
    tokens = sent.tokens
    lowers = [t.lower_ for t in tokens]
    sell, buy, sale = triggers.words("sell"), triggers.words("buy"), triggers.words("sale_noun")
    deal_nouns, award = triggers.words("deal_noun"), triggers.words("award")
    if not any(w in sell or w in buy or w in deal_nouns or w in sale for w in lowers):
        return []
    found: list[tuple[str | None, str | None, object, bool]] = []  # (seller, buyer, trigger, framed)
    for token in tokens:
        word = token.lower_
        if word in ("send", "sends", "sent") and re.search(r"\bto (?:protect|defend|patrol|reinforce|bolster|"
                                                          r"help defend|secure)\b", sent.text):
            continue  # "Germany will send four fighters to Romania to protect its airspace": a deployment
        subject = subject_of(token)
        framed = subject is not None and subject.lower_ in deal_nouns  # "the agreement ... provides for"
        if word in sell and token.pos_ in ("VERB", "NOUN"):
            if framed and token.pos_ == "VERB":
                continue  # "the contract provides for ...": the contract's terms, not a seller
            seller = _side(sent, subject, state_of)
            nearest = _before(sent, token, exclude=None)
            if seller and nearest and seller != nearest and token.pos_ == "VERB" and \
                    ", and " in sent.text[:token.idx - sent.start].split(_text_of(sent, seller))[-1]:
                seller = nearest  # "X will ship tanks, and Y, the unit of Z, will send howitzers to P"
            buyer = _side(sent, object_of(token, "to"), state_of)
            if token.pos_ == "NOUN" or token.dep_ in ("xcomp", "acl", "relcl", "advcl"):
                # "a deal with Poland to export tanks": the partner of the deal buys
                partner = _side(sent, _deal_partner(token), state_of)
                buyer = buyer or partner
            found.append((seller, buyer, token, framed))
        elif word in buy and token.pos_ in ("VERB", "NOUN"):
            owner = possessor_of(token.head) if token.dep_ in ("acl", "xcomp") and token.head.pos_ == "NOUN" else None
            buyer = _side(sent, owner, state_of) or (None if framed else _side(sent, subject, state_of))
            seller = _side(sent, object_of(token, "from"), state_of) or \
                _side(sent, _deal_partner(token), state_of) or \
                (_side(sent, object_of(subject, "with"), state_of) if framed else None)
            if token.pos_ == "NOUN" and buyer is None:  # "Israel's request to purchase"
                buyer = _side(sent, possessor_of(token), state_of)
            found.append((seller, buyer, token, framed))
        elif word in sale and (token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.i > 0 and
                                                         token.nbor(-1).lower_ == "military")):
            # "a sale of Chinook helicopters to South Korea", "a possible Foreign Military Sale to Egypt"
            buyer = _side(sent, object_of(token, "to"), state_of) or \
                (_side(sent, object_of(token.head, "to"), state_of) if token.dep_ == "dobj" else None)
            seller = _side(sent, subject_of(token.head) if token.head is not token else None, state_of)
            found.append((seller, buyer, token, framed))
        elif word in deal_nouns and token.pos_ == "NOUN":
            verb = token.head
            partner = _side(sent, object_of(token, "with"), state_of) or \
                (_side(sent, object_of(verb, "with"), state_of) if token.dep_ == "dobj" else None)  # "signed a deal with X"
            for_goods = object_of(token, "for") or (object_of(verb, "for") if token.dep_ == "dobj" else None)
            subject = _side(sent, subject_of(verb), state_of) if verb is not token else None
            recipient = _awarded_to(verb) if verb is not token else None
            if recipient is not None and _side(sent, recipient, state_of):
                # "The Army awarded General Dynamics a contract": the one who awards buys
                seller, buyer = _side(sent, recipient, state_of), subject
            elif verb.lower_ in award or (verb.lower_ == "been" and any(c.lower_ in award for c in verb.children)):
                seller, buyer = subject, _side(sent, object_of(token, "to") or _to_in(token), state_of)
            elif partner is None and _side(sent, object_of(token, "from"), state_of):
                # "Poland signed a contract for 96 helicopters from Boeing": goods come from the seller
                seller, buyer = _side(sent, object_of(token, "from"), state_of), subject
            else:
                seller, buyer = subject, partner
                if any(w in buy for w in lowers) and not any(w in sell for w in lowers):
                    seller, buyer = partner, subject
                elif not any(w in sell for w in lowers) and _kind_of(sent, partner) == "Company" and \
                        _kind_of(sent, subject) == "Country":
                    seller, buyer = partner, subject  # "Poland signed a deal with Hyundai Rotem": states buy
                elif not any(w in sell for w in lowers) and for_goods is not None and for_goods.tag_ in ("NNS", "NNPS"):
                    seller, buyer = partner, subject  # "India signed a deal with France for 26 Rafale jets"
            found.append((seller, buyer, token, framed))
    candidates: list[Candidate] = []
    seen: set[tuple] = set()
    value = _value(sent)
    for seller, buyer, token, framed in found:
        if seller == buyer and token.lower_ in triggers.words("buy"):
            buyer = None  # "the agreement with Hanwha provides for the procurement": Hanwha sells
        if token.pos_ == "VERB" and token.lower_ in sell:
            seller = seller or _before(sent, token, exclude=buyer)
        elif token.pos_ == "VERB":
            buyer = buyer or _before(sent, token, exclude=seller)
        goods = _goods(sent, token)
        rule, confidence, start = f"deal-{token.lower_}", None, sent.start
        if any(q is not None for q, _ in goods) and bool(seller) != bool(buyer) and context and \
                (framed or ANAPHORIC_MENTION.search(sent.text)):
            known = seller or buyer
            wanted = ("Country",) if buyer is None else ("Country", "Company")
            other = next(((e, at) for e, kind, at in reversed(context) if e != known and kind in wanted), None)
            if other is not None:
                seller, buyer = (seller, other[0]) if buyer is None else (other[0], buyer)
                rule, confidence, start = rule + "+context", 0.5, other[1]
        if not seller or not buyer or seller == buyer:
            continue
        for quantity, item in goods or [(None, None)]:
            key = (seller, buyer, quantity.amount if quantity else None, item)
            if key in seen:
                continue
            seen.add(key)
            roles: dict[str, object] = {"seller": seller, "buyer": buyer}
            if item:
                roles["item"] = Text(item)
            if quantity is not None:
                roles["quantity"] = quantity
            if value is not None:
                roles["value"] = value
            candidates.append(Candidate("Deal", roles, start, sent.end,
                                        confidence or (0.7 if quantity else 0.6), rule))
    if any("item" in c.roles for c in candidates):  # the goods name the deal; drop its bare echoes
        candidates = [c for c in candidates if "item" in c.roles]
    return candidates


ANAPHORIC_MENTION = re.compile(r"\b(?:under|in|through|by|as part of) (?:the|this|that) (?:new |latest |same )?"
                               r"(?:contract|deal|agreement|package|order|sale|framework)s?\b")
ANAPHORIC_DEAL = re.compile(r"^\W*(?:The|This|That|Under the) (?:new |latest |potential |proposed )?"
                            r"(?:contract|deal|agreement|sale|package|order)\b")


def completes_deal(sent: Sentence) -> bool:
    """Does the sentence go on about the deal just reported ("The contract covers 55 pods")?"""
    return bool(ANAPHORIC_DEAL.match(sent.text))


def completed(previous: Candidate, sent: Sentence) -> list[Candidate]:
    """The previous deal with the goods and value this sentence adds, its evidence running from
    the deal's sentence to this one."""
    value = _value(sent)
    goods = _goods(sent, sent.span[0])
    result = []
    for quantity, item in goods or ([(None, None)] if value is not None else []):
        roles = dict(previous.roles)
        if quantity is not None:
            roles["quantity"], roles["item"] = quantity, Text(item) if item else roles.get("item")
        if value is not None and "value" not in roles:
            roles["value"] = value
        result.append(Candidate("Deal", roles, previous.start, sent.end, 0.6, previous.rule + "+anaphor"))
    return result


def _text_of(sent: Sentence, entity_id: str) -> str:
    return next((m.text for m in sent.mentions if m.entity_id == entity_id), "\x00")


def _before(sent: Sentence, token, exclude: str | None) -> str | None:  # noqa: ANN001
    """The nearest party named before the trigger, outside appositions ("the unit of Hanwha Corp")."""
    at = token.idx
    for m in reversed([m for m in sent.mentions if m.end <= at and m.entity_id and m.kind in PARTIES]):
        lead = (sent.body or sent.span.doc.text)[max(sent.start, m.start - 4):m.start]
        if m.entity_id != exclude and not lead.endswith("of "):
            return m.entity_id
    return None


def _side(sent: Sentence, token, state_of):  # noqa: ANN001, ANN202
    """The party a phrase names; in "South Korea's Hyundai Rotem" the company, not its country."""
    if token is not None:
        # up to the head word only: in "Egypt of 12 Boeing helicopters" Boeing makes the goods, it does not buy them
        lo, hi = token.left_edge.idx, token.idx + len(token)
        firms = [m for m in sent.mentions if m.entity_id and m.kind == "Company" and lo <= m.start < hi]
        if firms:
            return firms[-1].entity_id
    return side(sent, token, state_of, PARTIES)


def _kind_of(sent: Sentence, entity_id: str | None) -> str | None:
    return next((m.kind for m in sent.mentions if m.entity_id == entity_id), None)


def _awarded_to(verb):  # noqa: ANN001, ANN202
    """The recipient of an active "award"/"grant" ("X awarded Y a contract", "X awarded a contract
    to Y"), or None: in the passive ("Y was awarded a contract") the subject is the recipient."""
    if verb.lemma_.lower() not in ("award", "grant") or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ == "dative":
            return next((c for c in child.children if c.dep_ == "pobj"), None) if child.lower_ == "to" else child
    return None


def _deal_partner(token):  # noqa: ANN001, ANN202
    """The 'with' partner of the deal a verb belongs to: 'a deal with Poland to export'."""
    node = token
    for _ in range(4):
        if node.lower_ in triggers.words("deal_noun"):
            return object_of(node, "with")
        if node.head is node:
            return None
        node = node.head
    return None


def _to_in(token):  # noqa: ANN001, ANN202
    """'a contract tied to foreign military sales to Taiwan': the last 'to' object under it."""
    last = None
    for t in token.subtree:
        if t.dep_ == "pobj" and t.head.lower_ == "to":
            last = t
    return last


def _value(sent: Sentence):  # noqa: ANN202
    for match in MONEY.finditer(sent.text):
        try:
            return normalize.parse_money(match.group(0).strip())
        except ValueError:
            continue
    return None


def _goods(sent: Sentence, trigger) -> list[tuple[object, str | None]]:  # noqa: ANN001
    """(quantity, item) for each counted thing the sentence names after the trigger ("180 K2
    tanks", "54 M1A2 SEPv3 Abrams tanks"), or the uncounted object of the trigger ("sell F-35
    fighter jets"). A count runs from a number to the first plural noun within six words."""
    goods = []
    tokens = [t for t in sent.tokens if t.i > trigger.i or trigger.i == sent.span.start]
    counted_to = -1  # the last token of the previous count: "54 Leopard 2 tanks" is one count, not two
    for number in tokens:
        if number.i <= counted_to or not number.like_num or re.fullmatch(r"(?:19|20)\d\d", number.text) or \
                (number.i > 0 and number.nbor(-1).text in ("$", "US$", "€", "£", "₩")) or \
                number.i + 1 >= len(number.doc) or number.nbor(1).lower_ in NOT_QUANTITY:
            continue
        end = None
        for t in number.doc[number.i + 1:min(number.i + 14, sent.span.end)]:
            in_name = t.i + 1 < len(t.doc) and t.nbor(-1).is_title and (t.nbor(1).is_title or t.nbor(1).text == "(") \
                and (t.lower_ == "and" or t.text == "(") or t.text == ")" or \
                (t.nbor(-1).text == "(" and t.is_upper)
            if in_name:
                continue  # "Infrared Search and Track (IRST) Legion Enhanced Sensor pods"
            if t.text in ("-", "–") or (t.pos_ == "VERB" and t.dep_ == "amod"):
                continue  # "self-propelled howitzers"
            if t.is_punct or t.pos_ in ("VERB", "ADP", "CCONJ", "AUX", "PRON", "DET"):
                break
            if (t.tag_ in ("NNS", "NNPS") or t.lower_ in COUNTED_AS_IS) and t.is_alpha:
                end = t.i
                break
        if end is None:
            continue
        text = number.doc[number.i + 1:end + 1].text
        try:
            quantity = normalize.parse_quantity(f"{number.text} {text}")
        except ValueError:
            continue
        unit = re.sub(r"^(?:more|additional|further|extra|other)\s+", "", quantity.unit)
        if unit != quantity.unit:  # "two more destroyers": the goods are destroyers; the text stays as written
            quantity = dataclasses.replace(quantity, unit=unit)
        if quantity.unit.split()[-1].lower() in triggers.words("not_goods"):
            continue  # "two countries", "their delegates": counted, but no goods
        counted_to = end
        goods.append((quantity, quantity.unit))
    if goods:
        return goods
    for child in trigger.children:
        if child.dep_ in ("dobj", "pobj") or (child.dep_ == "prep" and child.lower_ == "of"):
            target = child if child.dep_ == "dobj" else next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None and target.tag_ in ("NNS", "NNPS"):
                words = [t for t in target.subtree if t.i <= target.i and t.dep_ not in ("det", "poss", "case")
                         and t.lower_ not in ("advanced", "other", "new", "more", "additional", "potential")]
                if words and target.lemma_.lower() not in triggers.words("not_goods"):
                    text = target.doc[words[0].i:target.i + 1].text
                    return [(None, normalize.parse_quantity(f"1 {text}").unit)]
    return []
