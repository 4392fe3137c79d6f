-- wrk script: request the paths given after "--" in turn, and print a JSON summary line.
local paths = {}
local index = 0

function init(args)
  for i = 1, #args do paths[#paths + 1] = args[i] end
  if #paths == 0 then paths[1] = "/" end
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function done(summary, latency, requests)
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "errors_status": %d, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_timeout": %d, "p50_us": %d, "p95_us": %d}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.timeout, latency:percentile(50), latency:percentile(95)))
end
