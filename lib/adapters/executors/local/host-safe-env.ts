/**
 * A step's env is the step's to choose, but the programs that build its sandbox (nsenter, bubblewrap,
 * setpriv) run with host rights before the step's user is dropped. Variables the dynamic loader and the
 * C library act on at start-up would let a step run its own code in them (`LD_PRELOAD=/tekton/home/x.so`
 * runs as host root in bubblewrap). These are glibc's own "unsecure" variables, the ones it ignores for
 * setuid programs (sysdeps/generic/unsecvars.h), plus every `LD_`, `GLIBC_` and `MALLOC_` name.
 */
const UNSECURE = new Set([
  'GCONV_PATH',
  'GETCONF_DIR',
  'HOSTALIASES',
  'LOCALDOMAIN',
  'LOCPATH',
  'NIS_PATH',
  'NLSPATH',
  'RESOLV_HOST_CONF',
  'RES_OPTIONS',
  'TMPDIR',
  'TZDIR',
]);
const UNSECURE_PREFIXES = ['LD_', 'GLIBC_', 'MALLOC_'];

export function isUnsecureForHost(name: string): boolean {
  return UNSECURE.has(name) || UNSECURE_PREFIXES.some((p) => name.startsWith(p));
}

/** The env the host-side programs may start with, and the part only the step's own command may get. */
export function splitHostEnv(env: Record<string, string>): {
  host: Record<string, string>;
  late: Record<string, string>;
} {
  const host: Record<string, string> = {};
  const late: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) (isUnsecureForHost(name) ? late : host)[name] = value;
  return { host, late };
}

/** `env NAME=VALUE … command`: the late variables set by the last program before the step's command, after the drop. */
export function withLateEnv(
  command: readonly string[],
  late: Record<string, string>,
  envBin = '/usr/bin/env',
): string[] {
  const pairs = Object.entries(late).map(([name, value]) => `${name}=${value}`);
  return pairs.length ? [envBin, '--', ...pairs, ...command] : [...command];
}
