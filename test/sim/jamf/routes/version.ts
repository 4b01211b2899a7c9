import type { Route } from '../router';

/** Version and health (reference §2). */
export const versionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/api/v1/jamf-pro-version',
    api: 'pro',
    handler: (ctx) => ({ status: 200, json: { version: ctx.core.version } }),
  },
  {
    method: 'GET',
    path: '/JSSCheckConnection',
    api: 'open',
    handler: (ctx) => ({ status: 200, text: ctx.core.version, contentType: 'text/plain;charset=UTF-8' }),
  },
  { method: 'GET', path: '/api/v1/health-check', api: 'open', handler: () => ({ status: 204 }) },
  {
    method: 'GET',
    path: '/api/startup-status',
    api: 'open',
    handler: () => ({
      status: 200,
      json: {
        step: 'SERVER_INIT_COMPLETE',
        stepCode: 'SERVER_INIT_COMPLETE',
        stepParam: null,
        percentage: 100,
        warning: null,
        warningCode: null,
        warningParam: null,
        error: null,
        errorCode: null,
        setupAssistantNecessary: false,
      },
    }),
  },
];
