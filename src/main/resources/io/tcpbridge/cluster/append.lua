-- Appends frames and changes of state to a link's shared stream, for the holder of the
-- link's lock only: a replica that has lost the link cannot append, so two leaders never
-- interleave. Frames are numbered on from the hash's place: an entry n-0 holds frames read
-- one after another, packed, the last of them frame n; a change of state after frame n is
-- entry n-1, n-2, ... Entries whose frames are all older than the stream's length are
-- trimmed (MINID ~, by whole nodes of the stream).
-- KEYS: the lock, the link's hash, its stream.
-- ARGV: the lock's owner, the run, the stream's length in frames, then pairs of a count and
-- a value: a count of frames and those frames packed, or 0 and a state.
-- Returns the latest frame's number; -1 when the caller does not hold the lock, -2 when
-- the link's run is not the caller's.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
if redis.call('HGET', KEYS[2], 'run') ~= ARGV[2] then
  return -2
end
local seq = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
local length = tonumber(ARGV[3])
local state
for i = 4, #ARGV, 2 do
  local frames = tonumber(ARGV[i])
  seq = seq + frames
  local oldest = string.format('%d', math.max(0, seq - length))
  if frames > 0 then
    redis.call('XADD', KEYS[3], 'MINID', '~', oldest, string.format('%d-0', seq), 'f', ARGV[i + 1])
  else
    redis.call('XADD', KEYS[3], 'MINID', '~', oldest, string.format('%d-*', seq), 's', ARGV[i + 1])
    state = ARGV[i + 1]
  end
end
redis.call('HSET', KEYS[2], 'seq', string.format('%d', seq))
if state then
  redis.call('HSET', KEYS[2], 'state', state)
end
return seq
