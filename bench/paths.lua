-- wrk script for bench/run.py: GET the paths given after `--` in turn, with the Accept header
-- given first; prints how many answers were errors (4xx/5xx) for run.py to check.
local paths, accept, i = {}, nil, 0

function init(args)
  accept = args[1]
  for n = 2, #args do paths[#paths + 1] = args[n] end
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept"] = accept })
end

function done(summary)
  io.write(string.format("ERRORS %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
