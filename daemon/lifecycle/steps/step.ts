import type { RunActorName, StepInput, StepOutput } from '../runMachine';
import type { RunSession } from '../runSession';

/** One step of a run: the work behind one actor of the machine, over the run's session. */
export type Step<K extends RunActorName> = (session: RunSession, input: StepInput<K>, signal: AbortSignal) => Promise<StepOutput<K>>;

/** Every step, by the actor name the machine gives it. */
export type RunSteps = { readonly [K in RunActorName]: Step<K> };
