import { describe, expect, it } from 'vitest';
import { createConsoleAlerts, createMemoryAlerts, formatAlert } from '../../src/memory';
import type { Alert } from '../../src/ports/services';
import { expectCode } from '../../src/testing';

const alert: Alert = {
  severity: 'critical',
  title: 'Warehouse rejected shipment',
  message: 'unknown SKU "X"\nat east',
  orderId: 'o-1',
  link: 'https://admin.example.com/orders/1001',
  idempotencyKey: 'alert-1',
};

describe('createMemoryAlerts', () => {
  it('keeps alerts and delivers each idempotency key once', async () => {
    const alerts = createMemoryAlerts();
    await alerts.send(alert);
    await alerts.send({ ...alert, title: 'again' });
    await alerts.send({ ...alert, idempotencyKey: 'alert-2' });
    expect(alerts.alerts().map((a) => [a.idempotencyKey, a.title])).toEqual([
      ['alert-1', 'Warehouse rejected shipment'],
      ['alert-2', 'Warehouse rejected shipment'],
    ]);
    expect(alerts.duplicates).toBe(1);
    alerts.clear();
    expect(alerts.alerts()).toEqual([]);
  });

  it('failNext throws ADAPTER_FAILED and delivers nothing, so a retry delivers', async () => {
    const alerts = createMemoryAlerts();
    alerts.failNext(1);
    await expectCode(alerts.send(alert), 'ADAPTER_FAILED');
    expect(alerts.alerts()).toEqual([]);
    await alerts.send(alert);
    expect(alerts.alerts()).toHaveLength(1);
  });
});

describe('createConsoleAlerts', () => {
  it('prints one line per alert, once per key', async () => {
    const lines: string[] = [];
    const sink = createConsoleAlerts({ write: (line) => lines.push(line) });
    await sink.send(alert);
    await sink.send(alert);
    expect(lines).toEqual([
      '[critical] Warehouse rejected shipment: unknown SKU "X" at east (order o-1) https://admin.example.com/orders/1001',
    ]);
    expect(formatAlert({ severity: 'info', title: 'T', message: 'M', idempotencyKey: 'k' })).toBe(
      '[info] T: M',
    );
  });

  it('prints repeats when dedupe is off', async () => {
    const lines: string[] = [];
    const sink = createConsoleAlerts({ write: (line) => lines.push(line), dedupe: false });
    await sink.send(alert);
    await sink.send(alert);
    expect(lines).toHaveLength(2);
  });
});
