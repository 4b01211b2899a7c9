import { isoMs, isoSeconds } from '../clock';
import type { FieldGetters } from '../rsql';
import type { Computer } from '../state';
import { compareVersions } from '../version';

/** API generation of the computers-inventory endpoints (reference §3.1). */
export type InventoryApi = 1 | 2 | 3 | 4;

const COMMON_SECTIONS = [
  'GENERAL', 'DISK_ENCRYPTION', 'PURCHASING', 'APPLICATIONS', 'STORAGE', 'USER_AND_LOCATION', 'CONFIGURATION_PROFILES',
  'PRINTERS', 'SERVICES', 'HARDWARE', 'LOCAL_USER_ACCOUNTS', 'CERTIFICATES', 'ATTACHMENTS', 'PACKAGE_RECEIPTS', 'SECURITY',
  'OPERATING_SYSTEM', 'LICENSED_SOFTWARE', 'IBEACONS', 'SOFTWARE_UPDATES', 'EXTENSION_ATTRIBUTES', 'CONTENT_CACHING', 'GROUP_MEMBERSHIPS',
] as const;

export function sectionsFor(api: InventoryApi): string[] {
  return api === 1 ? [...COMMON_SECTIONS, 'PLUGINS', 'FONTS'] : [...COMMON_SECTIONS];
}

const KEY: Record<string, string> = {
  GENERAL: 'general', DISK_ENCRYPTION: 'diskEncryption', PURCHASING: 'purchasing', APPLICATIONS: 'applications', STORAGE: 'storage',
  USER_AND_LOCATION: 'userAndLocation', CONFIGURATION_PROFILES: 'configurationProfiles', PRINTERS: 'printers', SERVICES: 'services',
  HARDWARE: 'hardware', LOCAL_USER_ACCOUNTS: 'localUserAccounts', CERTIFICATES: 'certificates', ATTACHMENTS: 'attachments',
  PLUGINS: 'plugins', PACKAGE_RECEIPTS: 'packageReceipts', FONTS: 'fonts', SECURITY: 'security', OPERATING_SYSTEM: 'operatingSystem',
  LICENSED_SOFTWARE: 'licensedSoftware', IBEACONS: 'ibeacons', SOFTWARE_UPDATES: 'softwareUpdates', EXTENSION_ATTRIBUTES: 'extensionAttributes',
  CONTENT_CACHING: 'contentCaching', GROUP_MEMBERSHIPS: 'groupMemberships',
};

const YEAR = 365 * 86_400_000;

function general(c: Computer, api: InventoryApi, serverVersion: string): Record<string, unknown> {
  const contact = isoMs(c.lastContact);
  const g: Record<string, unknown> = {
    name: c.name,
    lastIpAddress: c.ipAddress,
    ...(api < 4 ? { lastReportedIp: c.ipAddress } : {}),
    lastReportedIpV4: c.ipAddress,
    lastReportedIpV6: null,
    jamfBinaryVersion: c.jamfBinaryVersion,
    platform: 'Mac',
    barcode1: null,
    barcode2: null,
    assetTag: null,
    remoteManagement: { managed: c.managed, managementUsername: null },
    supervised: c.supervised,
    mdmCapable: { capable: c.mdmCapable, capableUsers: [c.username], userManagementInfo: [{ capableUser: c.username, managementId: c.managementId }] },
    reportDate: isoMs(c.reportDate),
    ...(api < 4 ? { lastContactTime: contact } : { lastCheckIn: contact, lastContact: contact }),
    lastCloudBackupDate: null,
    lastEnrolledDate: isoMs(c.lastEnrolledDate),
    mdmProfileExpiration: isoSeconds(c.lastEnrolledDate + 2 * YEAR),
    initialEntryDate: isoMs(c.lastEnrolledDate).slice(0, 10),
    distributionPoint: null,
    enrollmentMethod: { id: '1', objectName: 'Default PreStage', objectType: 'Automated Device Enrollment' },
    site: { id: '-1', name: 'None' },
    itunesStoreAccountActive: false,
    enrolledViaAutomatedDeviceEnrollment: true,
    userApprovedMdm: true,
    declarativeDeviceManagementEnabled: c.declarativeDeviceManagementEnabled,
    extensionAttributes: [],
    managementId: c.managementId,
    lastLoggedInUsernameSelfService: null,
    lastLoggedInUsernameSelfServiceTimestamp: null,
    lastLoggedInUsernameBinary: c.username,
    lastLoggedInUsernameBinaryTimestamp: contact,
  };
  // First seen in the 11.30.0 schema (absent from 11.26.1).
  if (compareVersions(serverVersion, '11.30.0') >= 0) {
    g.lastLoggedInUsernameMdm = c.username;
    g.lastLoggedInUsernameMdmTimestamp = contact;
  }
  return g;
}

function hardware(c: Computer): Record<string, unknown> {
  return {
    make: 'Apple',
    model: c.model,
    modelIdentifier: c.modelIdentifier,
    serialNumber: c.serialNumber,
    processorSpeedMhz: c.appleSilicon ? 0 : 2300,
    processorCount: 1,
    coreCount: 8,
    processorType: c.appleSilicon ? 'Apple M2' : 'Intel Core i7',
    processorArchitecture: c.appleSilicon ? 'arm64' : 'x86_64',
    busSpeedMhz: 0,
    cacheSizeKilobytes: 0,
    networkAdapterType: 'IEEE80211',
    macAddress: c.macAddress,
    altNetworkAdapterType: null,
    altMacAddress: null,
    totalRamMegabytes: 16_384,
    openRamSlots: 0,
    batteryCapacityPercent: 92,
    batteryHealth: 'NORMAL',
    smcVersion: null,
    nicSpeed: 'N/A',
    opticalDrive: null,
    bootRom: '11881.140.96',
    bleCapable: true,
    supportsIosAppInstalls: c.appleSilicon,
    appleSilicon: c.appleSilicon,
    provisioningUdid: null,
    extensionAttributes: [],
  };
}

function storage(c: Computer): Record<string, unknown> {
  const size = 494_384;
  return {
    bootDriveAvailableSpaceMegabytes: c.bootDriveAvailableSpaceMegabytes,
    disks: [
      {
        id: String(c.id * 10),
        device: 'disk0',
        model: 'APPLE SSD AP0512Z',
        revision: '1349.140.',
        serialNumber: `0ba0${c.serialNumber.toLowerCase()}`,
        sizeMegabytes: size,
        smartStatus: 'Verified',
        type: 'SSD',
        partitions: [
          {
            name: 'Macintosh HD (Boot Partition)',
            sizeMegabytes: size,
            availableMegabytes: c.bootDriveAvailableSpaceMegabytes,
            partitionType: 'BOOT',
            percentUsed: Math.round(100 - (100 * c.bootDriveAvailableSpaceMegabytes) / size),
            fileVault2State: 'ENCRYPTED',
            fileVault2ProgressPercent: null,
            lvmManaged: false,
          },
        ],
      },
    ],
  };
}

function sectionValue(c: Computer, section: string, api: InventoryApi, serverVersion: string): unknown {
  switch (section) {
    case 'GENERAL': return general(c, api, serverVersion);
    case 'HARDWARE': return hardware(c);
    case 'STORAGE': return storage(c);
    case 'OPERATING_SYSTEM':
      return {
        name: 'macOS', version: c.osVersion, build: c.osBuild, supplementalBuildVersion: null, rapidSecurityResponse: null,
        activeDirectoryStatus: 'Not Bound', fileVault2Status: 'ALL_ENCRYPTED', softwareUpdateDeviceId: c.softwareUpdateDeviceId, extensionAttributes: [],
      };
    case 'SECURITY':
      return {
        sipStatus: 'ENABLED', gatekeeperStatus: 'APP_STORE_AND_IDENTIFIED_DEVELOPERS', xprotectVersion: '5321', autoLoginDisabled: true,
        remoteDesktopEnabled: false, activationLockEnabled: false, recoveryLockEnabled: false, firewallEnabled: true,
        secureBootLevel: c.appleSilicon ? 'FULL_SECURITY' : 'NOT_SUPPORTED', externalBootLevel: c.appleSilicon ? 'NOT_SUPPORTED' : 'DISALLOW_BOOTING_FROM_EXTERNAL_MEDIA',
        bootstrapTokenAllowed: true, bootstrapTokenEscrowedStatus: c.bootstrapTokenEscrowed ? 'ESCROWED' : 'NOT_ESCROWED',
        lastAttestationAttempt: null, lastSuccessfulAttestation: null, attestationStatus: 'PENDING',
      };
    case 'DISK_ENCRYPTION':
      return {
        bootPartitionEncryptionDetails: { partitionName: 'Macintosh HD (Boot Partition)', partitionFileVault2State: 'ENCRYPTED', partitionFileVault2Percent: 100 },
        individualRecoveryKeyValidityStatus: 'VALID', institutionalRecoveryKeyPresent: false, diskEncryptionConfigurationName: null,
        fileVault2Enabled: true, fileVault2EnabledUserNames: [c.username], fileVault2EligibilityMessage: 'Eligible',
      };
    case 'PURCHASING':
      return {
        leased: false, purchased: true, poNumber: null, poDate: null, vendor: null, warrantyDate: null, appleCareId: null, leaseDate: null,
        purchasePrice: null, lifeExpectancy: 0, purchasingAccount: null, purchasingContact: null, extensionAttributes: [],
      };
    case 'USER_AND_LOCATION':
      return { username: c.username, realname: null, email: null, position: null, phone: null, departmentId: '-1', buildingId: '-1', room: null, extensionAttributes: [] };
    case 'PACKAGE_RECEIPTS':
      return { installedByJamfPro: [], installedByInstallerSwu: [], cached: [] };
    case 'CONTENT_CACHING':
      return null;
    case 'GROUP_MEMBERSHIPS':
      return [{ groupId: '1', groupName: 'All Managed Clients', groupDescription: null, smartGroup: true }];
    default:
      return [];
  }
}

/** A ComputerInventory object for API generation `api`; sections not requested are present as null (reference §3.2). */
export function renderComputer(c: Computer, api: InventoryApi, sections: readonly string[], serverVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: String(c.id), udid: c.udid };
  for (const s of sectionsFor(api)) out[KEY[s] as string] = sections.includes(s) ? sectionValue(c, s, api, serverVersion) : null;
  return out;
}

/** Fields the inventory `filter` and `sort` accept (a subset of the documented list, plus everything superd uses). */
export function inventoryFields(api: InventoryApi): FieldGetters<Computer> {
  const f: FieldGetters<Computer> = {
    id: (c) => c.id,
    udid: (c) => c.udid,
    'general.name': (c) => c.name,
    'general.managementId': (c) => c.managementId,
    'general.supervised': (c) => c.supervised,
    'general.platform': () => 'Mac',
    'general.jamfBinaryVersion': (c) => c.jamfBinaryVersion,
    'general.mdmCapable.capable': (c) => c.mdmCapable,
    'general.remoteManagement.managed': (c) => c.managed,
    'general.declarativeDeviceManagementEnabled': (c) => c.declarativeDeviceManagementEnabled,
    'general.reportDate': (c) => isoMs(c.reportDate),
    'general.lastIpAddress': (c) => c.ipAddress,
    'hardware.serialNumber': (c) => c.serialNumber,
    'hardware.appleSilicon': (c) => c.appleSilicon,
    'hardware.model': (c) => c.model,
    'hardware.modelIdentifier': (c) => c.modelIdentifier,
    'hardware.macAddress': (c) => c.macAddress,
    'operatingSystem.version': (c) => c.osVersion,
    'operatingSystem.build': (c) => c.osBuild,
    'userAndLocation.username': (c) => c.username,
  };
  if (api < 4) f['general.lastContactTime'] = (c) => isoMs(c.lastContact);
  else {
    f['general.lastContact'] = (c) => isoMs(c.lastContact);
    f['general.lastCheckIn'] = (c) => isoMs(c.lastContact);
  }
  return f;
}
