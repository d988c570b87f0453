#!/usr/bin/env python3
"""sdmx1 (the Python SDMX client, from PyPI) reading the hub unchanged.

   sdmx1_read.py HUB_URL KEY EXPECTED_INITIAL EXPECTED_LATEST

EXPECTED_* hold "PERIOD|VALUE" lines of series KEY: as first submitted and
after the revision. The current data, read as SDMX-ML and as SDMX-JSON 1.0,
must equal EXPECTED_LATEST; includeHistory=True (as sdmx1 spells it) must give
the dissemination datasets, the first equal to EXPECTED_INITIAL; the dataflow
and its structure must resolve. Exits 1 naming what differs.
"""
import sys

import sdmx


def rows(series):
    """PERIOD|VALUE lines of a pandas Series indexed by dimension tuples."""
    out = set()
    for idx, value in series.items():
        period = next(p for p in idx if p[:1].isdigit())
        out.add(f"{period}|{value:.10g}")
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip()}


def main():
    url, key, initial_path, latest_path = sys.argv[1:5]
    initial, latest = read(initial_path), read(latest_path)
    failed = False
    for fmt in ("XML", "JSON"):
        sdmx.add_source({"id": "HUB_" + fmt, "url": url + "/sdmx/v1", "name": "SDMX Hub",
                         "data_content_type": fmt}, override=True)
        client = sdmx.Client("HUB_" + fmt)
        got = rows(sdmx.to_pandas(client.data("DF_DEMO_SDG", key=key)))
        if got != latest:
            print(f"{fmt}: current data differs: missing {sorted(latest - got)}, extra {sorted(got - latest)}")
            failed = True
        history = client.data("DF_DEMO_SDG", key=key, params={"includeHistory": True})
        if len(history.data) < 2:
            print(f"{fmt}: includeHistory=True gave {len(history.data)} datasets, expected the first load and the revision")
            failed = True
        else:
            first = rows(sdmx.to_pandas(history.data[0]))
            if first != initial:
                print(f"{fmt}: first dissemination differs from the submitted file: {sorted(first ^ initial)}")
                failed = True
        print(f"{fmt}: {len(got)} observations, {len(history.data)} datasets with history")
    msg = sdmx.Client("HUB_XML").dataflow("DF_DEMO_SDG", agency_id="SDMXHUB")
    if "DF_DEMO_SDG" not in msg.dataflow or "DEMO_SDG" not in msg.structure or "CL_AREA" not in msg.codelist:
        print(f"dataflow query: got {list(msg.dataflow)} {list(msg.structure)} {list(msg.codelist)[:5]}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
