import type { RunActorName, StepInput, StepOutput } from '../../daemon/lifecycle/runMachine';
import type { BoundStep, RunActors } from '../../daemon/lifecycle/runWorkflow';

/** A fake for each step of a run, typed by the machine's own contract. */
export type FakeSteps = { [K in RunActorName]: (input: StepInput<K>) => StepOutput<K> | Promise<StepOutput<K>> };

/** Bound steps that report each call (name and input) before answering with the fake. */
export function trackedActors(steps: FakeSteps, onCall: (name: RunActorName, input: unknown) => void): RunActors {
  const bound: Partial<Record<RunActorName, unknown>> = {};
  const bind = <K extends RunActorName>(name: K) => {
    const fake: FakeSteps[K] = steps[name];
    const actor: BoundStep<K> = async (input: StepInput<K>) => {
      onCall(name, input);
      return fake(input);
    };
    bound[name] = actor;
  };
  for (const name of Object.keys(steps) as RunActorName[]) bind(name);
  return bound as RunActors;
}
