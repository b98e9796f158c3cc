/**
 * Tekton's container contract inside a TaskRun's pod (pkg/pod/entrypoint.go, pod.go, script.go of
 * tektoncd/pipeline v1.15): the folders, volume names and container names the entrypoint and the
 * steps agree on.
 */
import type { VolumeMount } from './pod-types';

export const BIN_DIR = '/tekton/bin';
export const ENTRYPOINT_BINARY = `${BIN_DIR}/entrypoint`;
export const RUN_DIR = '/tekton/run';
export const STEPS_DIR = '/tekton/steps';
export const SCRIPTS_DIR = '/tekton/scripts';
export const DOWNWARD_DIR = '/tekton/downward';
export const TERMINATION_PATH = '/tekton/termination';
export const WORKSPACE_DIR = '/workspace';

export const BIN_VOLUME = 'tekton-internal-bin';
export const RUN_VOLUME = 'tekton-internal-run';
export const SCRIPTS_VOLUME = 'tekton-internal-scripts';
export const DOWNWARD_VOLUME = 'tekton-internal-downward';
export const STEPS_VOLUME = 'tekton-internal-steps';

export const READY_ANNOTATION = 'tekton.dev/ready';
export const READY_VALUE = 'READY';

export const PREPARE_CONTAINER = 'prepare';
export const PLACE_SCRIPTS_CONTAINER = 'place-scripts';

/** Tekton's prelude for a script without a shebang. */
export const SCRIPT_PRELUDE = '#!/bin/sh\nset -e\n';

/** Step `i`'s name in /tekton/steps (`step-<name>`, `step-unnamed-<i>`): upstream's StepName, never shortened. */
export function stepDirName(name: string, index: number): string {
  return name ? `step-${name}` : `step-unnamed-${index}`;
}

/** The container of step `i`: its StepName cut to 63 characters, as upstream's RestrictLength. */
export function stepContainerName(name: string, index: number): string {
  return restrictLength(stepDirName(name, index));
}

export function sidecarContainerNameOf(name: string): string {
  return restrictLength(`sidecar-${name}`);
}

/** upstream's names.SimpleNameGenerator.RestrictLength: at most 63 characters, ending with a letter or digit. */
export function restrictLength(name: string): string {
  let out = name.slice(0, 63);
  while (out.length > 1 && !/[a-zA-Z0-9]$/.test(out)) out = out.slice(0, -1);
  return out;
}

/** `/tekton/run/<i>`: step i's own folder (post file, status/exitCode, status/results). */
export function runDir(index: number): string {
  return `${RUN_DIR}/${index}`;
}

/** The volumes every step mounts (upstream's implicitVolumeMounts, binROMount first), unless it mounts its own there. */
export const IMPLICIT_MOUNTS: readonly VolumeMount[] = [
  { name: BIN_VOLUME, mountPath: BIN_DIR, readOnly: true },
  { name: 'tekton-internal-workspace', mountPath: WORKSPACE_DIR },
  { name: 'tekton-internal-home', mountPath: '/tekton/home' },
  { name: 'tekton-internal-results', mountPath: '/tekton/results' },
  { name: STEPS_VOLUME, mountPath: STEPS_DIR, readOnly: true },
  { name: 'tekton-internal-artifacts', mountPath: '/tekton/artifacts' },
];

/** The emptyDir volumes behind IMPLICIT_MOUNTS, in upstream's order. */
export const IMPLICIT_VOLUMES: readonly string[] = [
  'tekton-internal-workspace',
  'tekton-internal-home',
  'tekton-internal-results',
  STEPS_VOLUME,
  'tekton-internal-artifacts',
];

/** Kubernetes names (volumes, Secret keys) must be short: long ones keep a head and a hash of the whole. */
export function boundedName(name: string, max = 63): string {
  if (name.length <= max) return name;
  const hash = fnv1a(name);
  return `${name.slice(0, max - hash.length - 1).replace(/[-.]+$/, '')}-${hash}`;
}

/** 32-bit FNV-1a as 8 hex digits: a short, stable, dependency-free name suffix (not a security measure). */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
