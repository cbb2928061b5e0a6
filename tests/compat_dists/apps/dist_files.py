"""Print {distribution: [files it installed besides its .dist-info metadata]} as JSON."""
import json
import sys
from importlib.metadata import distribution

print(json.dumps({
    name: [str(f) for f in distribution(name).files or () if ".dist-info/" not in str(f)]
    for name in sys.argv[1:]
}))
