'use strict';
// Facts about configured updates shared by softwareupdate and mdmclient.

const { osMajor } = require('./context.js');

function isMacOSItem(item) {
  return /^macOS /.test(item.title) || /^macOS /.test(item.label);
}

/** The build at the end of a macOS label (`macOS Ventura 13.7.4-22H420` -> 22H420). */
function labelBuild(item) {
  if (item.build) return item.build;
  const match = /-(\d{2}[A-Z]\d+[a-z]?)$/.exec(item.label);
  return match ? match[1] : undefined;
}

/** The AvailableOSUpdates dictionary of one item (keys per reference §5.2); `item.mdm` overrides. */
function updateFacts(w, item) {
  const macos = isMacOSItem(item);
  const build = labelBuild(item);
  const major = Number(String(item.version).split('.')[0]) > osMajor(w);
  const facts = {
    AllowsInstallLater: macos ? 1 : 0,
    AppIdentifiersToClose: [],
    Build: build,
    DownloadSize: (item.sizeKiB || 0) * 1024,
    HumanReadableName: item.title,
    HumanReadableNameLocale: 'en-US',
    IsConfigDataUpdate: 0,
    IsCritical: 0,
    IsFirmwareUpdate: 0,
    IsMajorOSUpdate: major ? 1 : 0,
    IsSecurityResponse: /Security Response|\([a-z]\)/.test(`${item.title} ${item.version}`) ? 1 : 0,
    ProductKey: item.productKey || (macos && build ? `MSU_UPDATE_${build}_patch_${item.version}_${major ? 'major' : 'minor'}` : item.label),
    RequiresBootstrapToken: macos && w.appleSilicon ? 1 : 0,
    RestartRequired: item.restart ? 1 : 0,
    SupplementalBuildVersion: build,
    Version: item.version,
  };
  for (const [key, value] of Object.entries(item.mdm || {})) {
    if (value === null) delete facts[key];
    else facts[key] = value;
  }
  return facts;
}

module.exports = { isMacOSItem, labelBuild, updateFacts };
