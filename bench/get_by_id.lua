-- wrk script: GET /api/v1/contacts/{id} for random ids in [MINID, MAXID].
--
--   TOKEN=… MAXID=1000000 [MINID=1] [SEED=1] wrk -t2 -c8 -d30s --latency -s bench/get_by_id.lua http://127.0.0.1:PORT
--
-- done() prints the number of non-200 answers (and socket errors) and a FAIL line if any.
-- The request shown with a failure is the last one sent on that thread (exact with one
-- connection per thread).

local token = os.getenv("TOKEN") or ""
local min_id = tonumber(os.getenv("MINID") or "1") or 1
local max_id = tonumber(os.getenv("MAXID") or "")
if not max_id then error("get_by_id.lua: set MAXID (the highest contact id)") end
local seed = tonumber(os.getenv("SEED") or "1") or 1

local threads = {}
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_id", thread_no)
  table.insert(threads, thread)
end

local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
responses, non200 = 0, 0
first_bad, last_path = "", ""

function init(args)
  math.randomseed(seed * 1000 + 500 + (rawget(_G, "thread_id") or 0))
end

function request()
  last_path = "/api/v1/contacts/" .. math.random(min_id, max_id)
  return wrk.format("GET", last_path, headers)
end

function response(status, hdrs, body)
  responses = responses + 1
  if status ~= 200 then
    non200 = non200 + 1
    if first_bad == "" then
      first_bad = "HTTP " .. status .. " for (last sent) GET " .. last_path .. " -> " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local total_resp, total_non200 = 0, 0
  local bads = {}
  for _, t in ipairs(threads) do
    total_resp = total_resp + (t:get("responses") or 0)
    total_non200 = total_non200 + (t:get("non200") or 0)
    local fb = t:get("first_bad")
    if fb and fb ~= "" then bads[#bads + 1] = fb end
  end
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format("get_by_id: ids %d..%d, %d responses checked, %d non-200, %d socket errors\n",
    min_id, max_id, total_resp, total_non200, sock))
  for _, b in ipairs(bads) do io.write("get_by_id: first bad answer: " .. b .. "\n") end
  if total_non200 > 0 or sock > 0 or total_resp == 0 then
    io.write("FAIL get_by_id: " .. total_non200 .. " non-200, " .. sock .. " socket errors, " ..
      total_resp .. " responses\n")
  else
    io.write("OK get_by_id: all " .. total_resp .. " answers were 200\n")
  end
end
