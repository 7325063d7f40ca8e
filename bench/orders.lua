-- wrk script: PUT /orders with the AWS sample CreateOrder event, a new order on every request.
-- Arguments after `--`: a mode, then its input.
--   random FILE SKIP  (the default) each request takes the next line of FILE, made up front by
--                     bench/ids.py: a random UUIDv4 event id and a random UUIDv4 order id, as real
--                     producers send; the first SKIP lines are left out (the warm-up used them).
--   increasing PREFIX order ids that increase (hex run prefix, thread, counter): every insert lands at
--                     the end of a B-tree, the easy case, kept as a labelled extra row.
--   duplicate PREFIX  one fixed event, the replay path.
-- done() prints one `BENCH_JSON {...}` line for bench/load.py; `ids_reused` counts requests that ran
-- past the end of FILE and so repeated an id (bench/load.py refuses such a run).
local threads, counter, prefix, mode, fixed, ids, reused = {}, 0, 0, "random", nil, {}, 0
local head = '{"version":"0","id":"%s","detail-type":"CreateOrder","source":"ecommerce",'
  .. '"account":"123456789012","region":"us-east-1","resources":[],"detail":{"order_id":"%s",'
  .. '"create_date":"2020-06-02T13:01:00Z","items":[{"product_id":"b8575571-5e91-4521-8a29-4af4a8aaa6f6",'
  .. '"quantity":1,"price":"9.99","currency":"CAD"}],"customer":{"customer_id":"5d22899e-3ff5-4ce0-a2a3-480cfce39a56"},'
  .. '"payment":{"payment_id":"fb563473-bef4-4965-ad78-e37c6c9c0c2a"},"delivery_address":{"street":"510 W Georgia St",'
  .. '"city":"Vancouver","state":"BC","country":"Canada","zip_code":"V6B0M7"}}}'
local headers = {["Content-Type"] = "application/json"}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  mode = args[1] or "random"
  if mode == "random" then
    local skip, n = tonumber(args[3] or "0"), 0
    for line in io.lines(args[2]) do
      n = n + 1
      if n > skip then ids[#ids + 1] = line end
    end
    return
  end
  prefix = tonumber(args[2] or "0", 16)
  if mode == "duplicate" then
    local id = string.format("%08x-0000-4000-8000-%012x", prefix, 0)
    fixed = wrk.format("PUT", nil, headers, string.format(head, "evt-" .. id, id))
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  if mode == "random" then
    if counter > #ids then reused = reused + 1 end
    local line = ids[(counter - 1) % #ids + 1]
    return wrk.format("PUT", nil, headers, string.format(head, line:sub(1, 36), line:sub(38, 73)))
  end
  local id = string.format("%08x-%04x-4000-8000-%012x", prefix, tid, counter)
  return wrk.format("PUT", nil, headers, string.format(head, "evt-" .. id, id))
end

function done(summary, latency, requests)
  local e = summary.errors
  local used = 0
  for _, thread in ipairs(threads) do used = used + (thread:get("reused") or 0) end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"ids_reused":%d,"errors":{"connect":%d,"read":%d,"write":%d,'
      .. '"status":%d,"timeout":%d},"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, used, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
