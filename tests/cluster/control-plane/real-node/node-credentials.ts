/** The kubelet's own identity: a client certificate for the apiserver and a serving certificate for its API. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCert } from '../credentials';

export interface NodeCredentials {
  kubeconfig: string;
  servingCert: string;
  servingKey: string;
  caCert: string;
}

/**
 * Issues CN=system:node:<nodeName>, O=system:nodes (what the Node authorizer and NodeRestriction expect)
 * and a serving certificate for the node IP, both signed by the cluster CA in `clusterDir`.
 */
export function nodeCredentials(
  clusterDir: string,
  pkiDir: string,
  nodeName: string,
  nodeIP: string,
  server: string,
): NodeCredentials {
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const client = issueCert(clusterDir, pkiDir, 'kubelet-client', {
    cn: `system:node:${nodeName}`,
    org: 'system:nodes',
    usage: 'client',
  });
  const serving = issueCert(clusterDir, pkiDir, 'kubelet-serving', {
    cn: nodeName,
    sans: [`IP:${nodeIP}`, `DNS:${nodeName}`],
    usage: 'server',
  });
  const b64 = (path: string): string => readFileSync(path).toString('base64');
  const caCert = join(clusterDir, 'ca.crt');
  const kubeconfig = join(pkiDir, 'kubelet.kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: keelson-test',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(caCert)}`,
      'users:',
      `- name: ${nodeName}`,
      '  user:',
      `    client-certificate-data: ${b64(client.cert)}`,
      `    client-key-data: ${b64(client.key)}`,
      'contexts:',
      '- name: kubelet',
      '  context:',
      '    cluster: keelson-test',
      `    user: ${nodeName}`,
      'current-context: kubelet',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { kubeconfig, servingCert: serving.cert, servingKey: serving.key, caCert };
}
