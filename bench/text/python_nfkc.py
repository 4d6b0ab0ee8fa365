# The comparison for text_bench: Python's unicodedata.normalize('NFKC') on the same file, whole.
#   /usr/bin/python3 bench/text/python_nfkc.py [/tmp/jimu-text-bench.txt]
import sys
import time
import unicodedata

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/jimu-text-bench.txt"
with open(path, encoding="utf-8", newline="") as f:
    text = f.read()
start = time.perf_counter()
out = unicodedata.normalize("NFKC", text)
s = time.perf_counter() - start
size = len(text.encode("utf-8"))
print("python3 unicodedata NFKC     %7.3f s  %7.0f MB/s  (%d chars out)" % (s, size / 1e6 / s, len(out)))
