/** The production steps of a run, one module each, by the machine's actor names. */
import { authenticateUser } from './authenticateUser';
import { checkHost } from './checkHost';
import { checkPreconditions } from './checkPreconditions';
import { chooseWorkflow } from './chooseWorkflow';
import { decideRecovery } from './decideRecovery';
import { describePush } from './describePush';
import { findTarget } from './findTarget';
import { installLocally } from './installLocally';
import { pushUpdate } from './pushUpdate';
import { reescrowBootstrap } from './reescrowBootstrap';
import { resolveComputer } from './resolveComputer';
import { scheduleRetry } from './scheduleRetry';
import { selectAuth } from './selectAuth';
import type { RunSteps } from './step';
import { validateCredentials } from './validateCredentials';
import { verifyUpdate } from './verifyUpdate';

export type { RunSteps, Step } from './step';

export const runSteps: RunSteps = {
  checkHost,
  findTarget,
  selectAuth,
  validateCredentials,
  resolveComputer,
  checkPreconditions,
  chooseWorkflow,
  pushUpdate,
  verifyUpdate,
  installLocally,
  decideRecovery,
  authenticateUser,
  reescrowBootstrap,
  scheduleRetry,
  describePush,
};
