/**
 * Jamf Pro simulator for superd's tests and demos: an HTTPS server on
 * 127.0.0.1 that answers the Jamf Pro API and Classic API endpoints superd
 * uses, with Jamf Pro's bodies, status codes, privileges and errors.
 */
export { startJamfSim, type JamfSim, type JamfSimOptions } from './server';
export type { SimControl, AccountInput, ClientInput, ClientCredentials } from './control';
export type { RequestLogEntry } from './requestLog';
export type { FaultSpec, FaultHandle, FaultAction, FaultMatch } from './faults';
export { faultBodies, STATUS_PAGE_HTML } from './faultBodies';
export type { PlanEvent, PlannedFailure } from './plans';
export type { Plan, PlanState } from './planModel';
export type { Account, ApiClient, ApiRole, Computer, ComputerInput, SimSettings } from './state';
export { PRIVILEGE_CATALOGUE, SUPERD_PRIVILEGES } from './privileges';
export { seedStandardFixtures, type StandardFixtures } from './fixtures';
