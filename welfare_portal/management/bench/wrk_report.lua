-- wrk script of `manage.py bench`: counts every answer that is not 2xx and prints one line the
-- command parses. wrk's own "Non-2xx or 3xx responses" leaves redirects out; this counts them.
-- The response callback costs wrk a little per answer, nothing next to a Django page.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "bench-result requests=%d duration_us=%d p50_us=%d p95_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), failed,
    errors.connect, errors.read, errors.write, errors.timeout))
end
