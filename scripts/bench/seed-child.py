"""Times one of the seeds' own handlers (../shared/perf/seed_handlers.py) the way
handler-timing-child.mjs times ours: cold = import + first call in a fresh process; warm = `calls`
more calls after it. Prints one line: BENCH_RESULT {"importMs","firstMs","coldMs","warmMs","warmCpuMs","maxRssMb"}.
  python3 seed-child.py <perf dir> <handler name> <event json> <calls>
"""
import json
import sys
import time


def max_rss_mb():
    # VmHWM: this process's own peak (ru_maxrss would carry the spawning process's over execve).
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


perf_dir, handler_name, event_json, calls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
event = json.loads(event_json)
sys.path.insert(0, perf_dir)
started = time.perf_counter()
import seed_handlers  # noqa: E402  (its import is part of the cold start, as on Lambda)

handler = getattr(seed_handlers, handler_name)
imported = time.perf_counter()
handler(event, None)
first_done = time.perf_counter()
first_rss = max_rss_mb()
warm = []
cpu_before = time.process_time()
for _ in range(calls):
    begun = time.perf_counter()
    handler(event, None)
    warm.append((time.perf_counter() - begun) * 1000)
print('BENCH_RESULT ' + json.dumps({
    'importMs': (imported - started) * 1000,
    'firstMs': (first_done - imported) * 1000,
    'coldMs': (first_done - started) * 1000,
    'warmMs': warm,
    'warmCpuMs': (time.process_time() - cpu_before) * 1000 / calls if calls else None,
    'maxRssMb': first_rss,
}), flush=True)
