-- wrk script: GET /api/v1/contacts/{id} for random ids in [MINID, MAXID].
--
--   TOKEN=… MAXID=1000000 [MINID=1] [SEED=1] wrk -t2 -c8 -d30s --latency -s bench/get_by_id.lua http://127.0.0.1:PORT
--
-- done() prints how many answers were not 2xx/3xx (wrk counts them itself: a Lua response()
-- callback would make wrk hand every answer's headers and body to Lua, which costs the client
-- more CPU than the server spends on /healthz, on the same 2 cores) and a FAIL line if any.
-- The server answers 200 or an error here, never 3xx.

local token = os.getenv("TOKEN") or ""
local min_id = tonumber(os.getenv("MINID") or "1") or 1
local max_id = tonumber(os.getenv("MAXID") or "")
if not max_id then error("get_by_id.lua: set MAXID (the highest contact id)") end
local seed = tonumber(os.getenv("SEED") or "1") or 1

local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_id", thread_no)
end

function init(args)
  math.randomseed(seed * 1000 + 500 + (rawget(_G, "thread_id") or 0))
end

-- The request text around the id is formatted once: wrk.format walks the headers table on
-- every call, Lua work on the same 2 cores as the server (about 3 % of the machine's time).
local head, tail
function request()
  if not head then
    local text = wrk.format("GET", "/api/v1/contacts/{ID}", headers)
    local at = text:find("{ID}", 1, true)
    head, tail = text:sub(1, at - 1), text:sub(at + 4)
  end
  return head .. math.random(min_id, max_id) .. tail
end

function done(summary, latency, requests)
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format("get_by_id: ids %d..%d, %d responses, %d not 2xx/3xx, %d socket errors\n",
    min_id, max_id, summary.requests, e.status, sock))
  if e.status > 0 or sock > 0 or summary.requests == 0 then
    io.write("FAIL get_by_id: " .. e.status .. " not 2xx/3xx, " .. sock .. " socket errors, " ..
      summary.requests .. " responses\n")
  else
    io.write("OK get_by_id: all " .. summary.requests .. " answers were 2xx\n")
  end
end
