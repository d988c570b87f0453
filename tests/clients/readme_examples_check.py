#!/usr/bin/env python3
"""Runs the curl examples of the README against a hub and checks what their comments say.

   readme_examples_check.py README.md HUB_URL

The examples are the `curl` lines of the README's first shell block after
"Example queries"; http://127.0.0.1:8080 is replaced by HUB_URL. Every one must
answer 200 with a body; the ones whose comment makes a claim are checked for it.
Exits 1 naming each example that fails.
"""
import csv
import io
import json
import re
import shlex
import sys
import urllib.request

DEFAULT = "http://127.0.0.1:8080"


def examples(readme):
    text = open(readme, encoding="utf-8").read()
    block = text[text.index("Example\nqueries") if "Example\nqueries" in text else text.index("Example queries"):]
    block = block[block.index("```sh") + 5:]
    block = block[:block.index("```")]
    out = []
    for line in block.splitlines():
        if not line.startswith("curl "):
            continue
        command, _, comment = line.partition("  #")
        words = shlex.split(command)
        headers, url = {}, None
        for i, w in enumerate(words):
            if w == "-H":
                k, _, v = words[i + 1].partition(":")
                headers[k.strip()] = v.strip()
            elif w.startswith("http"):
                url = w
        out.append((url, headers, comment.strip(), "-N" in words))
    return out


def get(url, headers, stream=False):
    req = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read(4096) if stream else r.read()
        return r.status, body.decode("utf-8", "replace")


def csv_rows(body):
    return list(csv.DictReader(io.StringIO(body)))


def main():
    readme, base = sys.argv[1], sys.argv[2].rstrip("/")
    failed = 0
    found = examples(readme)
    if len(found) < 10:
        print(f"only {len(found)} examples found in {readme}")
        return 1
    for url, headers, comment, stream in found:
        url = url.replace(DEFAULT, base)
        try:
            status, body = get(url, headers, stream)
        except Exception as e:  # an HTTP error status or a dead hub
            print(f"FAIL {url}: {e}")
            failed += 1
            continue
        problem = None
        if status != 200 or not body.strip():
            problem = f"status {status}, {len(body)} bytes"
        elif "before WHO's revision" in comment:
            now = get(re.sub(r"&?at=\d+", "", url), headers)[1]
            if csv_rows(now) == csv_rows(body):
                problem = "the data at=2 equals the current data: WHO's revision did not change this series"
        elif "every revision" in comment:
            doc = json.loads(body)
            text = json.dumps(doc)
            if "WHO" not in text or "UNSD" not in text:
                problem = "the history does not show both UNSD's first values and WHO's revision"
        elif "one dataset per revision" in comment:
            if body.count("<message:DataSet") < 2:
                problem = f"{body.count('<message:DataSet')} dataset(s): no revision shown"
        elif "2020 on" in comment:
            periods = re.findall(r'TIME_PERIOD="(\d{4})', body)
            everything = get(url.split("?")[0], headers)[1]
            if not periods or min(periods) < "2020":
                problem = f"periods {sorted(set(periods))[:5]}... before 2020"
            elif len(periods) >= len(re.findall(r'TIME_PERIOD="', everything)):
                problem = "the filter left out nothing"
        if problem:
            print(f"FAIL {url}  # {comment}: {problem}")
            failed += 1
        else:
            print(f"ok   {url}")
    print(f"{len(found)} README examples, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
