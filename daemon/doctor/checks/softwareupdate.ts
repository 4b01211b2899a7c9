import { listSoftwareUpdates } from '../../host/softwareupdate';
import { capture } from './capture';
import { confirmed, differs, type DoctorCheck } from '../types';

/** The catalog scan can take minutes; past this the check is skipped (superd itself waits 10). */
const LIST_BOUND_MS = 4 * 60_000;

export const softwareupdateListCheck: DoctorCheck = {
  id: 'softwareupdate-list',
  command: ['/usr/sbin/softwareupdate', '--list'],
  expected: '"* Label: …" lines each followed by a "Title: …, Version: …" line, or "No new software available."',
  boundMs: LIST_BOUND_MS,
  async run(ctx) {
    const c = capture(ctx.run);
    const updates = await listSoftwareUpdates(c.run, ctx.signal);
    const text = c.text();
    const labels = (text.match(/^\*\s*Label:/gm) ?? []).length;
    if (labels === 0) {
      // The parser returns nothing for any text; only this sentence says "nothing offered" (reference/macos-commands.md §6.1).
      if (/No new software available\./.test(text)) return confirmed('no update offered');
      return differs('neither "* Label:" lines nor "No new software available.": superd cannot tell what is offered');
    }
    const unread = updates.filter((u) => u.version === '');
    if (updates.length !== labels || unread.length > 0) return differs(`superd read ${updates.length - unread.length} of ${labels} updates with a version`);
    return confirmed(`${updates.length} update(s): ${updates.map((u) => `${u.title} ${u.version}`).join('; ')}`);
  },
};
