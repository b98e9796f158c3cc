'use client';
import Link from 'next/link';
import { useTriggerDeliveries } from '@/lib/client/triggers';
import type { TTriggerDelivery } from '@/lib/schemas/triggers';
import { Dash, DataTable, wide } from '../ui/data-table';
import { relativeTime } from '../ui/time-format';
import { DeliveryOutcome } from './delivery-outcome';
import { DELIVERY_LIMIT } from './delivery-limit';

/** A trigger's recent deliveries, refreshed every few seconds. */
export function DeliveriesTable({ trigger, initial }: { trigger: string; initial?: TTriggerDelivery[] }) {
  const { data: deliveries, error } = useTriggerDeliveries(trigger, DELIVERY_LIMIT, initial);
  return (
    <div className="trigger-section">
      <div className="trigger-section-head">
        <h3>Recent deliveries</h3>
        <span className="muted" style={{ fontSize: 12 }}>
          {error ? `Could not refresh: ${error.message}` : `newest ${DELIVERY_LIMIT}, refreshed live`}
        </span>
      </div>
      {!deliveries ? (
        <p className="trigger-none">Loading…</p>
      ) : deliveries.length === 0 ? (
        <p className="trigger-none">No deliveries yet. Each call to the webhook URL shows up here with its outcome.</p>
      ) : (
        <div className="table-wrap">
          <DataTable
            label={`Deliveries of ${trigger}`}
            columns={['Received', 'Event', 'Outcome', wide('HTTP'), 'Reason', 'Run']}
          >
            {deliveries.map((d) => (
              <tr key={d.id} data-outcome={d.outcome}>
                <td
                  title={new Date(d.receivedAt).toLocaleString()}
                  suppressHydrationWarning
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {relativeTime(d.receivedAt)}
                </td>
                <td className="mono">{d.event ?? <Dash />}</td>
                <td>
                  <DeliveryOutcome outcome={d.outcome} />
                </td>
                <td className="hide-sm mono">{d.httpStatus}</td>
                <td className="trigger-reason">{d.reason ?? <Dash />}</td>
                <td className="cell-wrap">
                  {d.runName ? (
                    <Link href={`/runs/${encodeURIComponent(d.runName)}`} className="mono">
                      {d.runName}
                    </Link>
                  ) : (
                    <Dash />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </div>
  );
}
