/** Contracts of the pods of an application's resources and their logs. */
import { contract } from '../contract';
import { ZPodList, ZPodLogsQuery, ZPodsQuery } from '../pod-logs';
import { appParam } from './params';

const DENIED = 'Not permitted: details.denied names {resource, action, object} (applications, get or logs, get)';
const NOT_FOUND =
  "No such application, or the resource (or pod) is not part of the app's resource tree; nothing in the cluster was read for it";
const BAD_QUERY = 'A bad, repeated or unknown query parameter: issues name each one with how to fix it';

export const podLogContracts = {
  '/api/v1/applications/{name}/pods': {
    get: contract({
      summary:
        "The pods of one resource of the app (a Pod itself; a workload's pods through live owner references), newest first: {items: [{name, namespace, phase, ready, startedAt, defaultContainer (kubectl.kubernetes.io/default-container honoured), containers: [{name, init, restartCount, state: waiting | running | terminated, reason?}]}]}. Needs applications, get and logs, get on <project>/<app>",
      path: appParam,
      query: ZPodsQuery,
      answers: { '200': ['PodList', ZPodList] },
      errors: {
        '400': BAD_QUERY,
        '403': DENIED,
        '404': NOT_FOUND,
        '409': "The app's cluster is not registered",
        '503': 'The cluster could not be read (its message)',
      },
    }),
  },
  '/api/v1/applications/{name}/logs': {
    get: contract({
      summary:
        "A container log of one of the app's pods as server-sent events: `event: log` {pod, container, line (raw, ANSI kept), timestamp (the kubelet's RFC3339Nano, or null)} per line; then `event: end` {reason: completed} when the log ends (with follow: when the container exits); `event: error` {message} when the cluster refuses the log (no previous container, a node that serves no logs) or the stream breaks, or a revoked right ends a followed stream (re-checked every 30 s); `: ping` comments every 15 s. A line over 64 KiB is cut with a marker. Needs applications, get and logs, get on <project>/<app>",
      path: appParam,
      query: ZPodLogsQuery,
      answers: { '200': 'text/event-stream' },
      errors: {
        '400': `${BAD_QUERY}, or a container the pod does not have`,
        '403': DENIED,
        '404': `${NOT_FOUND}; or the workload has no pods`,
        '409': "The app's cluster is not registered",
        '429':
          'Too many log streams open: 16 per caller (8 of them followed) or 256 on the server; retry after one ended',
        '503': 'The cluster could not be read (its message)',
      },
    }),
  },
};
