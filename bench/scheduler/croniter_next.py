"""The baseline a Python shop would write: croniter (Debian's python3-croniter) computing the next
fire of each cron expression in a file, timed in-process. No holidays: croniter has no calendar."""
import datetime, sys, time
from croniter import croniter

crons = [l.strip() for l in open(sys.argv[1]) if l.strip()]
now = datetime.datetime(2026, 11, 24, 8, 0)
times = []
for _ in range(3):
    t0 = time.perf_counter()
    for c in crons:
        croniter(c, now).get_next(datetime.datetime)
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print('{"schedules": %d, "croniter_next_ms_median": %.1f}' % (len(crons), times[1]))
