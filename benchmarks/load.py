"""A small load generator: threads, each with its own connection, for a number of seconds."""

import http.client
import statistics
import threading
import time
import urllib.parse


def load(base, seconds, connections, send, expected, latencies, errors):
    """Call `send(connection)` from `connections` threads for `seconds`.

    Each request answered with the status `expected` adds its latency to `latencies`; any
    other answer or a failure adds to `errors`.
    """
    url = urllib.parse.urlsplit(base)
    stop = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                # Sync workers close the connection after each answer; http.client reopens it.
                send(connection)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                continue
            if response.status == expected:
                latencies.append(time.perf_counter() - start)
            else:
                errors.append(f"HTTP {response.status}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def p50_p99(latencies):
    """Return the median and the 99th percentile of `latencies`, in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return cuts[49] * 1000, cuts[98] * 1000
