import { describe, expect, it } from 'vitest';
import { isSkippedFile, parseManifests } from './parse-manifests';

describe('parseManifests', () => {
  it('reads every document, skipping empty ones', () => {
    const text =
      '---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n';
    const result = parseManifests(text, 'a.yaml');
    expect(result.ok && result.objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Secret']);
  });

  it('flattens List kinds, nested too', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        {
          apiVersion: 'v1',
          kind: 'ConfigMapList',
          items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }],
        },
      ],
    });
    const result = parseManifests(text, 'list.json');
    expect(result.ok && result.objects.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
  });

  it('accepts a JSON array of objects', () => {
    const result = parseManifests('[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}]', 'x.json');
    expect(result.ok && result.objects).toHaveLength(1);
  });

  it('names the file and line of bad YAML', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: [unclosed\n';
    const result = parseManifests(text, 'apps/bad.yaml');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^apps\/bad\.yaml line \d+: invalid YAML: /);
  });

  it('refuses documents that are not Kubernetes objects', () => {
    const result = parseManifests('apiVersion: v1\nkind: ConfigMap\n---\nreplicas: 3\n', 'values.yaml');
    expect(!result.ok && result.message).toBe(
      'values.yaml line 4: document 2 is not a Kubernetes object (apiVersion and kind are required)',
    );
    expect(parseManifests('- 1\n- 2\n', 'n.yaml').ok).toBe(false);
  });

  it('keeps YAML 1.2 scalars and resolves anchors and merge keys', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: "1"}\ndata:\n  <<: *b\n  flag: yes\n';
    const result = parseManifests(text, 'a.yaml');
    expect(result.ok && result.objects[0].data).toEqual({ x: '1', flag: 'yes' });
  });

  it('recognises the skip directive', () => {
    expect(isSkippedFile('# +argocd:skip-file-rendering\napiVersion: v1\n')).toBe(true);
    expect(isSkippedFile('apiVersion: v1\n')).toBe(false);
  });
});
