/**
 * Steps' and sidecars' `script`s, as upstream's pkg/pod/script.go places them: the `place-scripts` init
 * container (the shell image) writes each script, base64 in a heredoc, to /tekton/scripts and has the
 * entrypoint binary decode it; the container then runs the file, so its shebang picks the interpreter.
 */
import {
  BIN_DIR,
  BIN_VOLUME,
  ENTRYPOINT_BINARY,
  PLACE_SCRIPTS_CONTAINER,
  SCRIPT_PRELUDE,
  SCRIPTS_DIR,
  SCRIPTS_VOLUME,
  runDir,
} from './pod-paths';
import type { Container, Volume, VolumeMount } from './pod-types';
import type { RunSecretBuilder } from './run-secret';

/** How the local executor decides it too (prepare-step.ts): a script without `#!` runs with sh and `set -e`. */
export function scriptWithShebang(script: string): string {
  return script.startsWith('#!') ? script : SCRIPT_PRELUDE + script;
}

export const SCRIPTS_MOUNT: VolumeMount = { name: SCRIPTS_VOLUME, mountPath: SCRIPTS_DIR, readOnly: true };

/**
 * How scripts reach the pod: `place-scripts`, upstream's init container (one more container start, about
 * 1.8 s per TaskRun on the test node, mostly the kubelet noticing one init container end before starting the
 * next), or `secret`: items of the run Secret mounted executable at /tekton/scripts, no init container.
 */
export type ScriptsVia = 'place-scripts' | 'secret';

/** Collects the scripts of one pod and makes the init container (or the Secret items) that provide them. */
export class ScriptPlacer {
  private readonly parts: string[] = [];
  private readonly items: { key: string; path: string; mode: number }[] = [];

  constructor(
    private readonly via: ScriptsVia = 'place-scripts',
    private readonly secret?: RunSecretBuilder,
  ) {}

  /** Registers a script; returns the file the container runs. `name`: `script-<i>` or `sidecar-script-<i>`. */
  place(script: string, name: string): string {
    const file = `${SCRIPTS_DIR}/${name}`;
    const text = scriptWithShebang(script);
    if (this.via === 'secret' && this.secret) {
      this.items.push({ key: this.secret.putText(`script.${name}`, text), path: name, mode: 0o755 });
      return file;
    }
    const encoded = Buffer.from(text, 'utf8').toString('base64');
    // Underscores: base64 never contains them, so the heredoc cannot end early.
    this.parts.push(
      `scriptfile="${file}"\ntouch \${scriptfile} && chmod +x \${scriptfile}\ncat > \${scriptfile} << '_EOF_'\n${encoded}\n_EOF_\n${ENTRYPOINT_BINARY} decode-script "\${scriptfile}"\n`,
    );
    return file;
  }

  get empty(): boolean {
    return this.parts.length === 0 && this.items.length === 0;
  }

  /** The scripts volume: an emptyDir place-scripts fills, or the run Secret's script items. */
  volume(): Volume | undefined {
    if (this.empty) return undefined;
    if (this.items.length && this.secret)
      return { name: SCRIPTS_VOLUME, secret: { secretName: this.secret.secret.name, items: this.items } };
    return { name: SCRIPTS_VOLUME, emptyDir: {} };
  }

  container(shellImage: string): Container | undefined {
    if (this.parts.length === 0) return undefined;
    return {
      name: PLACE_SCRIPTS_CONTAINER,
      image: shellImage,
      command: ['sh'],
      args: ['-c', this.parts.join('')],
      volumeMounts: [
        { name: SCRIPTS_VOLUME, mountPath: SCRIPTS_DIR },
        { name: BIN_VOLUME, mountPath: BIN_DIR },
      ],
    };
  }
}

/** Env var that carries a script whose text names earlier steps' results, for the entrypoint to fill in. */
export const LATE_SCRIPT_ENV = 'KEELSON_STEP_SCRIPT';

/**
 * A script naming `$(steps.<s>.results.<r>)` can only be written once those steps ran. Upstream's entrypoint
 * fills such references in env, command and args (not in script files), so the script travels in an env var
 * it fills in, and a small `sh` writes it to the step's own run folder and runs it there (the step image
 * needs `/bin/sh` for that; the local executor substitutes scripts the same way, right before the step).
 */
export function lateScriptCommand(index: number): { entrypoint: string; args: string[] } {
  const file = `${runDir(index)}/script`;
  return {
    entrypoint: '/bin/sh',
    args: [
      '-c',
      `printf '%s' "$${LATE_SCRIPT_ENV}" > ${file} && chmod +x ${file} && unset ${LATE_SCRIPT_ENV} && exec ${file} "$@"`,
      'script',
    ],
  };
}

export function mentionsStepResults(text: string): boolean {
  return /\$\(steps\.[^)]*\.results\./.test(text);
}
