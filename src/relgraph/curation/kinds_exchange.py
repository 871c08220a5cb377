"""The rules for what states share: agreements, memberships, sister cities, trade and assistance."""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD
from spacy.tokens import Span

from ..vocab import RG
from .context import RULES, Context, parties
from .dates import DateMention
from .gazetteer import normalize
from .mentions import Mention, load_rules

CURRENCIES = load_rules("currencies.json")


_SUBJECT_STOP = re.compile(r",|;|\.(?:\s|$)|\s+(?:in|at|during)\s+(?=[A-Z0-9]|the\s+[A-Z])|\s+(?:which|that|by|between|with|was|were)\s+|\s+on\s+(?=[0-9]|the\s+[0-9]|[A-Z][a-z]+\s+[0-9])|\s+and\s+(?=an?\s|the\s)")


def build_agreement(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    words = ctx.finder.agreement_words
    doc = ctx.doc
    found = []
    multi = sorted((w for w in words if " " in w), key=len, reverse=True)
    def cue_at(token) -> str | None:
        rest = normalize(ctx.text[token.idx:])
        for phrase in multi:
            if rest.startswith(phrase):
                return phrase
        norm = token.norm_
        return norm if norm in words else (norm[:-1] if norm.endswith("s") and norm[:-1] in words else None)
    for token in doc[trigger.end:]:
        if cue_at(token):
            found.append(token)
    if not found:
        for token in doc[:trigger.start]:
            if cue_at(token):
                found.append(token)
    two = parties(ctx)
    if two is None:
        return
    a, b = (ctx.use_state(s) for s in two)
    for token in found[:3]:
        cue = cue_at(token)
        cls = words[cue]
        cue_end = token.idx + len(cue)
        name_start = token.i
        while name_start > 0 and ctx.finder._is_name_token(doc[name_start - 1]) and doc[name_start - 1].text not in ("The", "A", "An"):
            name_start -= 1
        rest = ctx.text[cue_end:]
        subject = None
        match = re.match(r"\s+(?:on|for|concerning|regarding|about|of|to)\s+(?:the\s+)?", rest)
        if match:
            tail = rest[match.end():]
            stop = _SUBJECT_STOP.search(tail)
            subject = (tail[:stop.start()] if stop else tail).strip().rstrip(".") or None
            if subject and len(subject.split()) > 10:
                subject = " ".join(subject.split()[:10])
        if subject is None:
            modifiers = []
            for previous in reversed(doc[max(0, token.i - 3):token.i]):
                if not previous.is_alpha or previous.norm_ in ("a", "an", "the", "new", "bilateral", "two", "this", "that") or previous.text[:1].isupper():
                    break
                modifiers.insert(0, previous.text)
            subject = " ".join(modifiers) or None
        if token.text[:1].isupper() and name_start < token.i:
            label = doc[name_start:token.i + 1].text
            if subject and subject[:1].isupper():
                label += rest[:match.end()] + subject if match else ""
        elif subject:
            label = f"{ctx.label(a)}–{ctx.label(b)} {cue} on {subject}"
        else:
            continue
        agreement = ctx.registry.propose_entity(label, cls, kind="agreement", rule="agreement-cue", confidence=0.6,
                                                sentence=ctx.sentence)
        if subject and agreement in ctx.registry.candidates and (agreement, RG.agreementSubject, None) not in ctx.registry.graph:
            ctx.registry.add(agreement, RG.agreementSubject, Literal(subject, lang="en"))
        fact = ctx.fact("agreement", "agreement-signed", RG.AgreementSigning, f"{ctx.label(a)} and {ctx.label(b)} sign the {label}")
        ctx.registry.add(fact, RG.agreement, agreement)
        ctx.registry.add(fact, RG.party, a)
        ctx.registry.add(fact, RG.party, b)
        for place in ctx.of_kind("settlement"):
            if re.search(r"\bin\s*$", ctx.text[:place.start]):
                iri = ctx.place(place, country=None)
                if iri is not None:
                    ctx.registry.add(fact, RG.location, iri)
                break
        ctx.date(fact, ctx.date_near(trigger.start_char))


def build_membership(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["membership"]
    trigger = triggers[0]
    text = normalize(ctx.text)
    organizations = ctx.of_kind("organization", after=trigger.start_char)
    if not organizations:
        return
    members = ctx.states(before=trigger.start_char)
    if not members or any(phrase in normalize(ctx.text[:trigger.start_char]) for phrase in rule["both"]):
        if any(phrase in text for phrase in rule["both"]) and ctx.pair:
            members = list(ctx.pair)
        elif not members:
            members = ctx.previous_states[:1]
    starts = any(phrase in text for phrase in rule["start"])
    for org in organizations:
        organization = ctx.resolve(org, kind="organization", cls=RG.InternationalOrganization)
        later = [d for d in ctx.dates if d.start >= org.end]
        date = later[0] if later and starts else None
        for member in members:
            member = ctx.use_state(member)
            key = (member, organization)
            fact = ctx.registry.memberships.get(key)
            if fact is None:
                fact = ctx.fact("membership", "membership", RG.Membership,
                                f"{ctx.label(member)}'s membership of the {ctx.label(organization)}")
                ctx.registry.memberships[key] = fact
                ctx.registry.add(fact, RG.member, member)
                ctx.registry.add(fact, RG.organization, organization)
            else:
                ctx.registry.state_in(fact, ctx.sentence)
            if date is not None and (fact, RG.startDate, None) not in ctx.registry.graph:
                ctx.date(fact, date, prop=RG.startDate)


def build_sister_cities(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    candidates = [m for m in ctx.mentions if m.kind in ("settlement", "name") and not m.text.startswith(("Sister", "Twin"))]
    # A partner named first in its clause ("Kaunas and Daegu", "Since 2004, Oulu and Monterrey"):
    # a proper name at the start of the sentence or right after a comma.
    for token in ctx.doc:
        if token.i == 0 or ctx.doc[token.i - 1].text == ",":
            name = ctx.finder.name_after(ctx.doc, token.i)
            if name is not None and token.text not in ctx.finder.not_names and not any(m.start <= name.start_char < m.end for m in ctx.mentions):
                candidates.append(Mention("name", name.start_char, name.end_char, name.text, label=name.text,
                                          rule="proper-name", confidence=0.45, extra={"token_start": name.start, "token_end": name.end}))
    known = sorted(candidates, key=lambda m: (m.kind != "settlement", abs(m.start - trigger.start_char)))[:2]
    if len(known) < 2:
        return
    known.sort(key=lambda m: m.start)
    partners = [ctx.place(m, country=None) for m in known]
    if None in partners or partners[0] == partners[1]:
        return
    fact = ctx.fact("sister-cities", "sister-cities", RG.SisterCityPartnership,
                    f"{ctx.label(partners[0])}–{ctx.label(partners[1])} sister-city partnership")
    for partner in partners:
        ctx.registry.add(fact, RG.partner, partner)
    ctx.date(fact, ctx.date_for(triggers), prop=RG.startDate)


_MONEY = re.compile(
    r"(?P<sign>US\$|¥|€|£|\$|₩|₹|(?<![A-Za-z])(?:USD|EUR|JPY|GBP|SEK|NOK|DKK|PLN|CHF|CNY|KRW|CLP)(?![A-Za-z]))?\s?"
    r"(?P<number>[0-9]+(?:[.,][0-9]+)*)\s?(?P<mult>thousand|million|billion|trillion|bn|m)?\b\s*"
    r"(?P<word>(?:US |U\.S\. )?dollars|yen|euros?|pounds(?: sterling)?|won|yuan|swedish kronor|kronor|krone|zloty|rupees|francs)?",
    re.IGNORECASE,
)


def _amounts(text: str) -> list[tuple[int, Decimal, str]]:
    found = []
    for match in _MONEY.finditer(text):
        code = None
        if match["sign"]:
            code = CURRENCIES["signs"].get(match["sign"].upper()) or CURRENCIES["signs"].get(match["sign"])
        if match["word"]:
            code = code or CURRENCIES["words"].get(match["word"].lower())
        if code is None:
            continue
        number = Decimal(match["number"].replace(",", ""))
        if match["mult"]:
            number *= CURRENCIES["multipliers"][match["mult"].lower()]
        found.append((match.start(), number, code))
    return found


def _products(ctx: Context, text: str) -> list[str]:
    rule = RULES["trade"]
    cue = re.search(r"\b(?:" + "|".join(map(re.escape, sorted(rule["lists"], key=len, reverse=True))) + r")\s+(?:of\s+)?", text)
    if cue is None:
        return []
    tail = re.split(r"[.;]|,\s+(?:while|whereas|and\s+(?:imports|exports))|\s+while\s+", text[cue.end():])[0]
    lead = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(rule["lists"], key=len, reverse=True))) + r")\s+(?:of\s+)?")
    while lead.match(tail):
        tail = lead.sub("", tail, count=1)
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+", tail)
    return [re.sub(r"^(?:the|of)\s+", "", item.strip()) for item in items if item.strip() and len(item.split()) <= 4
            and not re.search(r"[0-9]", item)]


def build_trade(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["trade"]
    lower = ctx.text.lower()
    amounts = _amounts(ctx.text)
    possessive = re.search(r"\b([A-Z][\w-]*(?:\s[A-Z][\w-]*)*)'s\s+(?:trade|exports|imports|total)", ctx.text)
    states = ctx.states(adjectives=True)
    subject = None
    if possessive:
        subject = next((m.iri for m in ctx.of_kind("state", "adjective") if m.start == possessive.start(1)), None)
    subject = subject or (states[0] if states else None)
    partner = next((s for s in states if s != subject), None) or ctx.other(subject)
    if subject is None or partner is None:
        return
    subject, partner = ctx.use_state(subject), ctx.use_state(partner)
    for position, amount, currency in amounts:
        head = lower[:position]
        exports = max((head.rfind(w) for w in rule["exports"]), default=-1)
        imports = max((head.rfind(w) for w in rule["imports"]), default=-1)
        if exports < 0 and imports < 0:
            continue
        exporter, importer = (subject, partner) if exports > imports else (partner, subject)
        fact = ctx.fact("trade", "trade", RG.TradeFlow, f"{ctx.label(exporter)}'s exports to {ctx.label(importer)}")
        ctx.registry.add(fact, RG.exporter, exporter)
        ctx.registry.add(fact, RG.importer, importer)
        ctx.registry.add(fact, RG.amount, Literal(amount, datatype=XSD.decimal))
        ctx.registry.add(fact, RG.currency, Literal(currency))
        years = [d for d in ctx.dates if d.value is not None and d.start < position]
        if years:
            ctx.date(fact, years[-1])
        elif ctx.registry.last_trade_year is not None:
            ctx.registry.note(fact, f"year taken from the sentence before ({ctx.registry.last_trade_year.value})")
            ctx.date(fact, DateMention(0, 0, "", ctx.registry.last_trade_year))
        else:
            ctx.registry.note(fact, "date left out: the sentence gives no year for the trade figure")
        ctx.registry.trade[(exporter, importer)] = fact
    if amounts and ctx.dates:
        ctx.registry.last_trade_year = next((d.value for d in ctx.dates if d.value is not None), None)
    # Products: each clause about exports or imports, in this sentence or the one after the figures.
    for clause in re.split(r",\s+while\s+|;\s+|,\s+whereas\s+|\s+while\s+", ctx.text):
        low = clause.lower()
        is_export = any(re.search(rf"\b{w}\b", low) for w in rule["exports"])
        is_import = any(re.search(rf"\b{w}\b", low) for w in rule["imports"])
        if is_export == is_import:
            continue
        flow = ctx.registry.trade.get((subject, partner) if is_export else (partner, subject))
        if flow is None:
            continue
        prop = RG.principalProduct if any(w in low for w in rule["principal"]) else RG.product
        for name in _products(ctx, clause):
            product = ctx.registry.propose_entity(name, RG.ProductCategory, kind="product", rule="product-list",
                                                  confidence=0.6, sentence=ctx.sentence)
            ctx.registry.add(flow, prop, product)
            ctx.registry.state_in(flow, ctx.sentence)


def build_assistance(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["assistance"]
    classes = {"technical cooperation": RG.TechnicalCooperation, "cultural grant aid": RG.CulturalGrantAid}
    text = normalize(ctx.text)
    for trigger in triggers:
        phrase = normalize(trigger.text)
        cls = classes.get(phrase, RG.AssistanceProgram)
        clause_start, clause_end = ctx.clause(trigger.start_char)
        clause = normalize(ctx.text[clause_start:clause_end])
        event = next((c for words, c in ((rule["suspended"], RG.AssistanceSuspension), (rule["terminated"], RG.AssistanceTermination))
                      if any(re.search(rf"\b{w}\b", clause) for w in words)), None)
        if event is not None:
            program = next((p for p in reversed(ctx.registry.facts_of(cls))), None)
            if program is None:
                continue
            fact = ctx.fact("assistance-event", "assistance", event, f"{ctx.label(program)} {'suspended' if event == RG.AssistanceSuspension else 'terminated'}")
            ctx.registry.add(fact, RG.underProgram, program)
            ctx.date(fact, ctx.date_near(trigger.start_char))
            continue
        donor = ctx.state_before(trigger.start_char)
        recipients = ctx.states(after=trigger.end_char)
        recipient = recipients[0] if recipients else ctx.other(donor)
        if donor is None or recipient is None or donor == recipient:
            continue
        donor, recipient = ctx.use_state(donor), ctx.use_state(recipient)
        key = (cls, donor, recipient)
        if key in ctx.registry.programs:
            ctx.registry.state_in(ctx.registry.programs[key], ctx.sentence)
            continue
        fact = ctx.fact("assistance", "assistance", cls, f"{ctx.label(donor)}'s {trigger.text} to {ctx.label(recipient)}")
        ctx.registry.programs[key] = fact
        ctx.registry.add(fact, RG.donor, donor)
        ctx.registry.add(fact, RG.recipient, recipient)
        if "since" in text:
            ctx.date(fact, ctx.date_near(trigger.start_char), prop=RG.startDate)
