-- Appends one dispatch to a topic's history, atomically: allocates the topic's next offset, keeps the stamped frame
-- in the topic's stream and publishes it on the topic's channel. Read by RedisHistoryStore.
-- KEYS[1] the topic's stream, KEYS[2] its meta hash (e: epoch, o: latest offset)
-- ARGV[1] the frame, a JSON object without offset; ARGV[2] the most entries kept; ARGV[3] the stream's time to live
-- in milliseconds; ARGV[4] the meta hash's; ARGV[5] the epoch to start if the topic has none; ARGV[6] the channel;
-- ARGV[7] the envelope's head, "3|<node id>|<publish time>|"
-- Returns the offset.
if not redis.call('HGET', KEYS[2], 'e') then
  -- A new epoch: whatever a stream of an earlier one kept says nothing about it.
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'e', ARGV[5])
end
local offset = string.format('%d', redis.call('HINCRBY', KEYS[2], 'o', 1))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local frame = ARGV[1]
local separator = ',"offset":'
if string.sub(frame, -2, -2) == '{' then
  separator = '"offset":'
end
local stamped = string.sub(frame, 1, -2) .. separator .. offset .. '}'
local now = redis.call('TIME')
local millis = string.format('%d', tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], offset, 'f', stamped, 't', millis)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[6], ARGV[7] .. offset .. '|' .. stamped)
return tonumber(offset)
