"""Synthetic graphs in the project's own model, for SPARQL and network benchmarks.

Articles whose sentences are the evidence of meetings, deals, positions and statements among
generated people, countries and companies; assembled by `kg.assemble.iter_blocks` exactly as a
real build is, so the benchmark measures the real shape of the data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from kg.assemble import iter_blocks
from kg.evidence import context
from kg.merge import merge_facts
from kg.registry import Registry
from kg.stream import write_streamed
from kg.types import Article, DateValue, Entity, Evidence, Fact, Method, Money, Quantity, Span, Text

COUNTRIES = ["Aland", "Borvia", "Cestra", "Dravonia", "Estmark", "Fenwick", "Galdor", "Hestia", "Ilvania",
             "Jorvik", "Kestria", "Lumen", "Morvath", "Norland", "Ostrava", "Pelion", "Quorin", "Rovinia"]


def _entities(rng: random.Random, people: int, companies: int) -> list[Entity]:
    found = [Entity(f"country-{i}", "Country", name) for i, name in enumerate(COUNTRIES)]
    found += [Entity(f"person-{i}", "Person", f"Person{i} Surname{i % 97}") for i in range(people)]
    found += [Entity(f"company-{i}", "Company", f"Company{i} Industries") for i in range(companies)]
    return found


def _fact(rng: random.Random, kind: int, people: list[Entity], companies: list[Entity], countries: list[Entity],
          date: dt.date) -> tuple[str, str, tuple]:
    """(relation, sentence, roles) for one generated fact."""
    if kind == 0:
        a, b = rng.sample(people, 2)
        place = rng.choice(countries)
        sentence = f"{a.label} met {b.label} in {place.label} on {date.isoformat()}."
        return "Meeting", sentence, (("participants", tuple(sorted((a.id, b.id)))), ("place", place.id),
                                     ("date", DateValue(date, "day", date.isoformat())))
    if kind == 1:
        s, b = rng.sample(companies, 2)
        n = rng.randint(2, 300)
        amount = Decimal(rng.randint(1, 90)) * Decimal(10) ** 8
        sentence = f"{s.label} agreed to sell {n} jets to {b.label} for ${amount} dollars."
        return "Deal", sentence, (("seller", s.id), ("buyer", b.id), ("item", Text("jet")),
                                  ("quantity", Quantity(n, "jet", f"{n} jets")),
                                  ("value", Money(amount, "USD", f"${amount}")))
    if kind == 2:
        p, c = rng.choice(people), rng.choice(countries)
        title = rng.choice(["President", "Prime Minister", "Defense Minister", "Foreign Minister"])
        sentence = f"{p.label} is the {title} of {c.label}."
        return "Position", sentence, (("holder", p.id), ("title", Text(title)), ("of", c.id))
    p = rng.choice(people)
    words = f"We will defend peace in region {rng.randint(0, 10 ** 6)}"
    sentence = f"\"{words},\" {p.label} said."
    return "Statement", sentence, (("speaker", p.id), ("text", Text(words)),
                                   ("date", DateValue(date, "day", "article date")))


def generate(facts: int, seed: int = 11, facts_per_article: int = 10) -> tuple[list[Article], Registry, list[Fact]]:
    rng = random.Random(seed)
    entities = _entities(rng, people=max(50, facts // 20), companies=max(20, facts // 50))
    registry = Registry()
    for entity in entities:
        registry.add(entity)
    people = [e for e in entities if e.type == "Person"]
    companies = [e for e in entities if e.type == "Company"]
    countries = [e for e in entities if e.type == "Country"]
    articles, all_facts = [], []
    for a in range((facts + facts_per_article - 1) // facts_per_article):
        date = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        article_id = f"bench_{a:07d}"
        body, pending = "", []
        for _ in range(facts_per_article):
            relation, sentence, roles = _fact(rng, rng.randint(0, 3), people, companies, countries, date)
            start = len(body)
            body += sentence + "\n"
            pending.append((relation, roles, Span(start, start + len(sentence))))
        article = Article(article_id, f"Synthetic {a}", "Bench Wire", None, date, "en", body, 0, len(body))
        articles.append(article)
        for relation, roles, span in pending:
            prefix, suffix = context(body, span)
            evidence = Evidence(article_id, span, body[span.start:span.end], prefix, suffix, Method.PARSED,
                                Decimal("0.8"), "bench.generator/1", ())
            all_facts.append(Fact(relation, roles, (evidence,)))
    return articles, registry, merge_facts(all_facts)


def write_graph(facts: int, out: Path, seed: int = 11) -> int:
    """Build a synthetic graph of about `facts` facts into `out` (a build folder); the quad count."""
    articles, registry, merged = generate(facts, seed)
    quads = write_streamed(out, iter_blocks(articles, registry, merged), {"synthetic": True}).quads
    return quads
