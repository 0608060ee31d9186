#!/usr/bin/env python3
"""What google-ads-dotnet's App.config reader (AppConfigUtilities.GetSection, see
library-config-spec.md section 2.2) reads, done with a real XML parser (expat through
xml.etree.ElementTree): the first GoogleAdsApi element under the root `configuration`,
every child element's `key` and `value` attributes (after XML attribute-value
normalisation), later duplicates win; comments are not elements.

For every file named on the command line prints one JSON line:
  {"settings": {key: value}, "declared": bool}   declared: the configSections declaration
                                                  of GoogleAdsApi as DictionarySectionHandler
  {"error": "syntax", "line": n}                 not well-formed XML
  {"error": "missing-attribute"}                 a child without key/value (the reader throws)
"""
import json
import sys
import xml.etree.ElementTree as ET

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(json.dumps({"error": "syntax", "line": e.position[0]}))
        continue
    out = {}
    error = None
    declared = False
    if root.tag == "configuration":
        for s in root.findall("configSections/section"):
            if s.get("name") == "GoogleAdsApi" and s.get("type") == "System.Configuration.DictionarySectionHandler":
                declared = True
        sec = root.find("GoogleAdsApi")
        if sec is not None:
            for child in sec:
                if not isinstance(child.tag, str):
                    continue
                if "key" not in child.attrib or "value" not in child.attrib:
                    error = "missing-attribute"
                    continue
                out[child.attrib["key"]] = child.attrib["value"]
    if error:
        print(json.dumps({"error": error}))
    else:
        print(json.dumps({"settings": out, "declared": declared}))
