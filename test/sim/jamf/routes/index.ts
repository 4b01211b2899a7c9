import type { Route } from '../router';
import { accountRoutes } from './accounts';
import { apiIntegrationRoutes } from './apiIntegrations';
import { authRoutes } from './auth';
import { classicRoutes } from './classic';
import { fleetPolicyRoutes } from '../fleetPolicies';
import { inventoryRoutes } from './inventory';
import { msuRoutes } from './msu';
import { planRoutes } from './plans';
import { versionRoutes } from './version';

/** Every endpoint the simulator serves (each gated by the configured server version). */
export const allRoutes: Route[] = [
  ...authRoutes,
  ...versionRoutes,
  ...inventoryRoutes,
  ...msuRoutes,
  ...planRoutes,
  ...accountRoutes,
  ...apiIntegrationRoutes,
  ...classicRoutes,
  ...fleetPolicyRoutes,
];
