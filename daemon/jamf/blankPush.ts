import { versionAtLeast } from '../version';
import type { JamfClient } from './jamfClient';

/**
 * Wakes the Mac to fetch its queued MDM commands: `POST /api/v2/mdm/blank-push` by management
 * id from Jamf Pro 11.28 (the Classic command was removed there), the Classic command before.
 */
export async function sendBlankPush(
  client: JamfClient,
  target: { computerId: string; managementId: string | null },
  serverVersion: string,
  signal?: AbortSignal,
): Promise<void> {
  if (versionAtLeast(serverVersion, '11.28.0')) {
    if (target.managementId === null) return;
    await client.request('POST', 'api/v2/mdm/blank-push', { json: { clientManagementIds: [target.managementId] }, signal });
    return;
  }
  await client.request('POST', `JSSResource/computercommands/command/BlankPush/id/${encodeURIComponent(target.computerId)}`, { accept: 'application/xml', signal });
}
