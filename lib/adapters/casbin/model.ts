/**
 * Argo CD's casbin model: assets/model.conf of argoproj/argo-cd, verbatim (Apache-2.0, Copyright The Argo
 * Authors). Requests are (subject, resource, action, object); `g` lines give roles; a deny for a subject
 * overrides its allows; resource, action and object are matched by `globOrRegexMatch`, which the engine
 * registers as a glob or a regular expression match according to `policy.matchMode`.
 */
export const ARGO_CD_MODEL_CONF = `[request_definition]
r = sub, res, act, obj

[policy_definition]
p = sub, res, act, obj, eft

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`;
