/** Manifests for the gitops engine tests (kwok runs the pods: any image name works). */
export const configMap = (
  name: string,
  data: Record<string, string>,
  annotations: Record<string, string> = {},
) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
data: ${JSON.stringify(data)}
`;

export const deployment = (
  name: string,
  opts: { replicas?: number; image?: string; annotations?: Record<string, string> } = {},
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: ${JSON.stringify(opts.annotations ?? {})}
spec:
  replicas: ${opts.replicas ?? 1}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: main
          image: ${opts.image ?? 'example.invalid/web:1'}
`;

export const job = (
  name: string,
  annotations: Record<string, string>,
  opts: { fail?: boolean; generateName?: boolean } = {},
) => `apiVersion: batch/v1
kind: Job
metadata:
  ${opts.generateName ? 'generateName' : 'name'}: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: ${opts.fail ? 'Always' : 'Never'}
      containers:
        - name: main
          image: example.invalid/job:1
`;

export const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector: { app: ${name} }
  ports:
    - port: 80
      targetPort: 8080
`;
