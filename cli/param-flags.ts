/** tkn-style `-p name=value`: arrays as `a,b,c`, objects as `k1:v1,k2:v2`, by the param's declared type. */
export function parseParamFlags(
  flags: string[],
  types: Record<string, string>,
): { name: string; value: string | string[] | Record<string, string> }[] {
  return flags.map((flag) => {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new Error(`-p ${flag}: use -p name=value`);
    const name = flag.slice(0, eq);
    const raw = flag.slice(eq + 1);
    if (types[name] === 'array') return { name, value: raw === '' ? [] : raw.split(',') };
    if (types[name] === 'object') {
      const entries = raw.split(',').map((kv) => {
        const i = kv.indexOf(':');
        if (i <= 0) throw new Error(`-p ${flag}: object params are key1:value1,key2:value2`);
        return [kv.slice(0, i), kv.slice(i + 1)] as const;
      });
      return { name, value: Object.fromEntries(entries) };
    }
    return { name, value: raw };
  });
}

/** `-w name=emptyDir`, `-w name=pvc:claim`, `-w name=configMap:cm`, `-w name=secret:s`. */
export function parseWorkspaceFlags(flags: string[]): Record<string, unknown>[] {
  return flags.map((flag) => {
    const [name, source = 'emptyDir'] = flag.split('=', 2);
    const [kind, ref] = source.split(':', 2);
    if (!name)
      throw new Error(`-w ${flag}: use -w name=emptyDir | name=pvc:CLAIM | name=configMap:NAME | name=secret:NAME`);
    if (kind === 'emptyDir') return { name, emptyDir: {} };
    if (kind === 'pvc' && ref) return { name, persistentVolumeClaim: { claimName: ref } };
    if (kind === 'configMap' && ref) return { name, configMap: { name: ref } };
    if (kind === 'secret' && ref) return { name, secret: { secretName: ref } };
    throw new Error(`-w ${flag}: use -w name=emptyDir | name=pvc:CLAIM | name=configMap:NAME | name=secret:NAME`);
  });
}
