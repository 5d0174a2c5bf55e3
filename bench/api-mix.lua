-- wrk script: replays a prepared mix of partner API calls (rechercher-usager and statut).
-- BENCH_REQUESTS: file of lines METHOD<TAB>PATH<TAB>BODY; BENCH_TOKEN: partner access token;
-- BENCH_AGENT: "identifiant:nom:prénom" of the habilitated agent.
local reqs = {}
local i = 0

function init(args)
  local token = os.getenv("BENCH_TOKEN")
  local id, nom, prenom = os.getenv("BENCH_AGENT"):match("^([^:]+):([^:]+):(.+)$")
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["pa-identifiant-agent"] = id,
    ["pa-nom-agent"] = nom,
    ["pa-prenom-agent"] = prenom,
  }
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if body == "" then body = nil end
    reqs[#reqs + 1] = wrk.format(method, path, headers, body)
  end
  i = math.random(#reqs)
end

function request()
  i = (i % #reqs) + 1
  return reqs[i]
end
