"""Turn values as written in news text into typed values: money, quantities and dates.

"$26 billion" -> 26000000000 USD; "103 jets" -> 103 jet; "last night" -> the day before the
article date. Curation and extraction share these functions, so both normalise alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .types import DateValue, Money, Quantity, YearValue

_SCALES = {
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "t": Decimal(10) ** 12,
}
_ISO_CODES = ("USD", "EUR", "GBP", "JPY", "KRW", "PLN", "NOK", "SEK", "DKK", "AUD", "CAD", "NZD", "INR", "TWD", "SAR",
              "AED", "CHF", "CNY", "RMB", "ILS", "TRY", "PHP", "SGD", "HKD", "RUB", "UAH")
"""Currency codes news writes before an amount ("PLN 6.57 billion")."""
_CURRENCY_SYMBOLS = [
    ("US$", "USD"), ("A$", "AUD"), ("AU$", "AUD"), ("C$", "CAD"), ("NZ$", "NZD"), ("HK$", "HKD"), ("S$", "SGD"),
    ("NT$", "TWD"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₩", "KRW"), ("₹", "INR"),
    *((code, "CNY" if code == "RMB" else code) for code in _ISO_CODES),
]
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "won": "KRW",
    "yen": "JPY", "pound": "GBP", "pounds": "GBP", "yuan": "CNY", "zloty": "PLN", "zlotys": "PLN", "zlotych": "PLN",
    "krone": "NOK", "kroner": "NOK", "kronor": "SEK", "rupee": "INR", "rupees": "INR", "riyal": "SAR", "riyals": "SAR",
    "dirham": "AED", "dirhams": "AED", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "shekel": "ILS", "shekels": "ILS", "lira": "TRY", "hryvnia": "UAH", "hryvnias": "UAH", "pesos": "PHP",
    "australian dollars": "AUD", "canadian dollars": "CAD", "taiwan dollars": "TWD", "new taiwan dollars": "TWD",
    "czech crowns": "CZK", "czech korunas": "CZK", "koruna": "CZK", "korunas": "CZK",
}
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_MONEY_WORD_NUMBER = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|"
                      r"seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen)")
"""A count of billions news spells out ("five billion U.S. dollars")."""
_MONEY_RE = re.compile(
    r"^(?P<sym>US\$|AU?\$|C\$|NZ\$|HK\$|S\$|NT\$|\$|€|£|¥|₩|₹|" + "|".join(_ISO_CODES) + r")?\s*"
    rf"(?P<num>{_NUMBER}|{_MONEY_WORD_NUMBER})\s*"
    r"(?P<scale>thousand|million|billion|trillion|mn|bn|tn|k|m|b|t)?\.?\s*"
    r"(?P<word>(?:australian |canadian |new taiwan |taiwan |u\.?s\.? )?dollars?|euros?|won|yen|pounds?|yuan|zloty(?:s|ch)?|"
    r"kron(?:e|er|or)|czech crowns|czech korunas|korunas?|rupees?|riyals?|dirhams?|r[ou]bles?|shekels?|lira|hryvnias?|"
    r"pesos)?$",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "hundred": 100,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_NUMBERS.update(_TENS)
_WORD_NUMBERS.update({f"{tens}-{unit}": value + _WORD_NUMBERS[unit] for tens, value in _TENS.items()
                      for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")})
"""Numbers news spells out ("Twenty-four K9 howitzers"), as the AP style writes them."""


def _decimal(number: str) -> Decimal:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regexes only admit digits
        raise ValueError(f"not a number: {number!r}") from exc


MONEY_IN_TEXT = re.compile(r"(?:US|AU?|C|NZ|HK|S|NT)?\$\s?[\d.,]+(?:-(?=(?:billion|million|trillion|bn|m)\b)|\s*)(?:billion|million|trillion|bn|m)?\b|"
                           r"[₩€£¥₹]\s?[\d.,]+(?:-(?=(?:billion|million|trillion)\b)|\s*)(?:billion|million|trillion)?|"
                           r"\b(?:" + "|".join(_ISO_CODES) + r")\s?[\d.,]+(?:-(?=(?:billion|million|trillion|bn|m)\b)|\s*)(?:billion|million|trillion|bn|m)?\b|"
                           r"(?:\b[\d.,]+|(?<![\w-])(?i:" + _MONEY_WORD_NUMBER[3:-1] + r"))\s*(?i:billion|million|trillion)\s+"
                           r"(?i:(?:Australian |Canadian |(?:New )?Taiwan |U\.?S\.? )?"
                           r"dollars|Czech crowns|Czech korunas|korunas?|euros|won|yen|pounds|yuan|zlotys?|zlotych|kron(?:e|er|or)|rupees|riyals|dirhams|"
                           r"r[ou]bles|shekels|lira|hryvnias|pesos)\b")
"""An amount of money as news writes it ("$6.5 billion", "€2bn", "5 billion euros"), to find in a
sentence; `parse_money` reads what it finds."""


def parse_money(text: str) -> Money:
    """Parse "$26 billion", "US$1.5 million", "₩3 trillion", "26 billion dollars"."""
    match = _MONEY_RE.match(re.sub(r"(?<=\d)-(?=[a-z])", " ", text.strip()))  # "$560-million", as adjectives write it
    if not match or not (match["sym"] or match["word"]):
        raise ValueError(f"not an amount of money: {text!r} (write it like '$26 billion' or "
                         "'₩3 trillion')")
    amount = Decimal(_WORD_NUMBERS[match["num"].lower()]) if match["num"][:1].isalpha() else _decimal(match["num"])
    if match["scale"]:
        amount *= _SCALES[match["scale"].lower()]
    symbol = (match["sym"] or "").upper()
    currency = next((code for sym, code in _CURRENCY_SYMBOLS if sym == symbol), None)
    if currency is None:
        currency = _CURRENCY_WORDS[re.sub(r"^u\.?s\.? ", "", match["word"].lower())]
    if amount == amount.to_integral():
        amount = Decimal(int(amount))
    return Money(amount, currency, text.strip())


def singular(noun: str) -> str:
    """A plain English singular, enough for units such as "jets", "units", "batteries"."""
    word = noun.strip()
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word[:1].isupper() and lower.endswith("ches"):
        return word[:-1]  # a name's plural: "Apaches", "Comanches"
    if lower.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_QUANTITY_RE = re.compile(rf"^(?P<num>{_NUMBER}|[a-z]+(?:-[a-z]+)?)\s*(?P<scale>thousand|million|billion)?\s*(?P<unit>.*)$",
                          re.IGNORECASE)


HEDGES = ("about", "around", "almost", "nearly", "some", "roughly", "approximately", "over", "under", "close to",
          "up to", "more than", "at least", "fewer than", "less than", "an estimated", "estimated")
"""Words that make a count an estimate ("around 80 vehicles"): the one list the parser (which
keeps them in a quantity's text) and the conflict check (which lets estimates agree) share."""
_HEDGE_RE = re.compile(r"(?i)(?:" + "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True)) +
                       r")\s+(?:a\s+(?=hundred\b|dozen\b))?")


def is_hedged(text: str) -> bool:
    """Is a count written as an estimate ("around 80 support vehicles", "almost a hundred")?"""
    return _HEDGE_RE.match(text.strip()) is not None


def parse_quantity(text: str) -> Quantity:
    """Parse "103 jets" -> 103 jet, "30,000 units" -> 30000 unit, "two carriers" -> 2 carrier."""
    hedge = _HEDGE_RE.match(text.strip())  # "around 80 support vehicles": the count, told as an estimate
    match = _QUANTITY_RE.match(text.strip()[hedge.end():] if hedge else text.strip())
    if not match:
        raise ValueError(f"not a quantity: {text!r} (write it like '103 jets')")
    num = match["num"]
    if num.lower() in _WORD_NUMBERS:
        amount = Decimal(_WORD_NUMBERS[num.lower()])
    elif re.fullmatch(_NUMBER, num):
        amount = _decimal(num)
    else:
        raise ValueError(f"not a quantity: {text!r} (write it like '103 jets')")
    if match["scale"]:
        amount *= _SCALES[match["scale"].lower()]
    if amount != amount.to_integral():
        raise ValueError(f"a quantity must be a whole number: {text!r}")
    unit = match["unit"].strip() or None
    if unit:
        words = unit.split()
        words[-1] = singular(words[-1])
        unit = " ".join(words)
    return Quantity(int(amount), unit, text.strip())


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "tomorrow": 1,
}


def _strip_lead(text: str) -> str:
    return re.sub(r"^(?:on|in|at|during|earlier|later)\s+", "", text.strip().lower().rstrip(".,"))


def resolve_date(text: str | dt.date | int, reference: dt.date | None = None) -> DateValue:
    """Normalise a date as written, resolving relative phrases against the article date.

    Returns a value of precision "day", "month" or "year", or `DateValue(None, None, text)`
    when a relative phrase cannot be resolved because the article date is unknown. Raises
    ValueError for text that is not a date at all.
    """
    if isinstance(text, dt.datetime):
        return DateValue(text.date(), "day", text.date().isoformat())
    if isinstance(text, dt.date):
        return DateValue(text, "day", text.isoformat())
    if isinstance(text, int):
        return DateValue(dt.date(text, 1, 1), "year", str(text))
    original = text.strip()
    phrase = _strip_lead(original)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        try:
            return DateValue(dt.date.fromisoformat(phrase), "day", original)
        except ValueError as exc:
            raise ValueError(f"not a valid date: {original!r}") from exc
    if re.fullmatch(r"\d{4}-\d{2}", phrase):
        year, month = map(int, phrase.split("-"))
        return DateValue(dt.date(year, month, 1), "month", original)
    if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", phrase):
        return DateValue(dt.date(int(phrase), 1, 1), "year", original)
    absolute = _absolute_date(phrase)
    if absolute is not None:
        return DateValue(absolute[0], absolute[1], original)
    relative = _relative_date(phrase, reference)
    if relative is not None:
        return DateValue(relative[0], relative[1], original)
    if _is_relative(phrase):
        return DateValue(None, None, original)
    raise ValueError(f"not a date: {original!r} (write an ISO date like 2022-11-04, a year, "
                     "or a phrase such as 'today', 'last night', 'this year', 'last May')")


def _absolute_date(phrase: str) -> tuple[dt.date, str] | None:
    """'April 26, 2023', '11 July 2023', 'July 2023'."""
    words = re.findall(r"[a-z]+|\d+", phrase)
    months = [w for w in words if w in _MONTHS]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(months) != 1 or not numbers or any(w not in _MONTHS and not w.isdigit() for w in words):
        return None
    month = _MONTHS[months[0]]
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if n < 32]
    if len(years) != 1:
        return None
    try:
        if days:
            return dt.date(years[0], month, days[0]), "day"
        return dt.date(years[0], month, 1), "month"
    except ValueError:
        return None


_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS if len(m) > 2), key=len, reverse=True))
_DATES_IN_TEXT = re.compile(rf"(?i)\b(?:(?:{_MONTH_NAMES})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTH_NAMES})\.?,?\s+\d{{4}})\b")


def latest_date_in(text: str) -> dt.date | None:
    """The latest full date ("August 1, 2025", "2 July 2025") a text names, or None: an article
    with no date of its own was written on or after it, so what it states held by then."""
    found = [value for m in _DATES_IN_TEXT.finditer(text) if (value := _absolute_date(m.group(0).lower())) is not None
             and value[1] == "day"]
    return max(d for d, _ in found) if found else None


def _is_relative(phrase: str) -> bool:
    if _month_day(phrase, dt.date(2000, 12, 31)) is not None:
        return True  # "November 18" needs the article's year
    return (phrase in _RELATIVE_DAYS or phrase in _WEEKDAYS
            or re.fullmatch(r"(?:this|last|next) (?:year|month|week)", phrase) is not None
            or re.fullmatch(r"(?:last|next|this)?\s*(?:" + "|".join(_MONTHS) + ")", phrase) is not None
            or re.fullmatch(r"(?:last|this|next) (?:" + "|".join(_WEEKDAYS) + ")", phrase) is not None)


def _month_day(phrase: str, ref: dt.date) -> dt.date | None:
    """'November 18', 'Nov. 18', '18 November' in an article dated `ref`: that day of the
    article's year, or of the year before when it would fall more than a month after `ref`
    (news reports what happened, and announces what comes soon)."""
    match = re.fullmatch(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)", phrase)
    if not match:
        return None
    month_name, day = (match[1], match[2]) if match[1] else (match[4], match[3])
    if month_name not in _MONTHS:
        return None
    try:
        value = dt.date(ref.year, _MONTHS[month_name], int(day))
        if value - ref > dt.timedelta(days=31):
            value = dt.date(ref.year - 1, _MONTHS[month_name], int(day))
    except ValueError:
        return None
    return value


def _relative_date(phrase: str, ref: dt.date | None) -> tuple[dt.date, str] | None:
    if ref is None:
        return None
    day = _month_day(phrase, ref)
    if day is not None:
        return day, "day"
    if phrase in _RELATIVE_DAYS:
        return ref + dt.timedelta(days=_RELATIVE_DAYS[phrase]), "day"
    match = re.fullmatch(r"(this|last|next) (year|month|week)", phrase)
    if match:
        step = {"this": 0, "last": -1, "next": 1}[match[1]]
        if match[2] == "year":
            return dt.date(ref.year + step, 1, 1), "year"
        if match[2] == "month":
            month_index = ref.year * 12 + ref.month - 1 + step
            return dt.date(month_index // 12, month_index % 12 + 1, 1), "month"
        return None
    match = re.fullmatch(r"(?:(last|next|this) )?(" + "|".join(_WEEKDAYS) + ")", phrase)
    if match:
        target = _WEEKDAYS[match[2]]
        delta = (target - ref.weekday() + 7) % 7
        if match[1] == "next":
            return ref + dt.timedelta(days=delta or 7), "day"
        back = ref - dt.timedelta(days=(ref.weekday() - target) % 7)
        if match[1] == "last":
            return (back if back != ref else ref - dt.timedelta(days=7)), "day"
        # a bare weekday in news means the one nearest the article date, either side
        forward = ref + dt.timedelta(days=delta)
        return (back if (ref - back) <= (forward - ref) else forward), "day"
    match = re.fullmatch(r"(?:(last|next|this) )?(" + "|".join(_MONTHS) + ")", phrase)
    if match:
        month = _MONTHS[match[2]]
        if match[1] == "last":
            year = ref.year - 1
        elif match[1] == "next":
            year = ref.year + 1 if month <= ref.month else ref.year
        elif match[1] == "this":
            year = ref.year
        else:
            year = ref.year if month <= ref.month else ref.year - 1
        return dt.date(year, month, 1), "month"
    return None


def parse_year(value: str | int) -> YearValue:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(f"not a year: {value!r} (write four digits, like 1953)")
    return YearValue(int(text), text)
