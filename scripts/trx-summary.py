#!/usr/bin/env python3
"""Sums the trx files given as arguments: prints each skipped test with its reason, then "N passed, N failed, N skipped"."""
import sys
import xml.etree.ElementTree as ElementTree

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = 0
skipped = []
for path in sys.argv[1:]:
    root = ElementTree.parse(path).getroot()
    for result in root.iter(NS + "UnitTestResult"):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            message = result.find(f"{NS}Output/{NS}ErrorInfo/{NS}Message")
            reason = " ".join((message.text or "").split()) if message is not None else "no reason given"
            skipped.append((result.get("testName"), reason))
        else:
            failed += 1

for name, reason in skipped:
    print(f"Skipped {name}: {reason}")
print(f"{passed} passed, {failed} failed, {len(skipped)} skipped")
