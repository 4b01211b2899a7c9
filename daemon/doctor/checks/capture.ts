import type { CommandResult, RunCommand } from '../../host/runCommand';

/** A runner that also keeps what came back, for checks that judge the raw text next to the parser. */
export function capture(run: RunCommand): { run: RunCommand; results: CommandResult[]; errors: unknown[]; text: () => string } {
  const results: CommandResult[] = [];
  const errors: unknown[] = [];
  return {
    run: async (command, args, options) => {
      try {
        const r = await run(command, args, options);
        results.push(r);
        return r;
      } catch (error) {
        errors.push(error);
        throw error;
      }
    },
    results,
    errors,
    text: () => results.map((r) => `${r.stdout}\n${r.stderr}`).join('\n'),
  };
}
