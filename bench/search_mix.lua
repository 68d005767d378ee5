-- wrk script: a mix of contact searches against GET /api/v1/contacts.
--
--   TOKEN=… [SAMPLES=file] wrk -t2 -c8 -d30s --latency -s bench/search_mix.lua http://127.0.0.1:PORT
--
-- Mix (weights out of 100):
--   35 name prefix      q=<2–4 first letters of a first or last name>
--   25 phone digits     q=<4–7 consecutive digits of a generated number>
--   10 tag filter       tag=vip
--   15 tag + name       tag=<common tag>&q=<name prefix>
--   15 sorted page      sort=name&limit=50
-- SAMPLES: file written by `gen_contacts.mjs --sample-out` (lines "phone DIGITS",
-- "first NAME", "last NAME"); without it, built-in common names and area-code-like digits.
-- KINDS: comma list restricting the mix (e.g. KINDS=phone), to time one kind alone.
-- SEED: seeds math.random (per thread: SEED + thread number), default 1.
-- done() prints how many answers were not 200 or had no "total", and a FAIL line if any
-- (or if wrk saw socket errors). The request shown with a failure is the last one sent on
-- that thread: exact when each thread has one connection (-t N -c N), a hint otherwise.

local token = os.getenv("TOKEN") or ""
local samples_file = os.getenv("SAMPLES")
local seed = tonumber(os.getenv("SEED") or "1") or 1

local first_names = { "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
  "Linda", "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
  "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Daniel", "Matthew", "Anthony",
  "José", "Zoë", "Łukasz", "Chloé" }
local last_names = { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
  "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
  "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Müller", "Nowak", "Pérez" }
local phones = {}
local area_codes = { "212", "213", "214", "305", "310", "312", "404", "415", "512", "617",
  "646", "702", "713", "718", "805", "818", "917", "949" }
local tags = { "lead", "customer", "prospect", "follow-up", "newsletter", "callback", "vip" }

if samples_file and samples_file ~= "" then
  local f = io.open(samples_file, "r")
  if not f then error("search_mix.lua: cannot open SAMPLES file " .. samples_file) end
  local fn, ln = {}, {}
  for line in f:lines() do
    local kind, value = line:match("^(%a+) (.+)$")
    if kind == "phone" then phones[#phones + 1] = value
    elseif kind == "first" then fn[#fn + 1] = value
    elseif kind == "last" then ln[#ln + 1] = value end
  end
  f:close()
  if #fn > 0 then first_names = fn end
  if #ln > 0 then last_names = ln end
end

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- First n UTF-8 characters of s (names have accents: "Zoë" → "Zo", "Zoë").
local function utf8_prefix(s, n)
  local out, count = {}, 0
  for ch in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do
    if count == n then break end
    out[#out + 1] = ch
    count = count + 1
  end
  return table.concat(out)
end

local function pick(t) return t[math.random(#t)] end

local function name_prefix()
  local name = math.random() < 0.5 and pick(first_names) or pick(last_names)
  return utf8_prefix(name, math.random(2, 4))
end

local function phone_digits()
  local n = math.random(4, 7)
  if #phones == 0 then
    -- area code + start of an exchange
    local s = pick(area_codes)
    for _ = 4, n do s = s .. tostring(math.random(0, 9)) end
    return s
  end
  local d = pick(phones)
  if #d < n then return d end
  local start = math.random(1, #d - n + 1)
  return d:sub(start, start + n - 1)
end

local kinds = { "name", "phone", "tag", "tag_name", "sorted" }
counts = { name = 0, phone = 0, tag = 0, tag_name = 0, sorted = 0 } -- global: read by done()

-- KINDS=name,phone,… restricts the mix to those kinds (same relative weights).
local weights = { name = 35, phone = 25, tag = 10, tag_name = 15, sorted = 15 }
local only = os.getenv("KINDS")
local cumulative, weight_sum = {}, 0
for _, k in ipairs({ "name", "phone", "tag", "tag_name", "sorted" }) do
  if not only or only == "" or ("," .. only .. ","):find("," .. k .. ",", 1, true) then
    weight_sum = weight_sum + weights[k]
    cumulative[#cumulative + 1] = { k, weight_sum }
  end
end
if weight_sum == 0 then error("search_mix.lua: KINDS=" .. only .. " names no kind (name, phone, tag, tag_name, sorted)") end

local function next_path()
  local x, kind = math.random() * weight_sum, nil
  for _, c in ipairs(cumulative) do
    if x < c[2] then kind = c[1]; break end
  end
  kind = kind or cumulative[#cumulative][1]
  -- map the kind back onto the fixed 1..100 ranges below
  local r = ({ name = 1, phone = 36, tag = 61, tag_name = 71, sorted = 86 })[kind]
  if r <= 35 then
    counts.name = counts.name + 1
    return "/api/v1/contacts?q=" .. urlencode(name_prefix())
  elseif r <= 60 then
    counts.phone = counts.phone + 1
    return "/api/v1/contacts?q=" .. phone_digits()
  elseif r <= 70 then
    counts.tag = counts.tag + 1
    return "/api/v1/contacts?tag=vip"
  elseif r <= 85 then
    counts.tag_name = counts.tag_name + 1
    return "/api/v1/contacts?tag=" .. urlencode(pick(tags)) .. "&q=" .. urlencode(name_prefix())
  else
    counts.sorted = counts.sorted + 1
    return "/api/v1/contacts?sort=name&limit=50"
  end
end

-- ---------------------------------------------------------------- per-thread state
local threads = {}
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_id", thread_no)
  table.insert(threads, thread)
end

local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
responses, non200, no_total = 0, 0, 0
first_bad, last_path = "", ""

function init(args)
  math.randomseed(seed * 1000 + (rawget(_G, "thread_id") or 0))
end

function request()
  last_path = next_path()
  return wrk.format("GET", last_path, headers)
end

function response(status, hdrs, body)
  responses = responses + 1
  local bad = nil
  if status ~= 200 then
    non200 = non200 + 1
    bad = "HTTP " .. status
  elseif not (body and body:find('"total"', 1, true)) then
    no_total = no_total + 1
    bad = "no \"total\""
  end
  if bad and first_bad == "" then
    first_bad = bad .. " for (last sent) GET " .. last_path .. " -> " .. string.sub(body or "", 1, 300)
  end
end

function done(summary, latency, requests)
  local total_resp, total_non200, total_no_total = 0, 0, 0
  local mix = {}
  for _, k in ipairs(kinds) do mix[k] = 0 end
  local bads = {}
  for _, t in ipairs(threads) do
    total_resp = total_resp + (t:get("responses") or 0)
    total_non200 = total_non200 + (t:get("non200") or 0)
    total_no_total = total_no_total + (t:get("no_total") or 0)
    local c = t:get("counts")
    if type(c) == "table" then
      for _, k in ipairs(kinds) do mix[k] = mix[k] + (c[k] or 0) end
    end
    local fb = t:get("first_bad")
    if fb and fb ~= "" then bads[#bads + 1] = fb end
  end
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format("search_mix: %d responses checked, %d non-200, %d without \"total\", " ..
    "%d socket errors (connect %d, read %d, write %d, timeout %d)\n",
    total_resp, total_non200, total_no_total, sock, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("search_mix: requests generated by kind: name %d, phone %d, tag %d, tag+name %d, sorted %d\n",
    mix.name, mix.phone, mix.tag, mix.tag_name, mix.sorted))
  for _, b in ipairs(bads) do io.write("search_mix: first bad answer: " .. b .. "\n") end
  if total_non200 > 0 or total_no_total > 0 or sock > 0 or total_resp == 0 then
    io.write("FAIL search_mix: " .. total_non200 .. " non-200, " .. total_no_total ..
      " without total, " .. sock .. " socket errors, " .. total_resp .. " responses\n")
  else
    io.write("OK search_mix: all " .. total_resp .. " answers were 200 with a total\n")
  end
end
