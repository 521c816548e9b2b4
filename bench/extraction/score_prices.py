#!/usr/bin/env python3
"""Price-parser scorecard: runs `lens-gpt price` over price-parser's cases, amounts compared as decimals."""
import json
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path


def as_decimal(text):
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return ("not a decimal", text)


def run_price(binary, texts, separator):
    """One process per decimal-separator hint; texts go one per line on stdin."""
    args = [binary, "price"]
    if separator is not None:
        args += ["--decimal-separator", separator]
    stdin = "".join(t.replace("\n", " ") + "\n" for t in texts)
    out = subprocess.run(args, input=stdin, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    if len(lines) != len(texts):
        sys.exit(f"lens-gpt price printed {len(lines)} lines for {len(texts)} texts")
    return [json.loads(line) for line in lines]


def score(binary, cases, show_failures, label):
    by_separator = defaultdict(list)
    for index, case in enumerate(cases):
        by_separator[case.get("decimal_separator")].append(index)
    results = [None] * len(cases)
    for separator, indices in by_separator.items():
        outputs = run_price(binary, [cases[i]["price_raw"] or "" for i in indices], separator)
        for i, output in zip(indices, outputs):
            results[i] = output
    passed = []
    for case, output in zip(cases, results):
        ok = as_decimal(output["amount"]) == as_decimal(case["amount"])
        passed.append(ok)
        if not ok and show_failures:
            print(f"  FAIL {label}: {case['price_raw']!r} sep={case.get('decimal_separator')!r} "
                  f"expected {case['amount']} got {output['amount']}", file=sys.stderr)
    return passed


def main():
    binary, peer = sys.argv[1], Path(sys.argv[2])
    show = "--show-failures" in sys.argv
    root = peer / "price-parser"
    cases = json.loads((root / "price_parsing_cases.json").read_text(encoding="utf-8"))
    passed = score(binary, cases, show, "case")
    upstream_ok = [p for p, c in zip(passed, cases) if not c["expected_to_fail_upstream"]]
    upstream_xfail = [p for p, c in zip(passed, cases) if c["expected_to_fail_upstream"]]
    separator_cases = json.loads((root / "decimal_separator_cases.json").read_text(encoding="utf-8"))
    separator_passed = score(binary, separator_cases, show, "separator case")
    print("price-parser scorecard (amount equal as a decimal)")
    print(f"  cases upstream passes:   {sum(upstream_ok)}/{len(upstream_ok)}  (upstream: {len(upstream_ok)}/{len(upstream_ok)})")
    print(f"  cases upstream fails:    {sum(upstream_xfail)}/{len(upstream_xfail)}  (upstream: 0/{len(upstream_xfail)})")
    print(f"  all Example cases:       {sum(passed)}/{len(passed)}  (upstream: {len(upstream_ok)}/{len(passed)})")
    print(f"  decimal-separator cases: {sum(separator_passed)}/{len(separator_passed)}")


if __name__ == "__main__":
    main()
