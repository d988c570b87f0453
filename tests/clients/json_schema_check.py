#!/usr/bin/env python3
"""Validates the hub's SDMX-JSON answers against the official SDMX-JSON schemas.

   json_schema_check.py HUB_URL SCHEMA_DIR

HUB_URL serves the demo feed; SCHEMA_DIR is ../shared/corpus/schemas/sdmx-json
(the SDMX TWG's own schemas, 1.0 and 2.0). Every request below is made with the
JSON media type of each version; each 200 answer must validate against that
version's data or structure schema. Prints one line per answer; exits 1 when
any answer is invalid (with the first errors of each), 0 when all are valid.
"""
import json
import sys
import urllib.error
import urllib.request

import jsonschema

DATA = {
    "1.0": "application/vnd.sdmx.data+json;version=1.0.0",
    "2.0": "application/vnd.sdmx.data+json;version=2.0.0",
}
STRUCTURE = {
    "1.0": "application/vnd.sdmx.structure+json;version=1.0.0",
    "2.0": "application/vnd.sdmx.structure+json;version=2.0.0",
}
KEY = "A.G.SH_STA_MORT.404._T._T._T"

# Data queries of both REST versions, with the parameters that change the
# shape of a message: detail levels, cross-sections, flat observations,
# history (several datasets, actions, validity), paging.
DATA_PATHS = [
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}",
    "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT+SH_DYN_MORT..._T._T",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?detail=dataonly",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?detail=serieskeysonly",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?detail=nodata",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?includeHistory=true",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?updatedAfter=2000-01-01T00:00:00Z",
    f"/sdmx/v1/data/DF_DEMO_SDG/{KEY}?lastNObservations=2",
    "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.._T._T._T?dimensionAtObservation=REF_AREA&startPeriod=2019",
    "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.._T._T._T?dimensionAtObservation=AllDimensions&startPeriod=2020",
    f"/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/{KEY}",
    "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/A.G.SH_STA_MORT?c[TIME_PERIOD]=ge:2021&limit=50",
    f"/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/{KEY}?attributes=none&measures=all",
    f"/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/{KEY}?includeHistory=true",
]
STRUCTURE_PATHS = [
    "/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=descendants",
    "/sdmx/v1/datastructure/all/all/latest?references=children",
    "/sdmx/v1/codelist/SDMXHUB/CL_SEX",
    "/sdmx/v1/codelist/all?detail=allstubs",
    "/sdmx/v1/conceptscheme/all",
    "/sdmx/v1/agencyscheme/all",
    "/sdmx/v1/hierarchicalcodelist/all",
    "/sdmx/v1/categoryscheme/all",
    "/sdmx/v1/categorisation/all",
    "/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=parentsandsiblings",
    "/sdmx/v2/structure/hierarchy/*/*/*",
    "/sdmx/v1/dataproviderscheme/all",
    "/sdmx/v1/provisionagreement/all",
    "/sdmx/v1/contentconstraint/all",
    "/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT....?references=all",
    "/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT....",
    "/sdmx/v2/structure/dataflow/*/*/*?references=all",
    "/sdmx/v2/structure/codelist/SDMXHUB/CL_AREA/~?detail=referencepartial",
    "/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/A.G.SH_STA_MORT",
    "/sdmx/v1/metadatastructure/all?references=children",
    "/sdmx/v1/metadataflow/all?references=all",
    "/sdmx/v2/structure/metadataflow/*/*/*?references=children",
    "/sdmx/v1/dataconsumerscheme/all",
    "/sdmx/v1/organisationunitscheme/all",
    "/sdmx/v1/organisationscheme/all?detail=allcompletestubs",
]


def fetch(url, accept):
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def main():
    base, schema_dir = sys.argv[1], sys.argv[2]
    validators = {}
    for version in ("1.0", "2.0"):
        for kind in ("data", "structure"):
            with open(f"{schema_dir}/{version}/sdmx-json-{kind}-schema.json", encoding="utf-8") as f:
                schema = json.load(f)
            cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
            validators[(version, kind)] = cls(schema)
    failed = checked = 0
    for kind, paths, types in (("data", DATA_PATHS, DATA), ("structure", STRUCTURE_PATHS, STRUCTURE)):
        for path in paths:
            for version, accept in types.items():
                status, ctype, body = fetch(base + path, accept)
                if status == 406 or status == 204:  # this version cannot say it (e.g. JSON 1.0 over two flows)
                    print(f"skip {status} {version} {path}")
                    continue
                if status != 200:
                    print(f"FAIL {status} {version} {path}: {body[:300]!r}")
                    failed += 1
                    continue
                checked += 1
                doc = json.loads(body)
                errors = sorted(validators[(version, kind)].iter_errors(doc), key=lambda e: list(e.absolute_path))
                if errors:
                    failed += 1
                    print(f"INVALID {version} {path} ({ctype}): {len(errors)} errors")
                    for e in errors[:5]:
                        where = "/".join(str(p) for p in e.absolute_path)
                        print(f"    at /{where}: {e.message[:300]}")
                else:
                    print(f"ok {version} {path}")
    print(f"{checked} answers checked, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
