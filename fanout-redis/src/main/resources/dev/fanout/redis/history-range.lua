-- Reads a topic's position and the entries after an offset, oldest first, atomically and without writing anything:
-- the node repairs with it a gap in what it received from pub/sub. Read by RedisHistoryStore (GapRepair).
-- KEYS[1] the topic's stream, KEYS[2] its meta hash (e: epoch, o: latest offset)
-- ARGV[1] only entries after this offset; ARGV[2] the most entries
-- Returns { epoch, latest offset, offset, stamped frame, offset, stamped frame, ... }, oldest entry first; the epoch
-- is empty if the topic has no meta hash (Redis lost its history).
local meta = redis.call('HMGET', KEYS[2], 'e', 'o')
if not meta[1] then
  return { '', '0' }
end
local result = { meta[1], meta[2] or '0' }
local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))
for _, entry in ipairs(entries) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'f' then
      result[#result + 1] = string.match(entry[1], '^(%d+)')
      result[#result + 1] = fields[i + 1]
    end
  end
end
return result
