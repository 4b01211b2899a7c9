import type { BootstrapCheck } from '../workflow/preconditions';

export interface ReescrowDeps {
  mdmReachable(): Promise<boolean>;
  escrow(user: string, password: string): Promise<{ ok: boolean; message: string }>;
  checkBootstrap(): Promise<BootstrapCheck>;
}

/**
 * Escrows the bootstrap token again with the credentials of the user who just authenticated
 * (seed: "Bootstrap Token Validation and Re-Escrow"): only an administrator with a secure token
 * can, and only while the MDM service is reachable; afterwards the token is checked again.
 * Each unmet condition is named.
 */
export async function reescrowBootstrap(deps: ReescrowDeps, user: { name: string; admin: boolean; volumeOwner: boolean; password: string } | null): Promise<{ ok: true } | { ok: false; unmet: string[] }> {
  const unmet: string[] = [];
  if (!user) unmet.push('no user authenticated');
  else {
    if (!user.admin) unmet.push(`${user.name} is not an administrator`);
    if (!user.volumeOwner) unmet.push(`${user.name} has no secure token`);
  }
  if (!(await deps.mdmReachable())) unmet.push('the MDM service (Jamf Pro) is not reachable');
  if (unmet.length > 0 || !user) return { ok: false, unmet };
  const escrow = await deps.escrow(user.name, user.password);
  if (!escrow.ok) return { ok: false, unmet: [`profiles install -type bootstraptoken failed: ${escrow.message}`] };
  const again = await deps.checkBootstrap();
  if (!again.escrowed || again.valid === false) return { ok: false, unmet: ['the bootstrap token is still not escrowed and valid after re-escrow'] };
  return { ok: true };
}
