import { OpenApiDoc, haveOpenApi } from '../sim/jamf/oasCheck';
import type { RunWorld } from './runWorld';

let oas: OpenApiDoc | null = null;
/** Every JSON body superd sent validates against its route's request schema (Jamf's OpenAPI 11.30.0). */
export function expectBodiesConform(world: RunWorld, requireSome = true): void {
  if (!haveOpenApi()) return; // ../shared absent: covered in CI, where it is present
  oas ??= new OpenApiDoc('jamf-pro-api-11.30.0.json');
  const doc = oas;
  const sent = world.sim.requests.filter((r) => r.body !== undefined && r.path.startsWith('/api/') && !/token$/.test(r.path));
  if (requireSome) expect(sent.length).toBeGreaterThan(0);
  for (const r of sent) {
    const op = doc.find(r.method, r.path.replace(/^\/api/, ''));
    expect(op).toBeDefined();
    const schema = doc.requestSchema(op!);
    expect(schema).toBeDefined();
    expect({ route: `${r.method} ${r.path}`, errors: doc.validate(schema!, r.body, `${r.method} ${op!.path}`) }).toEqual({ route: `${r.method} ${r.path}`, errors: [] });
  }
}

