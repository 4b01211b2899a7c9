import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { coupleWorld } from '../world';
import { createFakeMac, parseLogLine, type FakeMac } from './index';

// coupleWorld(): Jamf simulator events -> the fake Mac's unified log, driven here by a plain
// EventEmitter with the simulator's event shapes.

const DEVICE = { udid: 'A1B2C3D4-E5F6-4789-8ABC-DEF012345678', managementId: 'cbc948d5-16ab-4ca6-97bf-f78005c3311c', deviceId: '7' };
const MDM_PATH = [
  'Init', 'PendingPlanValidation', 'AcceptingPlan', 'ProcessingPlanType', 'ProcessingPlanTypeMdm', 'StartingPlan',
  'SchedulingScanForOSUpdates', 'WaitingForScheduledOSUpdateScanToComplete', 'CollectingAvailableOSUpdates',
  'SchedulingOSUpdate', 'CollectingOSUpdateStatus', 'VerifyingInstallation', 'PlanCompleted',
];
const DDM_PATH = [
  'Init', 'PendingPlanValidation', 'AcceptingPlan', 'ProcessingPlanType', 'ProcessingSchedulingType', 'SchedulingDDM',
  'DDMPlanScheduled', 'WaitingToStartDDMUpdate', 'CollectingDDMStatus', 'VerifyingInstallation', 'PlanCompleted',
];

/** A FakeMac stand-in that only collects emitted lines. */
function stubMac(): { mac: FakeMac; lines: string[] } {
  const lines: string[] = [];
  const fail = () => {
    throw new Error('not used');
  };
  return {
    lines,
    mac: { root: '/nonexistent', invocations: fail, update: fail, keychain: fail, world: fail, cleanup: async () => undefined, emitLog: (l) => lines.push(...l) },
  };
}

/** `ack:<type>`, `idle`, or the softwareupdated phase of each Received/progress line. */
function summary(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const message = parseLogLine(line)?.eventMessage ?? '';
    const ack = /Received HTTP response \(200\) \[(?:Acknowledged\(([^)]+)\)|(Idle))/.exec(message);
    if (ack) return [ack[1] ? `ack:${ack[1]}` : 'idle'];
    const phase = /Reported progress \(\w+\): phase:(\w+)/.exec(message)?.[1];
    return phase ? [phase] : [];
  });
}

const dedupe = (items: string[]) => items.filter((item, i) => item !== items[i - 1]);

function plan(events: EventEmitter, planId: string, states: string[], updateAction: string, who: Partial<typeof DEVICE> = { udid: DEVICE.udid }) {
  for (const state of states) {
    events.emit('plan', { planId, deviceId: '7', managementId: undefined, udid: undefined, ...who, state, updateAction, versionType: 'SPECIFIC_VERSION', specificVersion: '15.6', errorReasons: [] });
  }
}

test('an MDM plan that installs: scan, AvailableOSUpdates, ScheduleOSUpdate, download, prepare, restart pending', () => {
  const { mac, lines } = stubMac();
  const events = new EventEmitter();
  coupleWorld(mac, { events }, DEVICE);
  plan(events, 'P1', MDM_PATH, 'DOWNLOAD_INSTALL_RESTART');
  plan(events, 'P1', ['CollectingOSUpdateStatus', 'VerifyingInstallation'], 'DOWNLOAD_INSTALL_RESTART'); // repeats add nothing
  expect(dedupe(summary(lines))).toEqual([
    'idle', 'ack:ScheduleOSUpdateScan', 'idle', 'ack:AvailableOSUpdates', 'idle', 'ack:ScheduleOSUpdate', 'ack:OSUpdateStatus',
    'ACCEPTED', 'PREFLIGHT_WAKEUP', 'PREFLIGHT_PREREQUISITE', 'DOWNLOADING_UPDATE', 'DOWNLOADED_UPDATE',
    'PREPARING_UPDATE', 'PREPARED', 'COMPLETED', 'ACCEPTED', 'APPLYING',
  ]);
  // Command UUIDs are stable per plan and request type, lower-case like the device's.
  const uuid = /Acknowledged\(ScheduleOSUpdate\):([0-9a-f-]{36})/.exec(lines.join('\n'))?.[1];
  expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('DOWNLOAD_ONLY stops after preparation; DDM plans show DeclarativeManagement instead of MDM commands', () => {
  const { mac, lines } = stubMac();
  const events = new EventEmitter();
  coupleWorld(mac, { events }, DEVICE);
  plan(events, 'P2', MDM_PATH, 'DOWNLOAD_ONLY', { managementId: DEVICE.managementId.toUpperCase() });
  const downloadOnly = dedupe(summary(lines));
  expect(downloadOnly.at(-1)).toBe('COMPLETED');
  expect(downloadOnly).not.toContain('APPLYING');
  lines.length = 0;
  plan(events, 'P3', DDM_PATH, 'DOWNLOAD_INSTALL_SCHEDULE');
  const ddm = dedupe(summary(lines));
  expect(ddm.slice(0, 2)).toEqual(['idle', 'ack:DeclarativeManagement']);
  expect(ddm).not.toContain('ack:ScheduleOSUpdate');
  expect(ddm.slice(-2)).toEqual(['ACCEPTED', 'APPLYING']);
});

test('other devices, failed plans and simplified state names', () => {
  const { mac, lines } = stubMac();
  const events = new EventEmitter();
  coupleWorld(mac, { events }, DEVICE);
  plan(events, 'X', MDM_PATH, 'DOWNLOAD_INSTALL_RESTART', { udid: 'OTHER', deviceId: '8', managementId: 'other' });
  events.emit('blankPush', { managementIds: ['other'] });
  plan(events, 'F', ['Init', 'PendingPlanValidation', 'RejectingPlan', 'PlanFailed'], 'DOWNLOAD_INSTALL_RESTART');
  expect(lines).toEqual([]);
  plan(events, 'S', ['DOWNLOADING'], 'DOWNLOAD_INSTALL_RESTART');
  expect(dedupe(summary(lines))).toContain('DOWNLOADING_UPDATE');
});

test('blank pushes become Idle check-ins; legacy send-updates a full install; uncoupling stops everything', () => {
  const { mac, lines } = stubMac();
  const events = new EventEmitter();
  const uncouple = coupleWorld(mac, { events }, DEVICE, { style: 'compact' });
  events.emit('blankPush', { managementIds: ['someone-else', DEVICE.managementId] });
  expect(summary(lines)).toEqual(['idle']);
  expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} Df mdmclient\[/);
  lines.length = 0;
  events.emit('sendUpdates', { deviceIds: ['7'], updateAction: 'DOWNLOAD_AND_INSTALL', forceRestart: true });
  expect(dedupe(summary(lines))).toEqual(expect.arrayContaining(['ack:ScheduleOSUpdate', 'DOWNLOADING_UPDATE', 'PREPARED', 'APPLYING']));
  lines.length = 0;
  uncouple();
  expect(['plan', 'blankPush', 'sendUpdates'].map((name) => events.listenerCount(name))).toEqual([0, 0, 0]);
  events.emit('blankPush', { managementIds: [DEVICE.managementId] });
  plan(events, 'P9', MDM_PATH, 'DOWNLOAD_INSTALL_RESTART');
  expect(lines).toEqual([]);
});

describe('with a real fake Mac', () => {
  let real: FakeMac;
  beforeAll(async () => {
    real = await createFakeMac();
  });
  afterAll(() => real.cleanup());

  test('the lines land in the unified log that `log stream` follows', () => {
    const events = new EventEmitter();
    const uncouple = coupleWorld(real, { events }, DEVICE);
    plan(events, 'R1', MDM_PATH.slice(0, 9), 'DOWNLOAD_INSTALL_RESTART');
    uncouple();
    const stored = fs.readFileSync(path.join(real.root, '.fake/unified.log'), 'utf8').trimEnd().split('\n');
    expect(dedupe(summary(stored))).toEqual(['idle', 'ack:ScheduleOSUpdateScan', 'idle', 'ack:AvailableOSUpdates']);
    expect(stored.every((line) => parseLogLine(line)?.subsystem === 'com.apple.ManagedClient')).toBe(true);
  });
});
