-- Appends frames and changes of state to a link's shared stream, for the holder of the
-- link's lock only: a replica that has lost the link cannot append, so two leaders never
-- interleave. Frames are numbered on from the hash's place: frame n is entry n-0, and a
-- change of state after it n-1, n-2, ...
-- KEYS: the lock, the link's hash, its stream.
-- ARGV: the lock's owner, the run, the stream's length, then pairs of kind ('f' a frame,
-- 's' a state) and value.
-- Returns the latest frame's number; -1 when the caller does not hold the lock, -2 when
-- the link's run is not the caller's.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
if redis.call('HGET', KEYS[2], 'run') ~= ARGV[2] then
  return -2
end
local seq = tonumber(redis.call('HGET', KEYS[2], 'seq') or '0')
local state
for i = 4, #ARGV, 2 do
  if ARGV[i] == 'f' then
    seq = seq + 1
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], string.format('%d-0', seq), 'f', ARGV[i + 1])
  else
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], string.format('%d-*', seq), 's', ARGV[i + 1])
    state = ARGV[i + 1]
  end
end
redis.call('HSET', KEYS[2], 'seq', string.format('%d', seq))
if state then
  redis.call('HSET', KEYS[2], 'state', state)
end
return seq
