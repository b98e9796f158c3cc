import client from 'prom-client';

/** Prometheus metrics of one process; `/metrics` serves `registry.metrics()`. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'keelson_' });

export const httpRequests = new client.Counter({
  name: 'keelson_http_requests_total',
  help: 'HTTP requests served, by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new client.Histogram({
  name: 'keelson_http_request_duration_seconds',
  help: 'HTTP request duration in seconds, by method, route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Queue depth is read from the database at scrape time, so every process reports the shared truth. */
export function registerQueueDepth(read: () => Promise<Record<string, number>>): void {
  new client.Gauge({
    name: 'keelson_job_queue_depth',
    help: 'Jobs waiting in each pg-boss queue.',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const depth = await read().catch((): Record<string, number> => ({}));
      for (const [queue, n] of Object.entries(depth)) this.set({ queue }, n);
    },
  });
}
