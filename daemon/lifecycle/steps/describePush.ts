import { pushRequest } from '../../workflow/pushUpdate';
import { pushIntent } from './pushIntent';
import type { Step } from './step';

/**
 * TestMode: the exact request the push would send (a plan or the legacy endpoint), printed
 * and logged; nothing is sent to Jamf Pro, nothing restarts.
 */
export const describePush: Step<'describePush'> = async (session, input) => {
  const intent = pushIntent(session, input.installNow);
  const request = pushRequest({ workflow: input.workflow, computer: input.computer, target: input.target, now: session.deps.now, intent });
  const text = `${request.method} ${request.path} ${JSON.stringify(request.body)}`;
  session.deps.log.info('TestMode: nothing was sent; this is the request superd would send', { request: text, intent: intent.kind, ...('why' in intent ? { why: intent.why } : {}) });
  return text;
};
