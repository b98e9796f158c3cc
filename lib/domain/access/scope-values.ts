/**
 * The groups a login brings, read from the OIDC claims named by `scopes` (default `[groups]`), as Argo CD's
 * jwtutil.GetScopeValues does: a claim may hold one string or a list of strings; anything else is ignored.
 */
export function scopeValues(claims: Record<string, unknown>, scopes: readonly string[]): string[] {
  const values: string[] = [];
  for (const scope of scopes) {
    const claim = claims[scope];
    if (typeof claim === 'string') values.push(claim);
    else if (Array.isArray(claim)) values.push(...claim.filter((v): v is string => typeof v === 'string'));
  }
  return [...new Set(values)];
}
