"""Print one closing line for several pytest runs: "tests: N passed, N failed, N skipped".

scripts/test runs the suite once per database; each run writes a JUnit XML report, and
this adds them up so the whole run ends with a single plain total."""
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter("testsuite"):
        total = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        failed += bad
        skipped += skip
        passed += total - bad - skip
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
