-- wrk script: PUT /orders with the AWS sample CreateOrder event, a new order id on every request.
-- Arguments after `--`: a run prefix (hex, up to 7 digits) and a mode, "new" (default) or "duplicate"
-- (one fixed event, the replay path). done() prints one `BENCH_JSON {...}` line for bench/__main__.py.
local threads, counter, prefix, mode, fixed = {}, 0, 0, "new", nil
local head = '{"version":"0","id":"evt-%s","detail-type":"CreateOrder","source":"ecommerce",'
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
  prefix = tonumber(args[1] or "0", 16)
  mode = args[2] or "new"
  if mode == "duplicate" then
    local id = string.format("%08x-0000-4000-8000-%012x", prefix, 0)
    fixed = wrk.format("PUT", nil, headers, string.format(head, id, id))
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local id = string.format("%08x-%04x-4000-8000-%012x", prefix, tid, counter)
  return wrk.format("PUT", nil, headers, string.format(head, id, id))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,'
      .. '"status":%d,"timeout":%d},"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
