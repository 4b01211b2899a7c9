'use strict';
// /usr/libexec/mdmclient QueryDeviceInformation | AvailableOSUpdates (reference §5).

const { osMajor, compareOs } = require('./context.js');
const { describe } = require('./openstep.js');
const { hardware } = require('./hardware.js');
const { updateFacts } = require('./updates.js');

function eacsPreflight(w) {
  if (w.eacsPreflight !== undefined) return w.eacsPreflight; // explicit override (null = key missing)
  if (compareOs(w, '13.3') < 0) return null; // key exists from 13.3 (reference §5.1)
  const b = w.bootstrap;
  if (w.enrollment.enrolled && b.supported && b.escrowed && b.valid !== false) return 'success';
  return 'Unable to get Bootstrap Token <(null):0> ((null))';
}

function queryResponses(w) {
  const hw = hardware(w);
  const r = {
    AvailableDeviceCapacity: '401.82',
    BuildVersion: w.macOS.buildVersion,
    DeviceCapacity: '460.43',
    DeviceName: w.computerName,
    IsSupervised: w.enrollment.dep ? 1 : 0,
    Model: w.model,
    ModelName: hw.name,
    OSVersion: w.macOS.productVersion,
    ProductName: w.model,
    SerialNumber: w.serialNumber,
    UDID: w.hardwareUUID,
  };
  const eacs = eacsPreflight(w);
  if (eacs !== null) r.EACSPreflight = eacs;
  if (compareOs(w, '13.4') >= 0) r.IsDefaultCatalog = w.betaCatalog ? 0 : 1;
  if (w.macOS.productVersionExtra) {
    r.SupplementalBuildVersion = w.macOS.buildVersion;
    r.SupplementalOSVersionExtra = w.macOS.productVersionExtra;
  }
  if (osMajor(w) < 27) {
    // Reported removed on the macOS 27 beta (unconfirmed, reference §5.1).
    r.OSUpdateSettings = { AutoCheckEnabled: 1, AutomaticAppInstallationEnabled: 0, AutomaticOSInstallationEnabled: 0, BackgroundDownloadEnabled: 1, CatalogURL: w.betaCatalog ? 'https://swscan.apple.com/content/catalogs/others/index-26seed-26-15-14-13-12-10.16-10.15-10.14-10.13-10.12-10.11-10.10-10.9-mountainlion-lion-snowleopard-leopard.merged-1.sucatalog.gz' : 'https://swscan.apple.com/content/catalogs/others/index-26-15-14-13-12-10.16-10.15-10.14-10.13-10.12-10.11-10.10-10.9-mountainlion-lion-snowleopard-leopard.merged-1.sucatalog.gz', IsDefaultCatalog: w.betaCatalog ? 0 : 1, PerformPeriodicCheck: 1 };
  }
  return r;
}

function pad(label) {
  return `${label}:`.padEnd(27, ' ');
}

/** Format A block (label column 28 per the mdmclient format strings, reference §5.2). */
function itemBlock(item, facts) {
  const yn = (v) => (v ? 'YES' : 'NO');
  return '=== OS Update Item ===\n' +
    `${pad('Product Key')}${facts.ProductKey}\n` +
    `${pad('Title')}${facts.HumanReadableName}\n` +
    `${pad('Version')}${facts.Version} <Build: ${facts.Build || '(null)'}> <PMV: (null)>\n` +
    `${pad('Deferred')}${facts.DeferredUntil ? 'YES' : 'NO'}  (Date: ${facts.DeferredUntil || '(null)'})\n` +
    `${pad('Critical')}${yn(facts.IsCritical)}\n` +
    `${pad('ConfigData')}${yn(facts.IsConfigDataUpdate)}\n` +
    `${pad('FirmwareUpdate')}${yn(facts.IsFirmwareUpdate)}\n` +
    `${pad('Allows InstalLater')}${yn(facts.AllowsInstallLater)}\n` +
    `${pad('Download size')}${facts.DownloadSize}\n` +
    `${pad('MSU')}${yn(String(facts.ProductKey).startsWith('MSU_UPDATE_'))}  (Major: ${yn(facts.IsMajorOSUpdate)}  Full: NO  DL: ${yn(item.downloaded)}  label: ${item.label})\n` +
    `${pad('Apps to close')}(null)\n` +
    '======================\n';
}

function showFormatA(w) {
  if (w.mdmclientFormat === 'A+B') return true;
  if (w.mdmclientFormat === 'B') return false;
  return compareOs(w, '26.2') <= 0; // seen through 26.2, absent on 26.5 (reference §5.2)
}

async function mdmclient(ctx) {
  const w = ctx.world;
  const verb = ctx.argv[0];
  if (verb === 'QueryDeviceInformation') {
    ctx.out(`Daemon response: ${describe({ QueryResponses: queryResponses(w) }, 0)}\n`);
    return 0;
  }
  if (verb === 'AvailableOSUpdates' && osMajor(w) < 27 && w.mdmclientAvailableOSUpdates === 'hang') {
    // A Mac whose softwareupdated does not answer: mdmclient prints nothing until it is killed
    // (super's get_mdmclient_list() waits 120 s for `Available updates`, then kill -9).
    ctx.record();
    return new Promise(() => setInterval(() => undefined, 60_000));
  }
  if (verb === 'AvailableOSUpdates' && osMajor(w) < 27) {
    const items = w.availableUpdates.map((item) => ({ item, facts: updateFacts(w, item) }));
    let text = '';
    if (showFormatA(w)) text += items.map(({ item, facts }) => itemBlock(item, facts)).join('');
    if (osMajor(w) >= 14) text += (w.fullInstallers || []).map(() => 'Ignoring IA-based installer\n').join('');
    // Empty-list rendering is unconfirmed (reference §5.2).
    text += `Available updates (install debug profile for more details): ${describe(items.map(({ facts }) => facts), 0)}\n`;
    ctx.out(text);
    return 0;
  }
  // Unknown verbs (and AvailableOSUpdates on the macOS 27 beta, super issue #404): wording and
  // exit status unconfirmed.
  ctx.err(`mdmclient: Unknown command: ${verb === undefined ? '' : verb}\n`);
  return 1;
}

module.exports = { mdmclient, queryResponses };
