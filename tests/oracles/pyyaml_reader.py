#!/usr/bin/env python3
"""Read google-ads.yaml files as google-ads-python does and print one JSON line per file.

Usage: pyyaml_reader.py yaml|lib FILE...
  yaml: yaml.safe_load(open(f, "rb").read()) or {}   (the library's own load step)
  lib:  google.ads.googleads.config.load_from_yaml_file(f)  (parse + validation steps)
Each value is printed typed: {"t": "null"|"bool"|"int"|"float"|"str"|"json", "v": ...};
ints as decimal strings (Python ints are unbounded), floats as repr().
On failure: {"error": "<type>: <message>", "lines": [problem line, context line]}.
"""
import json
import math
import sys

import yaml


def plain(v):
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {py_key(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (str, bool, int)) or v is None:
        return v
    return str(v)


def py_key(k):
    # json.dumps' key conversion.
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    return str(k)


def enc(v):
    if v is None:
        return {"t": "null"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": repr(v)}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, (dict, list)):
        return {"t": "json", "v": plain(v)}
    return {"t": "str", "v": str(v)}


def error_lines(e):
    """1-based lines of the error's problem and context marks (either is a fair place)."""
    marks = [getattr(e, a, None) for a in ("problem_mark", "context_mark")]
    return [m.line + 1 for m in marks if m is not None]


def main():
    mode = sys.argv[1]
    if mode == "lib":
        import logging
        logging.disable(logging.CRITICAL)
        from google.ads.googleads import config
    for path in sys.argv[2:]:
        try:
            if mode == "lib":
                data = config.load_from_yaml_file(path)
            else:
                with open(path, "rb") as f:
                    data = yaml.safe_load(f.read()) or {}
            if not isinstance(data, dict):
                raise TypeError("top level is a %s, not a mapping" % type(data).__name__)
            out = {"ok": {py_key(k): enc(v) for k, v in data.items()}}
        except Exception as e:  # the library's failure, whatever its type
            out = {"error": "%s: %s" % (type(e).__name__, e), "lines": error_lines(e)}
        sys.stdout.write(json.dumps(out, ensure_ascii=True) + "\n")


main()
