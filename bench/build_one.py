"""Run one `linkeddata` command in this process and print its wall time and peak memory as JSON.

    python bench/build_one.py build --store PATH street-crime --source FILE ...
"""

from __future__ import annotations

import json
import resource
import sys
import time

from linkeddata.cli import main

start = time.perf_counter()
status = main(sys.argv[1:])
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"status": status, "seconds": round(seconds, 2), "peak_mb": round(peak_mb)}))
sys.exit(status)
