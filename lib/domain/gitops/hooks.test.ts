import { describe, expect, it } from 'vitest';
import { hookDeletePolicies, hookTypes, isHook, isSkipped, syncPhases } from './hooks';
import type { KubeObject } from './k8s-object';
import { parseAppSyncOptions } from './sync-options';
import { syncWave } from './waves';

const withAnnotations = (annotations: Record<string, string>): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'demo', annotations },
});

describe('hook annotations (gitops-engine hook.go, helm/type.go)', () => {
  it.each<[string, Record<string, string>, boolean, string[]]>([
    ['no annotation: a plain resource', {}, false, ['Sync']],
    ['Argo CD PreSync', { 'argocd.argoproj.io/hook': 'PreSync' }, true, ['PreSync']],
    [
      'several types, spaces allowed',
      { 'argocd.argoproj.io/hook': 'PostSync, PreSync' },
      true,
      ['PreSync', 'PostSync'],
    ],
    ['Skip alone: never applied', { 'argocd.argoproj.io/hook': 'Skip' }, false, []],
    ['Skip next to a type is ignored', { 'argocd.argoproj.io/hook': 'Skip,PostSync' }, true, ['PostSync']],
    ['an unknown Argo CD value still makes a hook, in no phase', { 'argocd.argoproj.io/hook': 'Presync' }, true, []],
    ['Helm pre-upgrade → PreSync', { 'helm.sh/hook': 'pre-upgrade' }, true, ['PreSync']],
    [
      'Helm post-install,post-upgrade → PostSync once',
      { 'helm.sh/hook': 'post-install,post-upgrade' },
      true,
      ['PostSync'],
    ],
    ['Helm test is not a hook here', { 'helm.sh/hook': 'test' }, false, ['Sync']],
    ['Argo CD wins over Helm', { 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' }, true, ['Sync']],
  ])('%s', (_name, annotations, hook, phases) => {
    const obj = withAnnotations(annotations);
    expect(isHook(obj)).toBe(hook);
    expect(syncPhases(obj)).toEqual(phases);
  });

  it('reports Skip only when it stands alone', () => {
    expect(isSkipped(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip' }))).toBe(true);
    expect(hookTypes(withAnnotations({ 'argocd.argoproj.io/hook': 'Skip,Sync' }))).toEqual(['Skip', 'Sync']);
  });

  it.each<[Record<string, string>, string[]]>([
    [{}, ['BeforeHookCreation']],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, ['HookSucceeded', 'HookFailed']],
    [{ 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }, ['BeforeHookCreation', 'HookSucceeded']],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'Bogus' }, ['BeforeHookCreation']],
  ])('delete policies of %j', (annotations, policies) => {
    expect(hookDeletePolicies(withAnnotations(annotations))).toEqual(policies);
  });
});

describe('syncWave', () => {
  it.each<[Record<string, string>, number]>([
    [{}, 0],
    [{ 'argocd.argoproj.io/sync-wave': '-2' }, -2],
    [{ 'argocd.argoproj.io/sync-wave': '1.5' }, 0],
    [{ 'helm.sh/hook-weight': '7' }, 7],
    [{ 'argocd.argoproj.io/sync-wave': '3', 'helm.sh/hook-weight': '7' }, 3],
    [{ 'argocd.argoproj.io/sync-wave': 'x', 'helm.sh/hook-weight': '7' }, 7],
  ])('%j → %d', (annotations, wave) => {
    expect(syncWave(withAnnotations(annotations))).toBe(wave);
  });
});

it('parses an Application syncOptions list', () => {
  expect(parseAppSyncOptions(['CreateNamespace=true', 'PruneLast=true', 'Validate=false'])).toEqual({
    createNamespace: true,
    serverSideApply: false,
    pruneLast: true,
    applyOutOfSyncOnly: false,
    validate: false,
  });
  expect(parseAppSyncOptions().validate).toBe(true);
});
