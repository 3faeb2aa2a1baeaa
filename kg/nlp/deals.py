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
from ..types import Quantity, Text
from . import triggers
from .gazetteer import gazetteer
from .relations import ORGS
from .sentence import Candidate, Sentence
from .syntax import object_of, objects_of, possessor_of, side, subject_of

PARTIES = (*ORGS, "Country")
MONEY = normalize.MONEY_IN_TEXT
COUNTED_AS_IS = {"aircraft", "spacecraft", "hovercraft"}
"""Nouns whose plural is the singular ("48 FA-50 light attack aircraft"): the tagger says NN."""
NOT_QUANTITY = {"billion", "million", "trillion", "percent", "%", "year", "years", "day", "days", "month", "months",
                "week", "weeks", "th", "st", "nd", "rd", "mm", "km", "miles", "hours", "minutes"}


def deals(sent: Sentence, state_of, context: list[tuple[str, str, int]] = (),  # noqa: ANN001
          unsold: list[Candidate] | None = None) -> list[Candidate]:
    """Every Deal the sentence states, one per quantity of goods it names.

    A deal whose buyer and counted goods the sentence names but not its seller ("India has signed a
    $737 million contract for the procurement of 145 howitzers") is no fact yet; with `unsold` it is
    added there, for the next sentence to name the seller (`seller_named`).

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
    receive = triggers.words("receive")
    if not any(w in sell or w in buy or w in deal_nouns or w in sale or w in receive for w in lowers):
        return []
    found: list[tuple[str | None, str | None, object, bool]] = []  # (seller, buyer, trigger, framed)
    awards: set[int] = set()  # triggers of a contract awarded or won: a deal even before its goods are named
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
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            seller = _side(sent, by if agent is not None else subject, state_of)  # "delivered to P by X": X sells
            nearest = _before(sent, token, exclude=None)
            if seller and nearest and seller != nearest and token.pos_ == "VERB" and \
                    ", and " in sent.text[:token.idx - sent.start].split(_text_of(sent, seller))[-1]:
                seller = nearest  # "X will ship tanks, and Y, the unit of Z, will send howitzers to P"
            buyer = _side(sent, object_of(token, "to"), state_of) or _side(sent, _recipient(token), state_of) or \
                _provided_with(sent, token, state_of) or \
                next((party for c in token.children if c.dep_ in ("conj", "ccomp") and c.pos_ == "VERB" and
                      c.lower_ in sell and (party := _side(sent, object_of(c, "to"), state_of))), None)
            # ("X will ship tanks, and Y will send howitzers to Poland": both go to Poland)
            if token.pos_ == "NOUN" and token.dep_ == "dobj" and buyer is None:
                buyer = _side(sent, object_of(token.head, "to"), state_of)  # "approved the export of tanks to X"
            if token.pos_ == "NOUN" or token.dep_ in ("xcomp", "acl", "relcl", "advcl"):
                # "a deal with Poland to export tanks": the partner of the deal buys
                partner = _side(sent, _deal_partner(token), state_of)
                buyer = buyer or partner
            found.append((seller, buyer, token, framed))
        elif word in triggers.words("select") and token.pos_ == "VERB" and object_of(token, "from") is not None \
                and any(w in deal_nouns for w in lowers):
            # "Norway selected the K9 howitzer from Hanwha in a contract worth NOK 1.5 billion"
            found.append((_side(sent, object_of(token, "from"), state_of), _side(sent, subject, state_of), token, framed))
        elif word in triggers.words("receive") and token.pos_ == "VERB" and _received_goods(token):
            # "Poland will get 250 tanks from the United States": goods that arrive from a party were bought
            found.append((_side(sent, object_of(token, "from"), state_of), _side(sent, subject, state_of), token, framed))
        elif word in buy and token.pos_ in ("VERB", "NOUN"):
            owner = (possessor_of(token.head) or object_of(token.head, "by")) \
                if token.dep_ in ("acl", "xcomp") and token.head.pos_ == "NOUN" else None
            # "Israel's request to purchase", "a request by Taiwan to purchase": who asks to buy buys
            beneficiary = _for_whom(token)
            if token.pos_ == "NOUN" and token.dep_ == "dobj" and token.head.lower_ in award:
                # "Hanwha won an order from Poland": the one who wins an order sells
                found.append((_side(sent, subject, state_of),
                              _side(sent, object_of(token, "from") or object_of(token.head, "from"), state_of),
                              token, framed))
                awards.add(token.i)
                continue
            if beneficiary is not None and _side(sent, beneficiary, state_of):
                # "Washington cleared a deal for Poland to acquire tanks": Poland buys, the one who
                # clears or signs the deal sells
                buyer = _side(sent, beneficiary, state_of)
                maker = _side(sent, subject_of(token.head) if subject == beneficiary else subject, state_of)
                found.append((maker if maker != buyer else None, buyer, token, framed))
                continue
            buyer = _side(sent, owner, state_of) or (None if framed else _side(sent, subject, state_of))
            seller = _side(sent, object_of(token, "from"), state_of) or \
                _side(sent, _deal_partner(token), state_of) or \
                (_side(sent, object_of(subject, "with"), state_of) if framed else None) or \
                _deal_maker(sent, token, buyer, state_of) or _made_in(sent, token)
            if token.pos_ == "NOUN" and buyer is None:  # "Israel's request to purchase"
                buyer = _side(sent, possessor_of(token), state_of)
            found.append((seller, buyer, token, framed))
        elif word in ("delivery", "deliveries") and token.dep_ == "dobj" and \
                token.head.lemma_.lower() in ("take", "accept", "receive", "await"):
            # "Poland took delivery of 10 K2 tanks from South Korea": the one who takes delivery buys
            found.append((_side(sent, object_of(token, "from") or object_of(token.head, "from"), state_of),
                          _side(sent, subject, state_of), token, framed))
        elif word in sale and (token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.i > 0 and
                                                         token.nbor(-1).lower_ == "military")):
            # "a sale of Chinook helicopters to South Korea", "a possible Foreign Military Sale to Egypt"
            buyer = _side(sent, object_of(token, "to"), state_of) or \
                (_side(sent, object_of(token.head, "to"), state_of) if token.dep_ == "dobj" else None) or \
                (_side(sent, object_of(token.head.head, "to"), state_of)  # "signed off on a sale to X"
                 if token.dep_ == "pobj" and token.head.head.pos_ == "VERB" else None) or \
                _goods_owner(sent, token, state_of)  # "a sale of ... to upgrade Turkey's fleet of F-16s"
            seller = _side(sent, possessor_of(token), state_of) or \
                _side(sent, subject_of(token.head) if token.head != token else None, state_of)
            # "Washington's sale of 66 F-16 jets to Taiwan": the possessor sells
            found.append((seller, buyer, token, framed))
        elif word in deal_nouns and token.pos_ == "NOUN":
            if subject_of(token) == token and token.head.lower_ in triggers.words("sell") | {"covers", "includes", "include",
                                                                                              "cover", "foresees"}:
                continue  # "the agreement provides for the purchase of ...": its goods' verb says who buys
            verb = token.head
            partner = _side(sent, object_of(token, "with"), state_of) or \
                (_side(sent, object_of(verb, "with"), state_of) if token.dep_ == "dobj" else None)  # "signed a deal with X"
            for_goods = object_of(token, "for") or (object_of(verb, "for") if token.dep_ == "dobj" else None)
            # "The deal for the 96 helicopters amounts to ...": the deal is its own verb's subject
            subject = _side(sent, subject_of(verb), state_of) if verb != token and subject_of(verb) != token else None
            recipient = _awarded_to(verb) if verb != token else None
            signers = _signed_by(token)
            if len(signers) == 2 and all(_side(sent, t, state_of) for t in signers):
                # "The contract for 180 tanks was signed by Poland's Armament Agency and Hyundai Rotem":
                # a company signing with a state sells to it
                one, two = (_side(sent, t, state_of) for t in signers)
                seller, buyer = (one, two) if _kind_of(sent, one) == "Company" and \
                    _kind_of(sent, two) != "Company" else (two, one) if _kind_of(sent, two) == "Company" else (None, None)
            elif recipient is not None and _side(sent, recipient, state_of):
                # "The Army awarded General Dynamics a contract": the one who awards buys
                seller, buyer = _side(sent, recipient, state_of), subject
                awards.add(token.i)
            elif verb.lower_ in award or (verb.lower_ == "been" and any(c.lower_ in award for c in verb.children)):
                # "X won an order from Poland": the one who places the order buys
                seller, buyer = subject, _side(sent, object_of(token, "to") or _to_in(token), state_of) or \
                    _side(sent, object_of(token, "from") or (object_of(verb, "from") if token.dep_ == "dobj" else None),
                          state_of) or \
                    next((party for node in [token, *(c for c in token.children if c.dep_ in ("acl", "relcl"))]
                          for o in objects_of(node, "for") if (party := _side(sent, o, state_of))), None) or \
                    _goods_owner(sent, token, state_of)
                # ("was awarded a contract to build 24 jets for Bulgaria": who the goods are for buys;
                # "... to construct Australia's new fleet of frigates": whose goods they are)
                awards.add(token.i)
            elif partner is None and (maker := _side(sent, object_of(token, "from") or (
                    object_of(for_goods, "from") if for_goods is not None else None), state_of)):
                # "Poland signed a contract for 96 helicopters from Boeing": goods come from the seller, also
                # when "for" hangs on the verb ("signed a contract worth $2.6 billion on Thursday for 152 K9
                # howitzers from South Korea's Hanwha Aerospace")
                seller, buyer = maker, subject
            else:
                owner = _goods_owner(sent, token, state_of) if partner is None else None
                seller, buyer = subject, partner or owner
                # (with an owner: "Japan clinched a deal to build Australia's warships": Australia buys)
                if owner is None and any(w in buy for w in lowers) and not any(w in sell for w in lowers):
                    seller, buyer = partner, subject
                elif owner is None and not any(w in sell for w in lowers) and _kind_of(sent, partner) == "Company" and \
                        _kind_of(sent, subject) == "Country":
                    seller, buyer = partner, subject  # "Poland signed a deal with Hyundai Rotem": states buy
                elif owner is None and not any(w in sell for w in lowers) and for_goods is not None:
                    # "India signed a deal with France for 26 Rafale jets": who signs for goods buys them
                    seller, buyer = partner, subject
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
        rule, confidence, start = f"deal-{'award' if token.i in awards else token.lower_}", None, sent.start
        if any(q is not None for q, _ in goods) and bool(seller) != bool(buyer) and context and \
                (framed or ANAPHORIC_MENTION.search(sent.text)):
            known = seller or buyer
            wanted = ("Country",) if buyer is None else ("Country", "Company")
            other = next(((e, at) for e, kind, at in reversed(context) if e != known and kind in wanted), None)
            if other is not None:
                seller, buyer = (seller, other[0]) if buyer is None else (other[0], buyer)
                rule, confidence, start = rule + "+context", 0.5, other[1]
        if buyer and not seller and unsold is not None and any(q is not None for q, _ in goods):
            for quantity, item in goods:
                if quantity is not None:
                    roles = {"buyer": buyer, "item": Text(item) if item else None, "quantity": quantity,
                             "value": value}
                    unsold.append(Candidate("Deal", {k: v for k, v in roles.items() if v is not None}, sent.start,
                                            sent.end, 0.6, rule))
        if not seller or not buyer or seller == buyer:
            continue
        if not any(item for _, item in goods) and FUNDS_BUILDING.search(sent.text):
            continue  # "provide $100 million to Manila for the construction of facilities": money invested, no sale
        if not any(item for _, item in goods) and AID.search(sent.text):
            continue  # "the US has provided Israel with $22 billion in military aid": a grant, no sale
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
    told = {(c.roles["seller"], c.roles.get("quantity")) for c in candidates if "+context" not in c.rule}
    # a side guessed from the story before yields to the sides this sentence names for the same goods
    candidates = [c for c in candidates if "+context" not in c.rule or (c.roles["seller"], c.roles.get("quantity"))
                  not in told]
    return candidates


FUNDS_BUILDING = re.compile(r"\bfor (?:the )?(?:construction|building|upgrad(?:e|es|ing)|expansion|rehabilitation|"
                            r"renovation|moderni[sz]ation|development|improvement)s?(?: of)?\b", re.IGNORECASE)
"""Money given for building something: an investment (`relations.SPEND_ON_PLANTS`), not a sale."""

AID = re.compile(r"(?:[$€£¥₩][\d.,]+\s*(?:billion|million|trillion|bn|m)?|\b(?:billion|million)\s+(?:dollars|euros))\s+"
                 r"(?:in|of|worth of)\s+(?:[\w-]+\s+){0,2}?(?:aid|assistance|grants?|loans?|funding)\b", re.IGNORECASE)
"""Money given as aid, a grant or a loan: no goods are sold for it."""
ANAPHORIC_MENTION = re.compile(r"\b(?:under|in|through|by|as part of) (?:the|this|that) (?:new |latest |same )?"
                               r"(?:contract|deal|agreement|package|order|sale|framework)s?\b")
ANAPHORIC_DEAL = re.compile(r"^\W*(?:The|This|That|Under the) (?:new |latest |potential |proposed )?"
                            r"(?:(?:US|U\.S\.)?[$€£¥₩][\d.,]+\s*(?:billion|million|bn|trillion)?\s+)?"
                            r"(?:contract|deal|agreement|sale|package|order)\b")


MADE_BY = r"(?:will |would |are to |are set to |is to )?(?:\w+ly )?(?:be )?(?:built|produced|made|manufactured|assembled|supplied|delivered) by"
SHARE_MADE_BY = re.compile(
    rf"\b(?P<n>\d[\d,]*) (?:of|out of) the (?P<m>\d[\d,]*) (?P<goods>[\w-]+)(?: [\w-]+)?,? {MADE_BY}\b|"
    rf"\b(?:[Oo]ut )?[Oo]f the (?P<m2>\d[\d,]*) (?P<goods2>[\w-]+),\s*(?P<n2>\d[\d,]*) {MADE_BY}\b|"
    rf"\b(?:while|and|with) (?:the (?:other|remaining) )?(?P<n3>\d[\d,]*) {MADE_BY}\b")
"""A share of a deal's goods made by one supplier: "117 of the 180 tanks will be built by Hyundai
Rotem", "out of the 180 tanks, 117 will be built by Hyundai Rotem, while 63 will be assembled
by PGZ"."""


def shares(sent: Sentence, reported: list[Candidate]) -> list[Candidate]:
    """Each supplier's share of a deal the article reported (the latest whose count is the whole
    the sentence splits), as a deal of its own between that supplier and the deal's buyer. A
    share made at home ("assembled locally in Poland by the state-owned PGZ", "produced by
    Poland's PGZ") is no purchase and is left out."""
    counted = [c for c in reported if "quantity" in c.roles]
    previous = counted[-1] if counted else None
    found = []
    for match in SHARE_MADE_BY.finditer(sent.text):
        whole = match.group("m") or match.group("m2")
        if whole is not None:
            previous = next((c for c in reversed(counted) if c.roles["quantity"].amount == int(whole.replace(",", ""))),
                            None)
        if previous is None:
            continue
        buyer, total = previous.roles["buyer"], previous.roles["quantity"]
        home = _text_of(sent, buyer)
        maker = next((m for m in sent.of_kind("Company", "Country") if m.start - sent.start >= match.end()), None)
        if maker is None or maker.entity_id in (None, buyer):
            continue
        between = sent.text[match.start():maker.start - sent.start]
        if re.search(r"\blocally\b|\bat home\b", between) or home[:5] in between or \
                re.search(rf"{re.escape(home[:5])}\w*(?:'s|’s)?\s+(?:\w+[ -])*$", sent.text[:maker.start - sent.start]):
            continue  # made in the buyer's own country, by its own industry
        said = match.group("n") or match.group("n2") or match.group("n3")
        roles = {**previous.roles, "seller": maker.entity_id,
                 "quantity": Quantity(int(said.replace(",", "")), total.unit, said)}  # the words the text counts with
        roles.pop("value", None)  # the value was the whole deal's
        found.append(Candidate("Deal", roles, previous.start, sent.end, 0.6, "deal-share"))
    return found


SELLER_NAMED = re.compile(r"^\W*(?:The|This|That) (?:new |latest )?(?:[\w$.-]+ )?(?:contract|deal|agreement|order)\b"
                          r"[^.;]{0,60}?\b(?:was|were|has been|had been|is|will be)\s+(?:\w+ly\s+)?(?:signed|inked|"
                          r"concluded|awarded|placed|struck|sealed|finali[sz]ed)\b[^.;]{0,60}?\b(?:with|to)\b|"
                          r"\b(?:confirmed|signed|inked|finali[sz]ed|concluded|sealed|struck|announced)\s+the\s+"
                          r"(?:contract|deal|agreement|order)\s+with\b")
"""A sentence that names who a deal just told was made with ("India's Ministry of Defence confirmed
the deal with state-owned Hindustan Aeronautics"): "The deal was inked Wednesday with
the original equipment manufacturer, the US subsidiary of BAE Systems"."""


def seller_named(unsold: list[Candidate], sent: Sentence) -> list[Candidate]:
    """The deals the previous sentence told without a seller, sold by the company (else the state)
    this sentence says the deal was made with; the evidence runs over both sentences."""
    match = SELLER_NAMED.search(sent.text)
    if match is None or not unsold:
        return []
    after = [m for m in sent.mentions if m.start >= sent.start + match.end() and m.entity_id]
    seller = next((m.entity_id for m in after if m.kind == "Company"), None) or \
        next((m.entity_id for m in after if m.kind == "Country"), None)
    return [Candidate("Deal", {"seller": seller, **c.roles}, c.start, sent.end, 0.6, c.rule + "+seller")
            for c in unsold if seller is not None and seller != c.roles["buyer"]]


def goods_of_unsold(unsold: list[Candidate], found: list[Candidate], sent: Sentence) -> list[Candidate]:
    """A deal this sentence tells with its seller and value but no goods, to the buyer of a deal
    the sentence before told with goods and no seller ("The Philippines has signed a contract for 12
    more FA-50 fighter jets, its South Korean manufacturer said. Korea Aerospace Industries valued
    the deal with the Department of National Defense at $700 million"): one deal, with both
    sentences' roles, its evidence over both."""
    result = []
    for deal in found:
        agency = _kind_of(sent, deal.roles["buyer"]) in ("GovernmentAgency", "MilitaryUnit")
        earlier = next((c for c in unsold if c.roles["buyer"] == deal.roles["buyer"]), None) or \
            (unsold[0] if agency and len(unsold) == 1 else None)  # "the deal with the Department of National
        # Defense": the ministry buys for the state the sentence before named
        if earlier is None or "item" in deal.roles or "quantity" in deal.roles:
            result.append(deal)
            continue
        roles = {**earlier.roles, **{k: v for k, v in deal.roles.items() if k not in ("item", "quantity", "buyer")}}
        result.append(Candidate("Deal", roles, earlier.start, deal.end, deal.confidence, deal.rule + "+goods"))
    return result


HEDGED_COUNT = re.compile(r"(?i)^(?:almost|nearly|about|around|roughly|some|approximately|close to|more than|over|"
                          r"up to|at least)\b|\b(?:a hundred|dozens?|hundreds|scores)\b")


def recounted(previous: Candidate, found: list[Candidate], sent: Sentence) -> Candidate | None:
    """The deal just told with a round count ("almost a hundred AH-64E Apache attack helicopters")
    whose exact count the next sentence gives ("The deal for the 96 US-made helicopters"): one deal,
    of the first sentence's goods, in the exact number, its evidence running over both sentences."""
    quantity = previous.roles.get("quantity")
    if quantity is None or not HEDGED_COUNT.search(quantity.text) or not ANAPHORIC_DEAL.match(sent.text):
        return None
    for deal in found:
        exact = deal.roles.get("quantity")
        if exact is None or (deal.roles["seller"], deal.roles["buyer"]) != (previous.roles["seller"], previous.roles["buyer"]) \
                or HEDGED_COUNT.search(exact.text) or (exact.unit or "").split()[-1:] != (quantity.unit or "").split()[-1:]:
            continue
        roles = {**previous.roles, "quantity": Quantity(exact.amount, quantity.unit, exact.text)}
        if "value" not in roles and "value" in deal.roles:
            roles["value"] = deal.roles["value"]
        return Candidate("Deal", roles, previous.start, sent.end, previous.confidence, previous.rule + "+count")
    return None


def completes_deal(sent: Sentence, previous: Candidate | None = None) -> bool:
    """Does the sentence go on about the deal just reported ("The contract covers 55 pods"), or
    give the value of the deal told without one ("The ministry plans to conclude the contract,
    worth 3.98 billion Czech crowns, ...")?"""
    if ANAPHORIC_DEAL.match(sent.text):
        return True
    return previous is not None and "value" not in previous.roles and \
        re.search(r"\bthe (?:contract|deal|order)\b", sent.text) is not None and _value(sent) is not None


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


def valued_by(previous: Candidate, found: list[Candidate]) -> list[Candidate]:
    """A deal first told by its value ("approved a $1.15 billion arms sale to Saudi Arabia") whose
    goods a following sentence lists between the same two sides: the goods take that value, their
    evidence running from the sentence that gave it."""
    if "value" not in previous.roles or "item" in previous.roles:
        return found
    same = (previous.roles["seller"], previous.roles["buyer"])
    return [dataclasses.replace(c, roles={**c.roles, "value": previous.roles["value"]}, start=previous.start)
            if "item" in c.roles and "value" not in c.roles and (c.roles["seller"], c.roles["buyer"]) == same else c
            for c in found]


def _text_of(sent: Sentence, entity_id: str) -> str:
    return next((m.text for m in sent.mentions if m.entity_id == entity_id), "\x00")


def _reporter(sent: Sentence, entity_id: str) -> bool:
    return any(m.entity_id == entity_id and gazetteer().is_media(m.text) for m in sent.mentions)


def _before(sent: Sentence, token, exclude: str | None) -> str | None:  # noqa: ANN001
    """The nearest party named before the trigger, outside appositions ("the unit of Hanwha Corp")."""
    at = token.idx
    for m in reversed([m for m in sent.mentions if m.end <= at and m.entity_id and m.kind in PARTIES
                       and not gazetteer().is_media(m.text)]):
        lead = (sent.body or sent.span.doc.text)[max(sent.start, m.start - 4):m.start]
        if m.entity_id != exclude and not lead.endswith("of "):
            return m.entity_id
    return None


def _side(sent: Sentence, token, state_of):  # noqa: ANN001, ANN202
    """The party a phrase names; in "South Korea's Hyundai Rotem" the company, not its country.
    A news organisation ("Islam Times - The US has approved ...") reports a deal, never makes one."""
    named = side(sent, token, state_of, PARTIES)
    if named is not None and _reporter(sent, named):
        lo, hi = (token.left_edge.idx, token.right_edge.idx + len(token.right_edge)) if token is not None else (0, 0)
        named = next((m.entity_id for m in reversed(sent.mentions) if m.entity_id and m.kind in PARTIES and
                      lo <= m.start < hi and not _reporter(sent, m.entity_id)), None) or \
            next((state_of(code) for m in sent.mentions if m.kind == "GovernmentAgency" and lo <= m.start < hi
                  and (code := gazetteer().country_acting_for(m.text))), None)
        if named is None and token is not None and token.dep_ == "nsubj":  # "Islam Times - The US has approved"
            named = next((found for other in token.head.children if other.dep_ == "nsubj" and other != token
                          and (found := _side(sent, other, state_of))), None)
    if token is None:
        return named
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is not None and named and _kind_of(sent, named) not in ("Company", "Country"):
        # "Poland's Armament Agency": a state's own procurement body acts for the state
        state = side(sent, owner, None, ("Country",))
        if state:
            return state
    # up to the head word only: in "Egypt of 12 Boeing helicopters" Boeing makes the goods, it does not buy them
    lo, hi = token.left_edge.idx, token.idx + len(token)
    firms = [m for m in sent.mentions if m.entity_id and m.kind == "Company" and lo <= m.start < hi]
    if firms:
        return firms[-1].entity_id
    acting_for = getattr(state_of, "acting_for", None)
    if named is None and acting_for:  # "President X said he would sell": the leader's state
        lo, hi = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
        leader = next((m.entity_id for m in sent.mentions if m.kind == "Person" and lo <= m.start < hi and
                       m.entity_id in acting_for), None)
        if leader is not None:
            return acting_for[leader]
    return named


@dataclasses.dataclass(frozen=True)
class StateOf:
    """The state a government body (by ISO code) or a leader acts for: "President X said he would
    sell jets to Y" - the leader's state sells. `acting_for` maps a person to the state whose
    leader or minister the article says they are."""

    country: object
    acting_for: dict = dataclasses.field(default_factory=dict)

    def __call__(self, code: str) -> str | None:
        return self.country(code)


def _made_in(sent: Sentence, buy) -> str | None:  # noqa: ANN001
    """The state whose adjective marks the goods bought ("Turkey bought the Russian S-400 system"),
    or the firm whose name does ("bought 103 Boeing aircraft"): who sells, when no seller is named."""
    goods = _counted_noun(next((c for c in buy.children if c.dep_ == "dobj"), None))
    if goods is None:
        return None
    lo, hi = goods.left_edge.idx, goods.idx
    # "the Russian S-400", "a second batch of U.S Abrams tanks": the state's name or adjective modifies the goods;
    # "103 next-generation Boeing aircraft": the maker's name does
    kinds = ("Country", "Company") if buy.pos_ == "VERB" and buy.dep_ in ("ROOT", "conj", "ccomp") and \
        subject_of(buy) is not None else ("Country",)  # a firm's name only where the buyer is the verb's own subject
    return next((m.entity_id for m in sent.mentions if m.kind in kinds and lo <= m.start < hi and
                 (m.label == "NORP" or any(t.idx == m.start and t.dep_ in ("compound", "amod", "nmod") for t in
                                           goods.subtree))), None)


GENERIC_GOODS = {"major", "key", "different", "other", "new", "weapon", "weapons", "system", "platform", "type", "kind",
                 "item", "category", "military", "defence", "defense"}
"""Words of a count that names no goods by themselves ("four major weapons systems")."""
BATCH_NOUNS = {"batch", "tranche", "fleet", "shipment", "number", "set", "lot", "squadron", "consignment", "worth"}
"""Nouns that count goods without being goods: "a second batch of Abrams tanks", "$10 billion worth of
US weapons"."""


def _counted_noun(token):  # noqa: ANN001, ANN202
    """The goods a phrase names: through "a batch of", "a fleet of", "$N of" to the goods themselves."""
    if token is not None and (token.lemma_.lower() in BATCH_NOUNS or token.ent_type_ == "MONEY"):
        # "$142 billion of American weapons": the money's "of" names the goods
        return next((c for p in token.children if p.dep_ == "prep" and p.lower_ == "of"
                     for c in p.children if c.dep_ == "pobj"), token)
    return token


def _kind_of(sent: Sentence, entity_id: str | None) -> str | None:
    """The kind of a side; a side no mention names came from a capital, an agency or a leader
    acting for a state ("the Polish Armament Agency" -> Poland), so it is a state."""
    if entity_id is None:
        return None
    return next((m.kind for m in sent.mentions if m.entity_id == entity_id), "Country")


def _awarded_to(verb):  # noqa: ANN001, ANN202
    """The recipient of an active "award"/"grant" ("X awarded Y a contract", "X awarded a contract
    to Y"), or None: in the passive ("Y was awarded a contract") the subject is the recipient."""
    if verb.lemma_.lower() not in ("award", "grant") or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    for child in verb.children:
        if child.dep_ == "dative":
            return next((c for c in child.children if c.dep_ == "pobj"), None) if child.lower_ == "to" else child
    return None


def _received_goods(verb) -> bool:  # noqa: ANN001
    """Does a verb of arrival take counted goods, not a contract, as its object, and name whence?"""
    goods = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if goods is not None and goods.lemma_.lower() in BATCH_NOUNS and object_of(goods, "of") is not None:
        return object_of(verb, "from") is not None  # "received the first batch of K9 howitzers from South Korea"
    return goods is not None and goods.lower_ not in triggers.words("deal_noun") and \
        any(c.dep_ == "nummod" for c in goods.children) and object_of(verb, "from") is not None


def _provided_with(sent: Sentence, verb, state_of):  # noqa: ANN001, ANN202
    """"The United States will provide Taiwan with 66 jets": the object supplied with the goods buys."""
    if verb.pos_ != "VERB" or not any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return None
    return _side(sent, next((c for c in verb.children if c.dep_ == "dobj"), None), state_of)


def _for_whom(verb):  # noqa: ANN001, ANN202
    """The X of "for X to buy": the pobj of a "for" that ends right before the verb's "to"."""
    if verb.pos_ != "VERB" or verb.i < 3 or verb.nbor(-1).lower_ != "to":
        return None
    if any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children):
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)  # parsed as a clause of its own
    before = verb.nbor(-2)
    node = before
    while node.head != node and node.dep_ in ("compound", "flat", "pobj", "appos", "conj") and node.head.i < verb.i:
        if node.dep_ == "pobj":
            return node if node.head.lower_ == "for" else None
        node = node.head
    return None


def _signed_by(deal):  # noqa: ANN001, ANN202
    """The two signers of a deal in the passive ("the contract was signed by A and B") or the two
    sides it is "between" ("The agreement, concluded on July 2, between Minister X and Hyundai
    Rotem"), or ()."""
    between = object_of(deal, "between") or next((found for c in deal.children if c.dep_ == "acl"
                                                  if (found := object_of(c, "between")) is not None), None)
    if between is not None and between.conjuncts:
        return (between, *between.conjuncts)
    verb = deal.head
    if deal.dep_ != "nsubjpass" or verb.lemma_.lower() not in ("sign", "conclude", "ink", "finalize", "finalise"):
        return ()
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    first = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if first is None:
        return ()
    return (first, *[c for c in first.children if c.dep_ == "conj"])


def _recipient(verb):  # noqa: ANN001, ANN202
    """The indirect object of a sell verb: "agreed to sell Poland 180 tanks" (the parser may hang
    the name on the goods as a modifier)."""
    if verb.pos_ != "VERB":
        return None
    for child in verb.children:
        if child.dep_ == "dative" and child.lower_ != "to":
            return child
        if child.dep_ == "dobj":
            return next((c for c in child.children if c.dep_ in ("nmod", "dative") and c.pos_ == "PROPN" and
                         c.i < child.i and any(n.like_num for n in child.children if n.i > c.i)), None)
    return None


REQUEST_NOUNS = {"request", "requests", "bid", "application", "plan", "proposal"}
APPROVE_VERBS = {"approve", "clear", "authorize", "authorise", "grant", "accept"}


def _goods_owner(sent: Sentence, deal, state_of):  # noqa: ANN001, ANN202
    """Whose the goods a deal's own verb makes are: "a contract to construct Australia's new fleet
    of navy frigates", "a deal to build Australia's next-generation warships" (Australia buys)."""
    goods_nouns = [o for p in deal.children if p.dep_ == "prep" and p.lower_ == "of"
                   for o in p.children if o.dep_ == "pobj"]
    goods_nouns += [c for g in goods_nouns for c in g.conjuncts]
    verbs = [c for node in (deal, *goods_nouns) for c in node.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"]
    # ("a sale of equipment and services to upgrade Turkey's fleet of F-16 aircraft": the verb may
    # hang on the goods)
    if deal.dep_ == "dobj":  # "clinched a deal on Tuesday to build ...": the parser hangs it on the verb
        verbs += [c for c in deal.head.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.i > deal.i]
    for verb in verbs:
        if verb.lemma_.lower() not in ("build", "construct", "supply", "deliver", "make", "produce", "manufacture",
                                       "upgrade", "modernize", "modernise", "refurbish", "overhaul", "sustain",
                                       "equip", "replace", "expand"):
            continue
        goods = next((c for c in verb.children if c.dep_ == "dobj"), None)
        owner = possessor_of(goods) if goods is not None else None
        if owner is not None and (party := _side(sent, owner, state_of)):
            return party
    return None


def _deal_maker(sent: Sentence, buy, buyer: str | None, state_of):  # noqa: ANN001, ANN202
    """Who made the deal a buyer acquires under, when that is not the buyer: "Washington cleared a
    deal for Poland to acquire 250 tanks" (the one who clears or signs it sells); "the State
    Department approved a request by Taiwan to purchase ..." (the one who grants the request)."""
    if buy.dep_ not in ("acl", "relcl"):
        return None
    deal = buy.head
    approved = deal.lower_ in REQUEST_NOUNS and deal.head.lemma_.lower() in APPROVE_VERBS
    if deal.lower_ not in triggers.words("deal_noun") and not approved:
        return None
    if deal.dep_ != "dobj" or deal.head == deal:
        return None
    maker = _side(sent, subject_of(deal.head), state_of)
    return maker if maker != buyer else None


def _deal_partner(token):  # noqa: ANN001, ANN202
    """The 'with' partner of the deal a verb belongs to: 'a deal with Poland to export'."""
    node = token
    for _ in range(4):
        if node.lower_ in triggers.words("deal_noun"):
            return object_of(node, "with")
        if node.head == node:
            break
        node = node.head
    if token.i > 0 and token.nbor(-1).lower_ == "to":
        # "signed a 4.5 trillion won deal with Poland to supply": the parser may hang the verb
        # elsewhere ("won" read as a verb); the deal named before it is the one it serves
        deal = next((t for t in reversed(list(token.doc[token.sent.start:token.i]))
                     if t.lower_ in triggers.words("deal_noun") and t.pos_ == "NOUN"), None)
        return object_of(deal, "with") if deal is not None else None
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
    goods = _counted(sent, [t for t in sent.tokens if t.i > trigger.i or trigger.i == sent.span.start])
    if not goods:
        goods = _counted(sent, _goods_before(trigger))
    if goods:
        return goods
    verb_for = [c for c in trigger.head.children if c.dep_ == "prep" and c.lower_ == "for"] \
        if trigger.dep_ == "dobj" and trigger.pos_ == "NOUN" else []  # "signed a deal with India for the system"
    supplies = trigger.lemma_.lower() in ("provide", "supply", "equip", "arm")  # "provide the Philippines with radars"
    for child in [*trigger.children, *verb_for]:
        if child.dep_ in ("dobj", "pobj") or (child.dep_ == "prep" and child.lower_ in ("of", "for")) or \
                (supplies and child.dep_ == "prep" and child.lower_ == "with"):
            target = _counted_noun(child if child.dep_ == "dobj" else next((c for c in child.children
                                                                            if c.dep_ == "pobj"), None))
            if target is None or any(m.start <= target.idx < m.end for m in sent.mentions if m.entity_id):
                continue
            words = [t for t in target.subtree if t.i <= target.i and t.dep_ not in ("det", "poss", "case")
                     and t.lower_ not in ("advanced", "other", "new", "more", "additional", "potential")
                     and not any(m.start <= t.idx < m.end for m in sent.mentions if m.kind == "Country")]
            model = any(t.pos_ == "PROPN" or any(c.isdigit() for c in t.text) for t in words[:-1])
            if target.tag_ in ("NNS", "NNPS") or (target.tag_ == "NN" and model):
                # a named model in the singular too: "the S-400 air defence system", "the BrahMos missile system"
                if len(words) > 1 and target.lemma_.lower() not in triggers.words("not_goods"):
                    # a named kind of goods ("F-35 fighter jets"), not a bare class ("tanks and howitzers")
                    text = target.doc[words[0].i:target.i + 1].text
                    return [(None, normalize.parse_quantity(f"1 {text}").unit)]
    return []


HEDGES = sorted((tuple(h.split()) for h in normalize.HEDGES), key=len, reverse=True)
"""`normalize.HEDGES` as token runs, longest first: kept in a count's text ("close to 300")."""


def _hedge_start(number) -> int:  # noqa: ANN001 - a spaCy token
    """Where a count begins, with its hedge: "almost a hundred" from "hundred", "close to 300"."""
    doc, first = number.doc, number.i
    if first > 0 and doc[first - 1].lower_ == "a" and number.lower_ in ("hundred", "dozen"):
        first -= 1
    for hedge in HEDGES:
        if first >= len(hedge) and tuple(t.lower_ for t in doc[first - len(hedge):first]) == hedge:
            return first - len(hedge)
    return first


def _goods_before(trigger) -> list:  # noqa: ANN001
    """Where goods stand before the trigger: the subject of a passive ("24 K9 howitzers were
    delivered to Poland") or the object of the verb a deal serves ("Kuwait will receive 218 tanks
    under a contract with General Dynamics")."""
    if trigger.pos_ == "VERB":
        subject = next((c for c in trigger.children if c.dep_ == "nsubjpass"), None)
        return sorted(subject.subtree, key=lambda t: t.i) if subject is not None else []
    if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep" and trigger.head.head.pos_ == "VERB":
        target = next((c for c in trigger.head.head.children if c.dep_ == "dobj"), None)
        return sorted(target.subtree, key=lambda t: t.i) if target is not None else []
    return []


DESCRIBED = re.compile(r"(?i)domestically|locally|indigenously|jointly|newly|domestic|locally-made|and|designed|built|"
                       r"made|manufactured|produced|developed|assembled|upgraded|refurbished|modernised|modernized|"
                       r"used|new|additional")
"""Words that describe goods between their count and their name ("97 domestically designed and
built Tejas fighter jets"): left out of the goods' name."""


def _counted(sent: Sentence, tokens: list) -> list[tuple[object, str | None]]:
    """(quantity, item) for each count of goods among `tokens`."""
    goods: list[tuple[object, str | None]] = []
    counted_to = -1  # the last token of the previous count: "54 Leopard 2 tanks" is one count, not two
    for number in tokens:
        if number.i + 2 < len(number.doc) and number.nbor(1).lower_ in ("to", "or") and number.nbor(2).like_num:
            continue  # "three to five submarines": the goods are counted by the upper bound
        if number.i <= counted_to or not number.like_num or re.fullmatch(r"(?:19|20)\d\d", number.text) or \
                (number.i > 0 and number.nbor(-1).text in ("$", "US$", "€", "£", "₩")) or \
                number.i + 1 >= len(number.doc) or number.nbor(1).lower_ in NOT_QUANTITY:
            continue
        end, described_to = None, None
        for t in number.doc[number.i + 1:min(number.i + 14, sent.span.end)]:
            if end is None and t.i == (described_to or number.i + 1) and t.pos_ in ("ADV", "VERB", "CCONJ") and \
                    t.i + 1 < sent.span.end and DESCRIBED.fullmatch(number.doc[t.i:min(t.i + 5, sent.span.end)].text
                                                                    .split(" ", 1)[0]):
                described_to = t.i + 1  # "97 domestically designed and built Tejas fighter jets": the jets
                continue
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
                while end + 1 < sent.span.end and t.dep_ == "compound" and t.head.i == end + 1 and \
                        t.head.pos_ == "NOUN":
                    t = t.head  # "four major weapons systems": the count is of systems
                    end = t.i
                break
        if end is None:
            continue
        first = _hedge_start(number)
        try:  # the span as written: "Twenty-four K9 howitzers", "almost a hundred Apache helicopters"
            quantity = normalize.parse_quantity(number.doc[first:end + 1].text if described_to is None else
                                                number.doc[first:number.i + 1].text + " " +
                                                number.doc[described_to:end + 1].text)
        except ValueError:
            continue
        unit = _without_maker(re.sub(r"^(?:more|additional|further|extra|other|new)\s+", "", quantity.unit))
        if unit != quantity.unit:  # "two more destroyers": the goods are destroyers; the text stays as written
            quantity = dataclasses.replace(quantity, unit=unit)
        if quantity.unit.split()[-1].lower() in triggers.words("not_goods"):
            continue  # "two countries", "their delegates": counted, but no goods
        if all(w.lower() in GENERIC_GOODS for w in quantity.unit.split()):
            continue  # "four major weapons systems": kinds of goods counted, not goods
        counted_to = end
        item = quantity.unit
        of = number.doc[end + 1] if end + 1 < sent.span.end else None
        if item.split()[-1].lower() in UNITS_OF_GOODS and of is not None and of.lower_ == "of":
            goods_of = next((c for c in of.children if c.dep_ == "pobj"), None)
            if goods_of is not None:  # "three batteries of the BrahMos missile system": the goods are the system
                words = [t for t in goods_of.subtree if t.i <= goods_of.i and t.dep_ not in ("det", "poss", "case")]
                if words:
                    item = number.doc[words[0].i:goods_of.i + 1].text
        goods.append((quantity, item))
    return goods


MADE_IN = re.compile(r"^(?P<state>[A-Z][\w.]*(?:[ -][A-Z][\w.]*)?)-(?:made|built|designed|manufactured|produced)\s+")


def _without_maker(unit: str) -> str:
    """Goods named without the state that makes them ("French-made Rafale fighter jets", "three
    French frigates", "US-built F-16s"): the state is the seller's side of the deal, the goods are
    the same goods whoever names their maker. A name that is the goods' own ("Korean Air") is
    not a country's adjective and stays."""
    made = MADE_IN.match(unit)
    if made and gazetteer().country(made.group("state")):
        return unit[made.end():] or unit
    words = unit.split()
    for size in (2, 1):
        if len(words) > size and gazetteer().country(" ".join(words[:size])) and \
                not words[size - 1].endswith(("’s", "'s")):
            return " ".join(words[size:])
    return unit


UNITS_OF_GOODS = {"battery", "set", "squadron", "unit", "regiment", "battalion", "consignment"}
"""What counts goods in groups: "three batteries of the BrahMos missile system" buys the system."""
