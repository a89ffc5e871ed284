-- Reads a topic's position and, of the entries after an offset that are younger than the time to live, the latest
-- ones, atomically, so that no entry lies after the position. A topic without meta hash starts a new epoch at
-- offset 0 here. Read by RedisHistoryStore.
-- KEYS[1] the topic's stream, KEYS[2] its meta hash (e: epoch, o: latest offset)
-- ARGV[1] only entries after this offset; ARGV[2] the most entries; ARGV[3] the stream's time to live in
-- milliseconds; ARGV[4] the meta hash's; ARGV[5] the epoch to start if the topic has none
-- Returns { epoch, latest offset, offset, stamped frame, offset, stamped frame, ... }, newest entry first.
local meta = redis.call('HMGET', KEYS[2], 'e', 'o')
local epoch = meta[1]
local latest = meta[2] or '0'
if not epoch then
  redis.call('DEL', KEYS[1])
  epoch = ARGV[5]
  latest = '0'
  redis.call('HSET', KEYS[2], 'e', epoch, 'o', 0)
end
-- A topic that has had no event yet is kept no longer than its time to live, as a single node forgets an idle topic:
-- reads of topics nobody dispatches to cannot pile up meta hashes.
if latest == '0' then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
end
local result = { epoch, latest }
local limit = tonumber(ARGV[2])
if limit > 0 then
  local now = redis.call('TIME')
  local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3])
  local entries = redis.call('XREVRANGE', KEYS[1], '+', '(' .. ARGV[1], 'COUNT', limit)
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    local kept = { }
    for i = 1, #fields, 2 do
      kept[fields[i]] = fields[i + 1]
    end
    if tonumber(kept['t']) < oldest then
      break
    end
    result[#result + 1] = string.match(entry[1], '^(%d+)')
    result[#result + 1] = kept['f']
  end
end
return result
