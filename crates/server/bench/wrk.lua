-- wrk script for scripts/bench-server.sh (Debian's wrk runs it with LuaJIT).
--
-- BENCH_MODE=orders   POST /api/webhooks/orders: every request a new order id
--                     (run id, thread, counter), one of BENCH_CUSTOMERS customers,
--                     signed like a merchant backend: X-Rewards-Signature:
--                     sha256=hex(HMAC-SHA256(REWARDS_WEBHOOK_SECRET, body)).
-- BENCH_MODE=shopper  GET /api/shopper with a shopper token for one of those
--                     customers (signed with REWARDS_MERCHANT_SECRET).
-- done() prints one line "BENCH_RESULT {json}" with count, duration and
-- latency percentiles (wrk measures each request from send to response).

local bit = require("bit")
local band, bor, bxor, bnot, rshift, lshift, ror, tobit = bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.lshift, bit.ror, bit.tobit

-- SHA-256 (FIPS 180-4) on 32-bit LuaJIT bit operations.
local K = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

local function be32(x)
  return string.char(band(rshift(x, 24), 255), band(rshift(x, 16), 255), band(rshift(x, 8), 255), band(x, 255))
end

local w = {}
local function sha256(msg)
  local len = #msg
  local pad = (55 - len) % 64
  msg = msg .. "\128" .. string.rep("\0", pad) .. be32(0) .. be32(len * 8)
  local h0, h1, h2, h3 = 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a
  local h4, h5, h6, h7 = 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      local a, b, c, d = string.byte(msg, chunk + i * 4, chunk + i * 4 + 3)
      w[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for i = 16, 63 do
      local x, y = w[i - 15], w[i - 2]
      local s0 = bxor(ror(x, 7), ror(x, 18), rshift(x, 3))
      local s1 = bxor(ror(y, 17), ror(y, 19), rshift(y, 10))
      w[i] = tobit(w[i - 16] + s0 + w[i - 7] + s1)
    end
    local a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
    for i = 0, 63 do
      local s1 = bxor(ror(e, 6), ror(e, 11), ror(e, 25))
      local ch = bxor(band(e, f), band(bnot(e), g))
      local t1 = tobit(h + s1 + ch + K[i + 1] + w[i])
      local s0 = bxor(ror(a, 2), ror(a, 13), ror(a, 22))
      local maj = bxor(band(a, b), band(a, c), band(b, c))
      h, g, f, e, d, c, b, a = g, f, e, tobit(d + t1), c, b, a, tobit(t1 + s0 + maj)
    end
    h0, h1, h2, h3 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d)
    h4, h5, h6, h7 = tobit(h4 + e), tobit(h5 + f), tobit(h6 + g), tobit(h7 + h)
  end
  return be32(h0) .. be32(h1) .. be32(h2) .. be32(h3) .. be32(h4) .. be32(h5) .. be32(h6) .. be32(h7)
end

local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", string.byte(c)) end))
end

-- HMAC-SHA256 (RFC 2104) with the key pads computed once per key.
local function hmac_hex_with(key)
  if #key > 64 then key = sha256(key) end
  key = key .. string.rep("\0", 64 - #key)
  local ipad = key:gsub(".", function(c) return string.char(bxor(string.byte(c), 0x36)) end)
  local opad = key:gsub(".", function(c) return string.char(bxor(string.byte(c), 0x5c)) end)
  return function(msg) return hex(sha256(opad .. sha256(ipad .. msg))) end
end

local function base64url(s)
  local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = string.byte(s, i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 2 + (b and 1 or 0) + (c and 1 or 0)
    for j = 1, chars do
      local v = band(rshift(n, 6 * (4 - j)), 63)
      out[#out + 1] = alphabet:sub(v + 1, v + 1)
    end
  end
  return table.concat(out)
end

local mode = os.getenv("BENCH_MODE") or "orders"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "500")

-- Four products of the vn-coffee fixture program, 1–3 lines of 1–3 units.
local products = {
  {"ca-phe-sua-da", "Cà phê", 45000}, {"bac-xiu", "Cà phê", 49000},
  {"banh-mi", "Bánh", 35000}, {"ca-phe-hat", "Hạt", 220000},
}
local carts = {}
for n = 1, 24 do
  local lines = {}
  for l = 1, 1 + n % 3 do
    local p = products[1 + (n * 7 + l * 3) % #products]
    lines[l] = string.format('{"id":"l%d","product_id":"%s","product_type":"%s","quantity":%d,"unit_price":%d}',
      l, p[1], p[2], 1 + (n + l) % 3, p[3])
  end
  carts[n] = '{"currency":"VND","lines":[' .. table.concat(lines, ",") .. "]}"
end

local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

-- Known vectors: RFC 4231-style HMAC check and docs/api.md's token example.
local function self_check()
  assert(hmac_hex_with("key")("The quick brown fox jumps over the lazy dog")
    == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", "HMAC-SHA256 self-check")
  local head = base64url("customer-123") .. ".1900000000"
  assert(head .. "." .. hmac_hex_with("change-me-merchant-secret")(head)
    == "Y3VzdG9tZXItMTIz.1900000000.bd2c752dd554454efd3164b93df3ef341d350d49840629a73443358dcaa89482", "token self-check")
end

local sign_webhook, tokens, counter = nil, {}, 0
function init(args)
  self_check()
  if mode == "orders" then
    sign_webhook = hmac_hex_with(assert(os.getenv("REWARDS_WEBHOOK_SECRET"), "REWARDS_WEBHOOK_SECRET"))
  else
    local sign = hmac_hex_with(assert(os.getenv("REWARDS_MERCHANT_SECRET"), "REWARDS_MERCHANT_SECRET"))
    local expiry = os.time() + 86400
    for i = 0, customers - 1 do
      local head = base64url("bench-" .. i) .. "." .. expiry
      tokens[i + 1] = "Bearer " .. head .. "." .. sign(head)
    end
  end
end

function request()
  counter = counter + 1
  local t = tid or 1
  if mode == "orders" then
    local customer = (counter * 7919 + t * 104729) % customers
    local body = string.format('{"order_id":"%s-%d-%d","customer":{"id":"bench-%d"},"cart":%s}',
      run, t, counter, customer, carts[1 + counter % #carts])
    return wrk.format("POST", "/api/webhooks/orders",
      {["Content-Type"] = "application/json", ["X-Rewards-Signature"] = "sha256=" .. sign_webhook(body)}, body)
  end
  return wrk.format("GET", "/api/shopper", {["Authorization"] = tokens[1 + (counter * 7919 + t * 104729) % customers]})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_s":%.3f,"throughput_per_s":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
