#!/usr/bin/env python3
"""Product-extraction-benchmark scorecard: runs `lens-gpt extract` over the 140 pages and scores
price / availability / sku with the benchmark's rules (README.rst): price matched as a decimal,
availability defaulting to InStock, at most one predicted value, F1 over tp/fp/fn; a wrong
prediction counts as both a false positive and a false negative."""
import json
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

ATTRIBUTES = ["price", "availability", "sku"]
PEERS = ["Zyte", "Diffbot", "extruct"]


def as_decimal(value):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


def tp_fp_fn(true, pred, attribute):
    if attribute == "price":
        true = {as_decimal(x) for x in true}
        pred = as_decimal(pred) if pred is not None else None
    if pred is None:
        return (0, 0, 1 if true else 0)
    if pred in true:
        return (1, 0, 0)
    return (0, 1, 1 if true else 0)


def f1(counts):
    tp, fp, fn = (sum(c[i] for c in counts) for i in range(3))
    precision = 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))
    recall = 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return score, precision, recall


def two_way_availability(value):
    """Benchmark availability is InStock or OutOfStock; unknown means InStock."""
    return "OutOfStock" if value in ("OutOfStock", "SoldOut", "Discontinued") else "InStock"


def score(truth, predictions, attribute, errors=None):
    counts = []
    for key, gt in truth.items():
        pred = predictions.get(key, {}).get(attribute)
        counts.append(tp_fp_fn(set(gt.get(attribute, [])), pred, attribute))
        if errors is not None and (counts[-1][1] or counts[-1][2]):
            errors.append(f"  {attribute:12} {key[:12]} expected {sorted(gt.get(attribute, []))} got {pred!r}")
    return f1(counts)


def original_url(pywb_path):
    """pywb paths are /<collection>/<timestamp>/<original URL>; systems saw the page as that URL."""
    parts = pywb_path.split("/", 3)
    return parts[3] if len(parts) == 4 else None


def run_extract(binary, html_dir, keys, urls):
    ours = {}
    lines = []
    for key in keys:
        args = [binary, "extract", str(html_dir / f"{key}.html.gz")]
        if urls.get(key):
            args += ["--url", original_url(urls[key])]
        lines += subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
    for line in lines:
        record = json.loads(line)
        key = Path(record["file"]).name.split(".")[0]
        ours[key] = {
            "price": record.get("price"),
            "sku": record.get("sku"),
            "availability": two_way_availability(record.get("availability")),
            "method": record.get("method"),
        }
    return ours


def main():
    binary, peer = sys.argv[1], Path(sys.argv[2])
    show = "--show-errors" in sys.argv
    root = peer / "product-extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    urls = json.loads((root / "pywb-mapping.json").read_text(encoding="utf-8"))
    ours = run_extract(binary, root / "html", sorted(truth), urls)
    if len(ours) != len(truth):
        sys.exit(f"lens-gpt extract returned {len(ours)} records for {len(truth)} pages")
    peers = {name: json.loads((root / "output" / f"{name}.json").read_text(encoding="utf-8")) for name in PEERS}
    published = json.loads((root / "metrics.json").read_text(encoding="utf-8"))

    errors = [] if show else None
    print("product-extraction-benchmark scorecard (140 pages; F1, precision/recall in brackets)")
    header = f"  {'attribute':13}{'lens-gpt':>22}" + "".join(f"{name:>22}" for name in PEERS)
    print(header)
    for attribute in ATTRIBUTES:
        f, p, r = score(truth, ours, attribute, errors)
        cell = "%.3f (%.3f/%.3f)" % (f, p, r)
        row = f"  {attribute:13}{cell:>22}"
        for name in PEERS:
            pf = published[name][attribute]
            cell = "%.3f (%.3f/%.3f)" % (pf["f1"], pf["precision"], pf["recall"])
            row += f"{cell:>22}"
        print(row)
    methods = {}
    for record in ours.values():
        methods[record["method"]] = methods.get(record["method"], 0) + 1
    print("  price/record source: " + ", ".join(f"{k or 'none'} {v}" for k, v in sorted(methods.items(), key=lambda x: -x[1])))
    print("  (peer figures are the benchmark's published metrics.json)")
    if errors:
        print("\n".join(errors), file=sys.stderr)


if __name__ == "__main__":
    main()
