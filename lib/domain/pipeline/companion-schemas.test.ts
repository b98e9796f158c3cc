import { describe, expect, it } from 'vitest';
import { parseDocuments } from './parse-documents';
import { resolveVolumes } from './resolve-volumes';
import { configMapData, type TConfigMap } from './spec-schemas';
import { ZTaskSpec } from './task-schemas';

const core = (kind: string, body: string) => `apiVersion: v1\nkind: ${kind}\nmetadata: {name: c}\n${body}\n`;
const trigger = (body: string) =>
  `apiVersion: keelson.dev/v1alpha1\nkind: Trigger\nmetadata: {name: t}\n${body}\n` +
  (body.startsWith('spec') ? '' : 'spec: {pipelineRef: {name: p}, provider: github, secretRef: {name: s, key: k}}\n');

/** Each error as `path: message | hint`. */
function refusals(yaml: string): string[] {
  const result = parseDocuments(yaml);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message} | ${e.hint}`);
}

describe('core documents (ConfigMap, Secret, PersistentVolumeClaim) and Trigger are strict', () => {
  it.each([
    ['a ConfigMap', core('ConfigMap', 'data: {a: b}\nbinaryData: {logo.png: iVBORw0KGgo=}\nimmutable: true')],
    ['a ConfigMap with only binaryData', core('ConfigMap', 'binaryData: {blob: "AAEC\\n/w=="}')],
    [
      'a Secret with every field',
      core('Secret', 'type: kubernetes.io/basic-auth\ndata: {a: aGk=}\nstringData: {b: x}\nimmutable: false'),
    ],
    ['a tls Secret', core('Secret', 'type: kubernetes.io/tls\nstringData: {tls.crt: c, tls.key: k}')],
    [
      'a dockerconfigjson Secret (a key may start with one dot)',
      core('Secret', 'type: kubernetes.io/dockerconfigjson\nstringData: {.dockerconfigjson: "{}"}'),
    ],
    [
      'a PVC with Kubernetes claim fields and the status kubectl prints',
      core(
        'PersistentVolumeClaim',
        'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeMode: Filesystem}\nstatus: {phase: Bound}',
      ),
    ],
    ['a Trigger', trigger('')],
  ])('accepts %s', (_label, yaml) => {
    expect(refusals(yaml)).toEqual([]);
  });

  it.each([
    [
      'a misspelt Secret field',
      core('Secret', 'strinData: {a: b}'),
      ': a Secret has no field "strinData"; its fields are apiVersion, kind, metadata, type, data, stringData, immutable' +
        ' | Remove "strinData" or correct it to one of: apiVersion, kind, metadata, type, data, stringData, immutable.',
    ],
    [
      'an unknown ConfigMap field',
      core('ConfigMap', 'data: {a: b}\nbinarydata: {x: AA==}'),
      ': a ConfigMap has no field "binarydata"; its fields are apiVersion, kind, metadata, data, binaryData, immutable' +
        ' | Remove "binarydata" or correct it to one of: apiVersion, kind, metadata, data, binaryData, immutable.',
    ],
    [
      'an unknown PVC field beside spec',
      core('PersistentVolumeClaim', 'spec: {}\nspecs: {}'),
      ': a PersistentVolumeClaim has no field "specs"; its fields are apiVersion, kind, metadata, spec, status' +
        ' | Remove "specs" or correct it to one of: apiVersion, kind, metadata, spec, status.',
    ],
    [
      'a key in both data and binaryData',
      core('ConfigMap', 'data: {a: b}\nbinaryData: {a: AA==}'),
      'binaryData.a: key "a" is in both data and binaryData; a ConfigMap key may be in only one of them' +
        ' | Keep the key under data (text) or under binaryData (base64), not both.',
    ],
    [
      'binaryData that is not base64',
      core('ConfigMap', 'binaryData: {a: "not base64!"}'),
      'binaryData.a: ConfigMap binaryData values are base64; put plain text under data' +
        ' | Base64-encode the file (`base64 -w0 <file>`), or put plain text under data.',
    ],
    [
      'binaryData without its padding',
      core('ConfigMap', 'binaryData: {a: AAE}'),
      'binaryData.a: ConfigMap binaryData values are base64; put plain text under data' +
        ' | Base64-encode the file (`base64 -w0 <file>`), or put plain text under data.',
    ],
    [
      'a ConfigMap key with a slash (Kubernetes keys are file names)',
      core('ConfigMap', 'data: {conf/app.yaml: x}'),
      `data.conf/app.yaml: key "conf/app.yaml" may hold only letters, digits, '-', '_' and '.' (a config key)` +
        ' | Rename the key (it is the file name in volumes); to put the file in a folder, use items with a path such as conf/app.yaml.',
    ],
    [
      'a binaryData key starting with ..',
      core('ConfigMap', 'binaryData: {..x: AA==}'),
      `binaryData...x: key "..x" may not be '.' or start with '..' (a config key)` +
        ' | Rename the key (it is the file name in volumes); to put the file in a folder, use items with a path such as conf/app.yaml.',
    ],
    [
      'a Secret stringData key that is not a config key',
      core('Secret', 'stringData: {"a b": x}'),
      `stringData.a b: key "a b" may hold only letters, digits, '-', '_' and '.' (a config key)` +
        ' | Rename the key (it is the file name in volumes); to put the file in a folder, use items with a path such as conf/app.yaml.',
    ],
    [
      'Secret data without its padding',
      core('Secret', 'data: {a: aGk}'),
      'data.a: Secret data values are base64; put plain text under stringData' +
        ' | Put plain-text values under stringData, or base64-encode them under data.',
    ],
  ])('refuses %s with its path and a sentence', (_label, yaml, expected) => {
    expect(refusals(yaml)).toEqual([expected]);
  });

  it.each([
    ['a misspelt top-level field', trigger('spce: {}'), /^: Unrecognized key: "spce"/],
    [
      'a misspelt spec field',
      trigger('spec: {pipelineRef: {name: p}, provider: github, secretRef: {name: s, key: k}, filters: {}}'),
      /^spec: Unrecognized key: "filters"/,
    ],
    [
      'a misspelt filter field',
      trigger(
        'spec: {pipelineRef: {name: p}, provider: github, secretRef: {name: s, key: k}, filter: {branch: [main]}}',
      ),
      /^spec.filter: Unrecognized key: "branch"/,
    ],
  ])('refuses a Trigger with %s', (_label, yaml, expected) => {
    const errors = refusals(yaml);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });
});

describe('ConfigMap binaryData', () => {
  it('is stored without line breaks, beside data', () => {
    const result = parseDocuments(core('ConfigMap', 'data: {a: b}\nbinaryData: {blob: "AAEC\\n/w=="}'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(configMapData(result.resources[0] as TConfigMap)).toEqual({
      data: { a: 'b' },
      binaryData: { blob: 'AAEC/w==' },
    });
    expect(configMapData({ data: { a: 'b' } })).toEqual({ data: { a: 'b' } });
  });

  it('gives configMap volume files: binary keys as base64 (items may pick them), text keys as values', () => {
    const spec = ZTaskSpec.parse({
      steps: [{ name: 's', image: 'x', script: 'true' }],
      volumes: [
        { name: 'all', configMap: { name: 'app' } },
        { name: 'one', configMap: { name: 'app', items: [{ key: 'blob', path: 'bin/blob.bin' }] } },
      ],
    });
    const r = resolveVolumes({
      spec,
      scope: {},
      task: 't',
      configMaps: { app: { 'a.txt': 'A' } },
      configMapBinary: { app: { blob: 'AAEC/w==' } },
    });
    expect(r.errors).toEqual([]);
    expect(r.volumes).toEqual([
      {
        name: 'all',
        kind: 'files',
        volumeSource: { configMap: { name: 'app' } },
        files: [
          { path: 'a.txt', value: 'A' },
          { path: 'blob', base64: 'AAEC/w==' },
        ],
      },
      {
        name: 'one',
        kind: 'files',
        files: [{ path: 'bin/blob.bin', base64: 'AAEC/w==' }],
        volumeSource: { configMap: { name: 'app', items: [{ key: 'blob', path: 'bin/blob.bin' }] } },
      },
    ]);
  });
});
