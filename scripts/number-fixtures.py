#!/usr/bin/env python3
"""Generates the E.164 test table and the Swift numbering-plan data from Google's libphonenumber.

    python3 scripts/number-fixtures.py            # writes both files below
    python3 scripts/number-fixtures.py --check    # fails if a committed file is out of date

Needs the Python port of libphonenumber:

    pip install --break-system-packages phonenumbers      (or: pip install phonenumbers)

Outputs (both committed; never edit them by hand):

  Fixtures/numbers/e164.tsv
      One row per (dial plan, direction, raw input). Columns:
      region, country_code, national_prefix, international_prefix, trunk_access_code,
      direction (I inbound, O outbound), raw, expected, case.
      `expected` is E.164 with `+`, or `withheld`, `serviceCode`, `unusable`.
      No field holds a tab; `raw` may be empty or hold spaces (read it without trimming).

  Sources/SMDRRating/Numbers/NumberingPlan+Generated.swift
      For every country calling code libphonenumber knows: the possible lengths of its national
      significant numbers (the general description of the code's main region, without the
      "local only" lengths) and its national prefix.

The oracle
----------
The expected E.164 comes from `phonenumbers.parse(text, region)`, accepted when
`is_possible_number_with_reason(...)` is IS_POSSIBLE, and then `format_number(..., E164)`.

* Possible, not valid: `is_valid_number` needs every region's full number-range patterns (and
  goes stale when ranges are opened); the normaliser only needs to say which E.164 number a leg
  talked to. A possible but unallocated number simply matches no registered client number.
* IS_POSSIBLE_LOCAL_ONLY is not accepted (libphonenumber's `is_possible_number` would): a local
  number without its area code (a US 7-digit number) has no E.164 form.

Rules applied before libphonenumber (it knows nothing of PBX fields); the Swift normaliser
applies the same ones, in this order:

  1. `number@host` (SIP): only the user part before the first `@` is kept.
  2. Spaces and tabs around it are dropped; nothing left -> withheld.
  3. A withheld marker (case-insensitive: withheld, anonymous, private, unknown, restricted,
     unavailable) -> withheld.
  4. Leading `*` or `#` -> serviceCode (feature and service codes: `*47`, `#AA:Night AA`).
  5. Trailing `#` (end of dialling), and spaces before it, are dropped.
  6. Only digits, separators (space, `-`, `.`, `(`, `)`) and one leading `+` may remain;
     anything else (letters, `?`, `*` inside) -> unusable. (libphonenumber would read vanity
     letters and extensions, which a PBX number field never holds.)
  7. Trunk access code, outbound only: when the digits start with the site's trunk access code
     and what follows it parses to a possible number, that number is the result; otherwise the
     whole input is parsed as it is.

Anything libphonenumber rejects or finds not possible -> unusable.

Left out on purpose: the site's country code without `+` (`441632960100`, a CLI some carriers
send) where the whole is also a possible national number of the site (`4930123456` in Germany).
libphonenumber then decides with its number-range patterns, which the normaliser does not carry;
the normaliser takes the code off only when the whole is too long or not a possible length and
the rest is, and rows of this form are generated only where that decides.
"""

import argparse
import os
import sys

try:
    import phonenumbers
    from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType, ValidationResult
except ImportError:  # pragma: no cover
    sys.exit("number-fixtures.py needs the phonenumbers package: pip install --break-system-packages phonenumbers")

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TSV = os.path.join(ROOT, "Fixtures", "numbers", "e164.tsv")
SWIFT = os.path.join(ROOT, "Sources", "SMDRRating", "Numbers", "NumberingPlan+Generated.swift")

# region, country code, national prefix, international prefix, trunk access code
PLANS = [
    ("GB", "44", "0", "00", "9"),
    ("US", "1", "1", "011", "9"),
    ("DE", "49", "0", "00", "9"),
    ("DE", "49", "0", "00", "0"),  # German PBXs often take an outside line with 0
    ("SE", "46", "0", "00", "9"),
    ("RU", "7", "8", "810", "9"),
    ("FR", "33", "0", "00", "0"),
    ("AU", "61", "0", "0011", ""),  # libphonenumber also knows 0014, 0015, … (carrier selection): one IDD here
]

TYPES = [
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP,
    PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.UAN, PhoneNumberType.PAGER,
]
# Numbers abroad that every site dials and receives.
FOREIGN_REGIONS = ["GB", "US", "DE", "SE", "RU", "FR", "AU", "JP", "BR", "CN", "IN", "IT", "KZ", "CA", "IE", "NL"]
FOREIGN_NON_GEO = [800, 882]

WITHHELD = {"withheld", "anonymous", "private", "unknown", "restricted", "unavailable"}
SEPARATORS = set(" -.()")


def lib(text, region):
    """libphonenumber's E.164 for `text` dialled in `region`, or None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def possible_length(digits, region):
    """Whether `digits` has a possible length for a national number of `region`."""
    metadata = PhoneMetadata.metadata_for_region(region)
    return len(digits) in metadata.general_desc.possible_length


def drop_digits(text, count):
    """`text` without its first `count` digits (separators before them go too)."""
    index = 0
    while count > 0 and index < len(text):
        if text[index].isdigit():
            count -= 1
        index += 1
    return text[index:]


def expected(raw, plan, direction):
    region, _, _, _, tac = plan
    text = raw.split("@", 1)[0]                                   # rule 1
    text = text.strip(" \t")                                      # rule 2
    if not text:
        return "withheld"
    if text.lower() in WITHHELD:                                  # rule 3
        return "withheld"
    if text[0] in "*#":                                           # rule 4
        return "serviceCode"
    text = text.rstrip("#").rstrip(" \t")                         # rule 5
    body = text[1:] if text.startswith("+") else text             # rule 6
    if not body or any(not (c.isascii() and c.isdigit()) and c not in SEPARATORS for c in body):
        return "unusable"
    digits = "".join(c for c in body if c.isdigit())
    if direction == "O" and tac and not text.startswith("+") and digits.startswith(tac):   # rule 7
        result = lib(drop_digits(text, len(tac)), region)
        if result:
            return result
    return lib(text, region) or "unusable"


def examples(region):
    out = []
    for kind in TYPES:
        number = phonenumbers.example_number_for_type(region, kind)
        if number is not None:
            out.append((str(kind_name(kind)), number))
    return out


def kind_name(kind):
    for name in dir(PhoneNumberType):
        if name.isupper() and getattr(PhoneNumberType, name) == kind:
            return name.lower()
    return str(kind)


def rows_for(plan):
    region, cc, np, idd, tac = plan
    rows = []

    def add(direction, raw, case):
        rows.append((direction, raw, expected(raw, plan, direction), case))

    def both(raw, case):
        add("I", raw, case)
        add("O", raw, case)

    for kind, number in examples(region):
        nsn = phonenumbers.national_significant_number(number)
        national = np + nsn
        international = idd + cc + nsn
        plus = "+" + cc + nsn
        spaced_national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        spaced_plus = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        both(national, f"{kind} national")
        both(nsn, f"{kind} nsn only")
        both(international, f"{kind} via idd")
        both(plus, f"{kind} plus")
        both(spaced_national, f"{kind} national formatted")
        both(spaced_plus, f"{kind} plus formatted")
        if not possible_length(cc + nsn, region):
            both(cc + nsn, f"{kind} cc without plus")
        both("+" + cc + np + nsn, f"{kind} plus with national prefix")
        both(national.replace(nsn[-4:], "-" + nsn[-4:]) if len(nsn) > 4 else national, f"{kind} national dashed")
        both(f"({national[:4]}) {national[4:]}", f"{kind} parenthesised")
        both(".".join([national[:4], national[4:7], national[7:]]), f"{kind} dotted")
        add("O", national + "#", f"{kind} national trailing hash")
        add("O", international + " #", f"{kind} via idd trailing hash")
        add("O", national + "@192.0.2.10", f"{kind} national at host")
        add("O", plus + "@sip.example.com", f"{kind} plus at host")
        add("I", nsn + "@192.0.2.10", f"{kind} cli at host")
        add("I", international + "@203.0.113.5", f"{kind} idd cli at host")
        if tac:
            add("O", tac + national, f"{kind} tac national")
            add("O", tac + nsn, f"{kind} tac nsn")
            add("O", tac + international, f"{kind} tac via idd")
            add("O", tac + " " + spaced_national, f"{kind} tac formatted")
            add("O", tac + national + "#", f"{kind} tac national trailing hash")
            add("O", tac + national + "@192.0.2.10", f"{kind} tac national at host")
            add("I", tac + national, f"{kind} tac inbound is not stripped")
        # Not possible: too short and too long.
        add("O", national[:-2], f"{kind} national too short")
        add("O", national + "12345", f"{kind} national too long")
        add("I", plus[:-3], f"{kind} plus too short")
        add("I", plus + "1234567890", f"{kind} plus too long")

    foreign = []
    for other in FOREIGN_REGIONS:
        if other == region:
            continue
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(other, kind)
            if number is not None:
                foreign.append((f"{other} {kind_name(kind)}", number))
    for code in FOREIGN_NON_GEO:
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            foreign.append((f"+{code} non-geographic", number))
    for label, number in foreign:
        fcc = str(number.country_code)
        nsn = phonenumbers.national_significant_number(number)
        international = idd + fcc + nsn
        both(international, f"{label} via idd")
        both("+" + fcc + nsn, f"{label} plus")
        both(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL), f"{label} plus formatted")
        add("O", international + "#", f"{label} via idd trailing hash")
        add("O", international + "@192.0.2.10", f"{label} via idd at host")
        add("I", "+" + fcc + nsn + "@203.0.113.5", f"{label} plus at host")
        if tac:
            add("O", tac + international, f"{label} tac via idd")
        add("O", international[:-4], f"{label} via idd too short")

    # PBX markers, service codes and junk seen in real captures (smdr-format.md §8).
    for raw in ["", "   ", "anonymous@anonymous.invalid", "anonymous@192.0.2.1", "WITHHELD", "Withheld",
                "withheld", "anonymous", "Anonymous", "Private", "PRIVATE", "unknown", "Unavailable",
                "Restricted", "@192.0.2.10", " Withheld "]:
        both(raw, "withheld marker")
    for raw in ["*47", "#AA:Night AA", "*99*243#", "*", "#", "*17*0123#", "*67" + np + "1234567", " *47"]:
        both(raw, "service code")
    for raw in ["xfer", "VoiceMail", "Voice Mail", "?NAME", "NoUser", "Barred", "1", "12", "00901#",
                idd + "901", "0", idd, "+", "++44", "+44+1632", "9" * 30, "1234x", "12?34", "0800 FLOWERS",
                idd + "0", idd + "999" + "1234567", "+999 1234567", "+0", "+1", np]:
        both(raw, "junk")
    # Short numbers that may still be possible in some plans (libphonenumber decides).
    for raw in ["201", "2010", "12345", "123456", "1234567", "12345678", "123456789"]:
        both(raw, "short digits")
    return rows


def swift_source():
    lines = [
        "// Generated by scripts/number-fixtures.py from libphonenumber (Python phonenumbers "
        + phonenumbers.__version__ + "). Do not edit.",
        "",
        "extension NumberingPlan {",
        "    /// Every country calling code: the possible lengths of its national significant numbers",
        "    /// (local-only lengths excluded) and its national prefix (empty when it has none).",
        "    static let generatedCountries: [Country] = [",
    ]
    entries = []
    for cc in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[cc]
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(cc, regions[0])
        if metadata is None:
            continue
        lengths = [n for n in metadata.general_desc.possible_length if n > 0]
        if not lengths:
            continue
        prefix = metadata.national_prefix or ""
        assert prefix.isdigit() or prefix == "", (cc, prefix)
        entries.append(f'.init({cc}, {lengths}, "{prefix}")')
    line = "        "
    for entry in entries:
        piece = entry + ", "
        if len(line) + len(piece) > 118:
            lines.append(line.rstrip())
            line = "        "
        line += piece
    lines.append(line.rstrip())
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def tsv_source():
    header = ["region", "country_code", "national_prefix", "international_prefix", "trunk_access_code",
              "direction", "raw", "expected", "case"]
    out = ["\t".join(header)]
    seen = set()
    for plan in PLANS:
        region, cc, np, idd, tac = plan
        metadata = PhoneMetadata.metadata_for_region(region)
        assert str(metadata.country_code) == cc, plan
        for direction, raw, result, case in rows_for(plan):
            assert "\t" not in raw and "\n" not in raw, raw
            key = (plan, direction, raw)
            if key in seen:
                continue
            seen.add(key)
            out.append("\t".join([region, cc, np, idd, tac, direction, raw, result, case]))
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when a committed file differs")
    args = parser.parse_args()
    stale = False
    for path, text in ((TSV, tsv_source()), (SWIFT, swift_source())):
        if args.check:
            current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if current != text:
                print(f"out of date: {os.path.relpath(path, ROOT)}", file=sys.stderr)
                stale = True
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(f"wrote {os.path.relpath(path, ROOT)} ({text.count(chr(10))} lines)")
    sys.exit(1 if stale else 0)


if __name__ == "__main__":
    main()
