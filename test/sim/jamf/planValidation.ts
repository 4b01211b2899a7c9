import { cause, isRecord, type ApiErrorCause } from './http';
import { OBJECT_TYPES, UPDATE_ACTIONS, VERSION_TYPES, parseLocalDateTime, type ObjectType, type PlanConfig } from './planModel';

export interface PlanRequest {
  devices: { deviceId: string; objectType: ObjectType }[];
  config: PlanConfig;
}

const NOT_NULL = 'must not be null';
const enumMessage = (value: unknown, allowed: readonly string[]): string => `Invalid value '${String(value)}', possible values can be [ ${allowed.join(', ')} ]`;

function enumField<T extends string>(errors: ApiErrorCause[], value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined || value === null) {
    errors.push(cause('INVALID_FIELD', NOT_NULL, field));
    return undefined;
  }
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    errors.push(cause('INVALID_FIELD', enumMessage(value, allowed), field));
    return undefined;
  }
  return value as T;
}

/**
 * Validates a ManagedSoftwareUpdatePlanPost (OpenAPI request schema plus the
 * conditional rules of reference §4.6). Returns every violation, as Bean
 * Validation does, or the normalised request.
 */
export function validatePlanPost(body: unknown, customVersionEnabled: boolean): { ok: true; value: PlanRequest } | { ok: false; errors: ApiErrorCause[] } {
  const errors: ApiErrorCause[] = [];
  if (!isRecord(body)) return { ok: false, errors: [cause('INVALID_FIELD', 'Request body must be a JSON object', null)] };
  const devices: PlanRequest['devices'] = [];
  const rawDevices = body.devices;
  if (rawDevices === undefined || rawDevices === null) errors.push(cause('INVALID_FIELD', NOT_NULL, 'devices'));
  else if (!Array.isArray(rawDevices)) errors.push(cause('INVALID_FIELD', 'must be an array', 'devices'));
  else if (rawDevices.length === 0) errors.push(cause('INVALID_FIELD', 'size must be between 1 and 2147483647', 'devices'));
  else {
    rawDevices.forEach((d: unknown, i) => {
      const field = `devices[${i}]`;
      if (!isRecord(d)) return errors.push(cause('INVALID_FIELD', NOT_NULL, field));
      const id = typeof d.deviceId === 'number' ? String(d.deviceId) : d.deviceId;
      if (typeof id !== 'string' || id.trim() === '') errors.push(cause('INVALID_FIELD', 'must not be blank', `${field}.deviceId`));
      const type = enumField(errors, d.objectType, OBJECT_TYPES, `${field}.objectType`);
      if (typeof id === 'string' && id.trim() !== '' && type) devices.push({ deviceId: id, objectType: type });
      return undefined;
    });
    const keys = devices.map((d) => `${d.objectType}:${d.deviceId}`);
    if (new Set(keys).size !== keys.length) errors.push(cause('INVALID_FIELD', 'must only contain unique elements', 'devices'));
  }

  const c = body.config;
  if (!isRecord(c)) {
    errors.push(cause('INVALID_FIELD', NOT_NULL, 'config'));
    return { ok: false, errors };
  }
  const updateAction = enumField(errors, c.updateAction, UPDATE_ACTIONS, 'config.updateAction');
  const versionType = enumField(errors, c.versionType, VERSION_TYPES, 'config.versionType');
  let maxDeferrals = 0;
  if (c.maxDeferrals !== undefined && c.maxDeferrals !== null) {
    if (typeof c.maxDeferrals !== 'number' || !Number.isInteger(c.maxDeferrals)) errors.push(cause('INVALID_FIELD', 'must be an integer', 'config.maxDeferrals'));
    else if (c.maxDeferrals < 0) errors.push(cause('INVALID_FIELD', 'must be greater than or equal to 0', 'config.maxDeferrals'));
    else maxDeferrals = c.maxDeferrals;
  } else if (updateAction === 'DOWNLOAD_INSTALL_ALLOW_DEFERRAL') {
    errors.push(cause('INVALID_FIELD', 'maxDeferrals is required when updateAction is DOWNLOAD_INSTALL_ALLOW_DEFERRAL', 'config.maxDeferrals'));
  }
  let specificVersion = 'NO_SPECIFIC_VERSION';
  if (c.specificVersion !== undefined && c.specificVersion !== null) {
    if (typeof c.specificVersion !== 'string') errors.push(cause('INVALID_FIELD', 'must be a string', 'config.specificVersion'));
    else if (c.specificVersion !== '') specificVersion = c.specificVersion;
  }
  if ((versionType === 'SPECIFIC_VERSION' || versionType === 'CUSTOM_VERSION') && specificVersion === 'NO_SPECIFIC_VERSION') {
    errors.push(cause('INVALID_FIELD', `specificVersion is required when versionType is ${versionType}`, 'config.specificVersion'));
  }
  if (versionType === 'CUSTOM_VERSION' && !customVersionEnabled) {
    errors.push(cause('INVALID_FIELD', 'CUSTOM_VERSION is not enabled on this server', 'config.versionType'));
  }
  let buildVersion: string | null = null;
  if (c.buildVersion !== undefined && c.buildVersion !== null) {
    if (typeof c.buildVersion !== 'string') errors.push(cause('INVALID_FIELD', 'must be a string', 'config.buildVersion'));
    else if (versionType !== 'CUSTOM_VERSION') errors.push(cause('INVALID_FIELD', 'buildVersion can only be used with versionType CUSTOM_VERSION', 'config.buildVersion'));
    else buildVersion = c.buildVersion;
  }
  let force: string | null = null;
  if (c.forceInstallLocalDateTime !== undefined && c.forceInstallLocalDateTime !== null) {
    if (typeof c.forceInstallLocalDateTime !== 'string' || parseLocalDateTime(c.forceInstallLocalDateTime) === undefined) {
      errors.push(cause('INVALID_FIELD', "must match the format yyyy-MM-dd'T'HH:mm:ss", 'config.forceInstallLocalDateTime'));
    } else force = c.forceInstallLocalDateTime;
  }
  if (errors.length > 0 || !updateAction || !versionType) return { ok: false, errors };
  return {
    ok: true,
    value: { devices, config: { updateAction, versionType, specificVersion, buildVersion, maxDeferrals, forceInstallLocalDateTime: force } },
  };
}
