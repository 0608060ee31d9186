#!/usr/bin/env python3
"""What google-ads-dotnet reads from appsettings.json through
Microsoft.Extensions.Configuration.Json (LoadFromSettingsJson(path, "GoogleAdsApi")).

.NET itself is not available here, so this imitates dotnet/runtime's
JsonConfigurationFileParser on top of Python's real `json` parser:
  * JsonDocumentOptions { CommentHandling = Skip, AllowTrailingCommas = true }: `//` and
    `/* */` comments are removed and one trailing comma before `}` / `]` is dropped by a small
    tokenizer below (strings are left alone), then `json.loads` does the strict parsing
    (NaN/Infinity refused, as System.Text.Json refuses them);
  * the root must be an object;
  * leaves flatten to `a:b:0` paths in a case-insensitive dictionary; a repeated path throws
    FormatException;
  * a leaf's string is JsonElement.ToString(): string value, raw number text, "True"/"False",
    "" for null.
The section is GoogleAdsApi (case-insensitive); its direct children are printed.

Prints one JSON line per file: {"settings": {...}, "strict": bool} or {"error": "..."}.
`strict` tells whether plain strict `json.loads` accepts the file as it is.
"""
import json
import sys


def strip_jsonc(text):
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ValueError("unterminated comment")
            out.append(" ")
            i = j + 2
        else:
            out.append(c)
            i += 1
    s = "".join(out)
    # Drop one comma followed (after whitespace) by } or ], outside strings.
    res = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == '"':
            j = i + 1
            while j < n and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            res.append(s[i:j + 1])
            i = j + 1
            continue
        if c == ",":
            j = i + 1
            while j < n and s[j] in " \t\r\n":
                j += 1
            if j < n and s[j] in "}]":
                prev = "".join(res).rstrip()
                if prev.endswith(",") or prev.endswith("{") or prev.endswith("["):
                    raise ValueError("comma without a value")
                i += 1
                continue
        res.append(c)
        i += 1
    return "".join(res)


def refuse_constant(name):
    raise ValueError("invalid literal " + name)


def flatten(node, path, data):
    if isinstance(node, PairList):
        for k, v in node:
            flatten(v, k if not path else path + ":" + k, data)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            flatten(v, path + ":" + str(i), data)
    else:
        if node is True:
            s = "True"
        elif node is False:
            s = "False"
        elif node is None:
            s = ""
        elif isinstance(node, RawNumber):
            s = str(node)
        else:
            s = node
        low = path.lower()
        if low in data:
            raise ValueError("duplicate key " + path)
        data[low] = (path, s)


class PairList(list):
    pass


class RawNumber(str):
    pass


for path in sys.argv[1:]:
    raw = open(path, encoding="utf-8-sig").read()
    try:
        json.loads(raw, parse_constant=refuse_constant)
        strict = True
    except ValueError:
        strict = False
    try:
        doc = json.loads(
            strip_jsonc(raw),
            object_pairs_hook=PairList,
            parse_int=RawNumber,
            parse_float=RawNumber,
            parse_constant=refuse_constant,
        )
        if not isinstance(doc, PairList):
            raise ValueError("root is not an object")
        data = {}
        flatten(doc, "", data)
    except ValueError as e:
        print(json.dumps({"error": str(e)}))
        continue
    out = {}
    for low, (p, s) in data.items():
        if low.startswith("googleadsapi:"):
            rest = p[len("googleadsapi:"):]
            if ":" not in rest:
                out[rest] = s
    print(json.dumps({"settings": out, "strict": strict}))
