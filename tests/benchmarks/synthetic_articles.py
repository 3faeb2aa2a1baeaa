"""Realistic synthetic alliance news for scale benchmarks: varied articles from templates.

Each article mixes summits, deals, investments, memoranda, exercises, missile launches,
positions and quotes about invented officials and companies from real countries, in the
project's article format (front matter + body), so `kg build` parses them like real news.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

COUNTRIES = [
    ("United States", "Washington", "President"), ("South Korea", "Seoul", "President"),
    ("Japan", "Tokyo", "Prime Minister"), ("Australia", "Canberra", "Prime Minister"),
    ("United Kingdom", "London", "Prime Minister"), ("France", "Paris", "President"),
    ("Germany", "Berlin", "Chancellor"), ("Canada", "Ottawa", "Prime Minister"),
    ("Philippines", "Manila", "President"), ("Poland", "Warsaw", "President"),
    ("India", "New Delhi", "Prime Minister"), ("Italy", "Rome", "Prime Minister"),
    ("Norway", "Oslo", "Prime Minister"), ("Sweden", "Stockholm", "Prime Minister"),
    ("Finland", "Helsinki", "President"), ("Turkey", "Ankara", "President"),
]
FIRST = ["Daniel", "Maria", "Hiroshi", "Min-jun", "Elena", "Samuel", "Aiko", "Jonas", "Priya", "Lukas",
         "Sofia", "Kenji", "Ana", "Tomas", "Grace", "Oliver", "Yuna", "Pierre", "Astrid", "Rahul"]
LAST = ["Harlow", "Kessler", "Tanaka", "Park", "Novak", "Whitfield", "Moreau", "Lindqvist", "Sato", "Brennan",
        "Castellano", "Okafor", "Hartmann", "Choi", "Duval", "Rasmussen", "Iyer", "Kowalski", "Mercer", "Abe"]
COMPANY_STEMS = ["Northwind", "Bluepeak", "Ironclad", "Meridian", "Stellar", "Harbor", "Aurora", "Titan",
                 "Summit", "Crescent", "Vanguard", "Pacific", "Atlas", "Horizon", "Sterling", "Orion"]
COMPANY_KINDS = ["Aerospace", "Shipbuilding", "Motors", "Defense Systems", "Electronics", "Heavy Industries",
                 "Energy", "Semiconductors"]
ITEMS = [("jets", "aircraft"), ("tanks", "armour"), ("frigates", "ships"), ("drones", "unmanned systems"),
         ("helicopters", "rotorcraft"), ("missile systems", "air defence"), ("radars", "sensors")]
EXERCISES = ["Pacific Shield", "Northern Resolve", "Steel Anchor", "Ocean Guardian", "Iron Falcon",
             "Silent Harbor", "Eastern Sentinel", "Blue Horizon"]
SUBJECTS = ["ship maintenance", "battery production", "satellite launches", "missile defence research",
            "semiconductor supply chains", "joint shipbuilding", "critical minerals"]
RELATIVE = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week", "yesterday", "today"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _company(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_KINDS)}"


def article_text(rng: random.Random, date: dt.date) -> tuple[str, str]:
    """A title and a body of 8-14 sentences of alliance news."""
    (c1, cap1, t1), (c2, cap2, t2) = rng.sample(COUNTRIES, 2)
    p1, p2, minister = _person(rng), _person(rng), _person(rng)
    seller, buyer = _company(rng), _company(rng)
    n = rng.choice([12, 24, 36, 48, 103, 150, 250])
    plural, family = rng.choice(ITEMS)
    amount = rng.choice(["$1.2 billion", "$26 billion", "$450 million", "$3.5 billion", "$780 million"])
    exercise = rng.choice(EXERCISES)
    when = rng.choice(RELATIVE)
    sentences = [
        f"{c1} {t1} {p1} and {c2} {t2} {p2} met in {cap1} {when} for summit talks on defence and trade.",
        f"\"Our alliance has never been stronger,\" {p1} told reporters after the meeting.",
        f"{seller} announced it reached a deal to sell {n} {plural} to {buyer}.",
        f"The company said the agreement is worth {amount}.",
        f"{buyer} signed a memorandum of understanding with {seller} on {rng.choice(SUBJECTS)}.",
        f"{seller} will invest {rng.choice(['$2 billion', '$600 million', '$9 billion'])} in {c2} to build a new plant.",
        f"Defense Minister {minister} said the two militaries would extend {exercise}, a combined training exercise.",
        f"The talks came a day after North Korea launched a ballistic missile into the sea {rng.choice(['last night', 'on Sunday', 'yesterday'])}.",
        f"{p2} said: \"We will stand together against any threat to peace in the region.\"",
        f"{c1} and {c2} signed the Treaty of Friendship in {rng.choice(range(1950, 2010))}.",
        f"Analysts said the {family} purchase underscores {cap2}'s growing role as a buyer of {c1}'s equipment.",
        f"{minister} added that {c2} would increase its defence budget next year.",
        "Officials from both sides are expected to meet again before the end of the year.",
        f"{p1} also spoke with {rng.choice(['NATO', 'the European Union', 'ASEAN'])} leaders about regional security.",
    ]
    keep = sorted(rng.sample(range(len(sentences)), rng.randint(8, len(sentences))))
    body = "\n".join(sentences[i] for i in keep) + "\n"
    title = f"{p1} and {p2} pledge closer {c1}-{c2} ties"
    return title, body


def generate(count: int, out_dir: Path, seed: int = 7) -> list[Path]:
    """Write `count` articles (and an empty facts/ and a minimal registry) into `out_dir`."""
    rng = random.Random(seed)
    (out_dir / "articles").mkdir(parents=True, exist_ok=True)
    (out_dir / "facts").mkdir(exist_ok=True)
    registry = out_dir / "entities.yaml"
    if not registry.exists():
        registry.write_text("entities:\n  - id: north-korea\n    type: Country\n    label: North Korea\n"
                            "    iso3166: KP\n", encoding="utf-8")
    paths = []
    start = dt.date(2023, 1, 1)
    for index in range(count):
        date = start + dt.timedelta(days=rng.randint(0, 900))
        title, body = article_text(rng, date)
        article_id = f"syn_{index:06d}"
        path = out_dir / "articles" / f"{article_id}.txt"
        path.write_text(f"---\nid: {article_id}\ntitle: \"{title}\"\npublisher: Synthetic Wire\nurl: null\n"
                        f"date: {date.isoformat()}\nlanguage: en\n---\n{body}", encoding="utf-8")
        paths.append(path)
    return paths
