import {
  AlreadyRunningError, AuthError, CommandAbortedError, CommandError, CommandNotFoundError, CommandTimeoutError, ConfigError,
  InternalError, JamfAuthError, JamfEndpointUnavailableError, JamfHttpError, JamfPrivilegeError, JamfResponseError,
  JamfTargetError, JamfUnreachableError, LockError, StepFailedError, SuperdError, UsageError,
} from '../daemon/errors';
import { exitStatusFor, exitStatusForHeartbeat, exitStatusForOutcome } from '../daemon/exitStatus';

describe('typed errors: stable codes, names, and one mapping to exit statuses', () => {
  test.each([
    [new ConfigError([{ subject: '--x', message: 'bad' }], 'options'), 'SUPERD_ERR_CONFIG', 'ConfigError', 64],
    [new ConfigError([{ subject: 'K', message: 'bad' }], 'configuration'), 'SUPERD_ERR_CONFIG', 'ConfigError', 78],
    [new CommandError('/usr/bin/profiles', 1, 'boom'), 'SUPERD_ERR_COMMAND', 'CommandError', 75],
    [new CommandNotFoundError('/usr/bin/sw_vers'), 'SUPERD_ERR_COMMAND_NOT_FOUND', 'CommandNotFoundError', 78],
    [new CommandTimeoutError('/usr/bin/log', 10), 'SUPERD_ERR_COMMAND_TIMEOUT', 'CommandTimeoutError', 75],
    [new CommandAbortedError('/usr/bin/log'), 'SUPERD_ERR_COMMAND_ABORTED', 'CommandAbortedError', 75],
    [new JamfHttpError('POST', '/api/v1/x', 500, 'server error'), 'SUPERD_ERR_JAMF_HTTP', 'JamfHttpError', 75],
    [new JamfPrivilegeError('GET', 'api/v1/x', ['Read Computers'], 'needs Read Computers'), 'SUPERD_ERR_JAMF_PRIVILEGE', 'JamfPrivilegeError', 77],
    [new JamfEndpointUnavailableError('GET', 'api/v4/x', '11.26.1', { since: '11.30.0' }, 'too old'), 'SUPERD_ERR_JAMF_ENDPOINT_UNAVAILABLE', 'JamfEndpointUnavailableError', 78],
    [new JamfAuthError('rejected', 401), 'SUPERD_ERR_JAMF_AUTH', 'JamfAuthError', 77],
    [new JamfUnreachableError('no route'), 'SUPERD_ERR_JAMF_UNREACHABLE', 'JamfUnreachableError', 75],
    [new AuthError('wrong-password', 'The password for account x is not valid'), 'SUPERD_ERR_AUTH', 'AuthError', 77],
    [new UsageError('unknown command'), 'SUPERD_ERR_CONFIG', 'UsageError', 64],
    [new AlreadyRunningError(123, '/x/superd.lock'), 'SUPERD_ERR_ALREADY_RUNNING', 'AlreadyRunningError', 69],
    [new LockError('could not take it'), 'SUPERD_ERR_LOCK', 'LockError', 75],
    [new JamfResponseError('POST', 'api/v1/x', 'no plan id'), 'SUPERD_ERR_JAMF_RESPONSE', 'JamfResponseError', 75],
    [new JamfTargetError('no such account'), 'SUPERD_ERR_JAMF_TARGET', 'JamfTargetError', 77],
    [new StepFailedError('resolve-target'), 'SUPERD_ERR_STEP_FAILED', 'StepFailedError', 70],
    [new InternalError('bug'), 'SUPERD_ERR_INTERNAL', 'InternalError', 70],
    [new SuperdError('plain'), 'SUPERD_ERR', 'SuperdError', 70],
  ])('%s', (error, code, name, status) => {
    expect(error).toBeInstanceOf(SuperdError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(exitStatusFor(error)).toBe(status);
  });

  test('anything that is not a SuperdError is an internal error', () => {
    expect(exitStatusFor(new TypeError('x'))).toBe(70);
    expect(exitStatusFor('string')).toBe(70);
  });

  test('run outcomes and heartbeat statuses map to exit statuses in the same module', () => {
    expect(exitStatusForOutcome({ result: 'up-to-date' })).toBe(0);
    expect(exitStatusForOutcome({ result: 'verified' })).toBe(0);
    expect(exitStatusForOutcome({ result: 'deferred' })).toBe(75);
    expect(exitStatusForOutcome({ result: 'failed', needs: 'credentials' })).toBe(77);
    expect(exitStatusForOutcome({ result: 'failed', needs: 'configuration' })).toBe(78);
    expect(exitStatusForOutcome({ result: 'crashed' })).toBe(70);
    expect(['Success', 'UnableToConnect', 'UnknownError', 'Failed', 'AccountLockedOut', 'InsufficientPrivileges'].map(exitStatusForHeartbeat)).toEqual([0, 75, 70, 77, 77, 77]);
  });

  test('a ConfigError message lists every issue', () => {
    const e = new ConfigError([{ subject: '--a', message: 'one' }, { subject: 'B', message: 'two' }], 'options');
    expect(e.message).toBe('--a: one\nB: two');
  });

  test('a CommandError message quotes the first stderr line', () => {
    expect(new CommandError('/usr/bin/x', 2, '\n  first line\nsecond').message).toBe('/usr/bin/x failed with exit status 2: first line');
  });
});
