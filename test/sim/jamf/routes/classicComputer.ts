import type { Computer } from '../state';
import type { XmlValue } from '../xml';

type Doc = { [key: string]: XmlValue };

/** `2015-10-06 11:57:03`, `1444147023495`, `2015-10-06T11:57:03.495+0000` — the three Classic date fields. */
function dates(prefix: string, ms: number): Doc {
  const iso = new Date(ms).toISOString();
  return {
    [prefix]: iso.slice(0, 19).replace('T', ' '),
    [`${prefix}_epoch`]: ms,
    [`${prefix}_utc`]: iso.replace('Z', '+0000'),
  };
}

function general(c: Computer): Doc {
  return {
    id: c.id,
    name: c.name,
    network_adapter_type: 'IEEE80211',
    mac_address: c.macAddress,
    alt_network_adapter_type: '',
    alt_mac_address: '',
    ip_address: c.ipAddress,
    last_reported_ip: c.ipAddress,
    serial_number: c.serialNumber,
    udid: c.udid,
    jamf_version: c.jamfBinaryVersion,
    platform: 'Mac',
    barcode_1: '',
    barcode_2: '',
    asset_tag: '',
    remote_management: { managed: c.managed, management_username: '' },
    supervised: c.supervised,
    mdm_capable: c.mdmCapable,
    mdm_capable_users: { mdm_capable_user: c.username },
    management_status: { enrolled_via_dep: true, user_approved_enrollment: true, user_approved_mdm: true },
    ...dates('report_date', c.reportDate),
    ...dates('last_contact_time', c.lastContact),
    ...dates('initial_entry_date', c.lastEnrolledDate),
    ...dates('last_enrolled_date', c.lastEnrolledDate),
    distribution_point: '',
    sus: '',
    site: { id: -1, name: 'None' },
    itunes_store_account_is_active: false,
  };
}

function hardware(c: Computer): Doc {
  return {
    make: 'Apple',
    model: c.model,
    model_identifier: c.modelIdentifier,
    os_name: 'macOS',
    os_version: c.osVersion,
    os_build: c.osBuild,
    software_update_device_id: c.softwareUpdateDeviceId,
    active_directory_status: 'Not Bound',
    service_pack: '',
    processor_type: c.appleSilicon ? 'Apple M2' : 'Intel Core i7',
    is_apple_silicon: c.appleSilicon,
    processor_architecture: c.appleSilicon ? 'arm64' : 'x86_64',
    processor_speed: 0,
    processor_speed_mhz: 0,
    number_processors: 1,
    number_cores: 8,
    total_ram: 16384,
    total_ram_mb: 16384,
    boot_rom: '11881.140.96',
    bus_speed: 0,
    bus_speed_mhz: 0,
    battery_capacity: 92,
    cache_size: 0,
    cache_size_kb: 0,
    available_ram_slots: 0,
    optical_drive: '',
    nic_speed: 'n/a',
    smc_version: '',
    ble_capable: true,
    supports_ios_app_installs: c.appleSilicon,
    sip_status: 'Enabled',
    gatekeeper_status: 'App Store and identified developers',
    xprotect_version: '5321',
    institutional_recovery_key: 'Not Present',
    disk_encryption_configuration: '',
  };
}

const SUBSETS: Record<string, (c: Computer) => Doc> = {
  general,
  location: (c) => ({ username: c.username, realname: '', real_name: '', email_address: '', position: '', phone: '', phone_number: '', department: '', building: '', room: '' }),
  hardware,
  security: (c) => ({
    activation_lock: false,
    recovery_lock_enabled: false,
    secure_boot_level: c.appleSilicon ? 'full security' : 'not supported',
    external_boot_level: c.appleSilicon ? 'not supported' : 'allow booting from external media',
    firewall_enabled: true,
  }),
  extension_attributes: () => ({}),
  groups_accounts: () => ({ computer_group_memberships: { group: 'All Managed Clients' }, local_accounts: {} }),
};

/**
 * The Classic `<computer>` document (reference §3.4), whole or limited to
 * subsets (`General`, `Hardware`, `General&Hardware`...). Undefined for an
 * unknown subset name.
 */
export function classicComputer(c: Computer, subset?: string): Doc | undefined {
  const wanted = subset ? subset.split('&').map((s) => s.trim().toLowerCase()) : Object.keys(SUBSETS);
  const out: Doc = {};
  for (const name of wanted) {
    const render = SUBSETS[name];
    if (!render) return undefined;
    out[name] = render(c);
  }
  return out;
}
