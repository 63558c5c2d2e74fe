-- wrk script of bench/mcp-load.sh. Of the first BENCH_CONNECTIONS lines of BENCH_TOKENS (one MCP connection each),
-- thread N of BENCH_WRK_THREADS takes lines N, N + threads, N + 2 * threads, ... and sends those tokens in turn, so
-- the run uses as many MCP connections as HTTP connections.
-- Every request posts the body in BENCH_BODY; an answer counts as good only with status 200 and exactly the
-- length of BENCH_EXPECTED (the answer recorded before the run), so refusals and errors cannot pass as load.
-- done() prints one RESULT line with the figures.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local function read_file(path)
  local file = assert(io.open(path, "rb"), "cannot read " .. tostring(path))
  local content = file:read("*a")
  file:close()
  return content
end

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["MCP-Protocol-Version"] = "2025-11-25",
  }
  local body = read_file(os.getenv("BENCH_BODY"))
  local thread_count = tonumber(os.getenv("BENCH_WRK_THREADS"))
  local connections = tonumber(os.getenv("BENCH_CONNECTIONS"))
  prepared = {}
  local token_file = os.getenv("BENCH_TOKENS")
  if token_file and token_file ~= "" then
    local line = 0
    for token in io.lines(token_file) do
      line = line + 1
      if line <= connections and (line - 1) % thread_count == id - 1 then
        headers["Authorization"] = "Bearer " .. token
        table.insert(prepared, wrk.format("POST", "/mcp", headers, body))
      end
    end
    assert(#prepared > 0, "no token for thread " .. id .. " of " .. thread_count .. " in " .. token_file)
  else
    table.insert(prepared, wrk.format("POST", "/mcp", headers, body))
  end
  turn = 0
  expected = #read_file(os.getenv("BENCH_EXPECTED"))
  bad = 0
  first_bad = ""
end

function request()
  turn = turn % #prepared + 1
  return prepared[turn]
end

function response(status, headers, body)
  if status ~= 200 or #body ~= expected then
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.sub(body, 1, 200) end
  end
end

function done(summary, latency, requests)
  local bad_total, sample = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if sample == "" then sample = thread:get("first_bad") end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50=%.2f p99=%.2f max=%.2f bad=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad_total,
    errors.connect + errors.read + errors.write + errors.timeout))
  if sample ~= "" then io.write("first bad answer: " .. sample .. "\n") end
end
