/** Certificates, service-account key and admin token for a test cluster (openssl + node:crypto). */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_SERVICE_IP } from './components';

export interface Credentials {
  caCert: string;
  servingCert: string;
  servingKey: string;
  saKey: string;
  saPub: string;
  tokenFile: string;
  token: string;
  /** Client certificate kube-apiserver presents to kubelets (O=system:masters). */
  kubeletClientCert: string;
  kubeletClientKey: string;
}

export interface CertOptions {
  cn: string;
  org?: string;
  /** subjectAltName entries, e.g. IP:172.30.1.1 */
  sans?: string[];
  usage: 'client' | 'server';
}

/**
 * Issues `<name>.key` and `<name>.crt` in `outDir`, signed by the CA in `caDir` (ca.crt, ca.key).
 * Returns the absolute paths.
 */
export function issueCert(
  caDir: string,
  outDir: string,
  name: string,
  opts: CertOptions,
): { cert: string; key: string } {
  const key = join(outDir, `${name}.key`);
  const cert = join(outDir, `${name}.crt`);
  const csr = join(outDir, `${name}.csr`);
  const ext = join(outDir, `${name}.ext`);
  const subj = `/CN=${opts.cn}${opts.org ? `/O=${opts.org}` : ''}`;
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subj,
    ],
    outDir,
  );
  const lines = [
    `extendedKeyUsage=${opts.usage === 'client' ? 'clientAuth' : 'serverAuth'}`,
    'keyUsage=critical,digitalSignature,keyEncipherment',
    ...(opts.sans?.length ? [`subjectAltName=${opts.sans.join(',')}`] : []),
  ];
  writeFileSync(ext, `${lines.join('\n')}\n`);
  const ca = ['-CA', join(caDir, 'ca.crt'), '-CAkey', join(caDir, 'ca.key'), '-CAcreateserial'];
  openssl(['x509', '-req', '-in', csr, ...ca, '-days', '3650', '-out', cert, '-extfile', ext], outDir);
  return { cert, key };
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('openssl is required to start the test cluster (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() ?? String(err)}`);
  }
}

/** Writes all credentials into `dir` (which must exist) and returns their absolute paths. */
export function generateCredentials(dir: string): Credentials {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=keelson-test-ca',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(['req', ...ec, '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir);
  const sans = [
    'IP:127.0.0.1',
    `IP:${KUBERNETES_SERVICE_IP}`,
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  writeFileSync(
    join(dir, 'apiserver.ext'),
    `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'apiserver.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-out',
      'apiserver.crt',
      '-extfile',
      'apiserver.ext',
    ],
    dir,
  );

  const sa = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  writeFileSync(join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey);

  const kubeletClient = issueCert(dir, dir, 'apiserver-kubelet-client', {
    cn: 'kube-apiserver-kubelet-client',
    org: 'system:masters',
    usage: 'client',
  });

  const token = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`, { mode: 0o600 });

  return {
    caCert: join(dir, 'ca.crt'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    tokenFile: join(dir, 'tokens.csv'),
    token,
    kubeletClientCert: kubeletClient.cert,
    kubeletClientKey: kubeletClient.key,
  };
}

/** A kubeconfig with the CA embedded and a bearer token for a system:masters user. */
export function kubeconfigYaml(server: string, caPem: string, token: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: keelson-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: keelson-test-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: keelson-test',
    '  context:',
    '    cluster: keelson-test',
    '    user: keelson-test-admin',
    '    namespace: default',
    'current-context: keelson-test',
    '',
  ].join('\n');
}
