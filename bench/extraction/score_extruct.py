#!/usr/bin/env python3
"""extruct-fixture scorecard: `lens-gpt extract --structured-data` against extruct's expected
output, compared by meaning: extruct's {type, properties} microdata shape and its OpenGraph
namespace lists are rewritten into ours, types compared without the schema.org prefix,
whitespace collapsed, relative URLs resolved when the case names a base URL."""
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin


def bare(t):
    return re.sub(r"^https?://(www\.)?schema\.org/", "", t)


def text(value, base):
    value = re.sub(r"\s+", " ", value).strip()
    if base and not re.match(r"^[a-z]+:", value) and re.match(r"^[\w./#?-]+\.\w+$|^/", value):
        value = urljoin(base, value)
    return value


def canonical(value, base):
    """One shape for both sides: plain dicts and lists, bare types, tidy strings."""
    if isinstance(value, list):
        items = [canonical(v, base) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        if "properties" in value and ("type" in value or "id" in value):  # extruct's microdata item
            out = {}
            if "type" in value:
                out["@type"] = value["type"]
            if "id" in value:
                out["@id"] = value["id"]
            out.update(value["properties"])
            value = out
        out = {}
        for key, item in value.items():
            if key in ("@context", "_nodeId_", "value") and key != "@type":
                if key == "value" and not isinstance(item, (dict, list)):
                    out[key] = canonical(item, base)
                continue
            if key == "@type":
                types = item if isinstance(item, list) else [item]
                out[key] = [bare(t) for t in types] if len(types) > 1 else bare(types[0])
            else:
                out[key] = canonical(item, base)
        return out
    if isinstance(value, str):
        return text(value, base)
    return value


def opengraph_pairs(expected):
    namespaces, pairs = set(), []
    for block in expected:
        namespaces |= set(block.get("namespace", {}).keys())
        pairs += [tuple(p) for p in block.get("properties", [])]
    return namespaces | {"og"}, pairs


def flat_opengraph(pairs):
    out = {}
    for key, value in pairs:
        key = "@type" if key == "og:type" else key
        if key in out:
            out[key] = out[key] if isinstance(out[key], list) else [out[key]]
            out[key].append(value)
        else:
            out[key] = value
    return out


def compare(kind, ours, expected, base):
    if kind == "json-ld":
        return canonical(ours["json-ld"], None) == canonical(expected, None)
    if kind == "microdata":
        if isinstance(expected, dict) and "microdata" in expected:
            expected = expected["microdata"]
        return canonical(ours["microdata"], base) == canonical(expected, base)
    if kind == "opengraph":
        if isinstance(expected, list) and expected and "namespace" not in expected[0]:  # flat form
            mine = [tuple(p) for p in ours["opengraph"] if p[0].split(":")[0] == "og" or p[0].startswith("article:")]
            flat = flat_opengraph(mine)
            want = {k: v for k, v in expected[0].items() if k != "@context"}
            return canonical(flat, None) == canonical(want, None)
        namespaces, pairs = opengraph_pairs(expected)
        mine = [tuple(p) for p in ours["opengraph"] if p[0].split(":")[0] in namespaces]
        return [tuple(text(x, None) for x in p) for p in mine] == [tuple(text(x, None) for x in p) for p in pairs]
    raise ValueError(kind)


def main():
    binary, peer = sys.argv[1], Path(sys.argv[2])
    show = "--show-failures" in sys.argv
    root = peer / "extruct"
    manifest = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))
    results = {"json-ld": [], "microdata": [], "opengraph": []}
    skipped = []
    for case in manifest["cases"]:
        syntax = case["syntax"]
        expected = json.loads((root / case["expected"]).read_text(encoding="utf-8"))
        run = subprocess.run([binary, "extract", "--structured-data", str(root / case["html"])],
                             capture_output=True, text=True)
        ours = json.loads(run.stdout)
        base = case.get("options", {}).get("base_url")
        if syntax.startswith("all"):
            checks = [(k, expected[k]) for k in ("json-ld", "microdata", "opengraph") if k in expected]
        elif syntax in results:
            checks = [(syntax, expected)]
        else:
            skipped.append(f"{case['expected']} ({syntax})")
            continue
        for kind, want in checks:
            ok = compare(kind, ours, want, base)
            results[kind].append(ok)
            if show and not ok:
                print(f"  DISAGREE {kind} {case['expected']}", file=sys.stderr)
    print("extruct fixture scorecard (agreement by meaning)")
    for kind, oks in results.items():
        print(f"  {kind:10} {sum(oks)}/{len(oks)} cases agree")
    total = sum(sum(v) for v in results.values()), sum(len(v) for v in results.values())
    print(f"  all        {total[0]}/{total[1]}")
    for name in skipped:
        print(f"  not compared: {name}: RDFa is not one of the readers")


if __name__ == "__main__":
    main()
