import { ConfigurationException } from '../errors';

export interface PlannedStep {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** The checked shape of a pipeline: an order to run it in and the one step it ends with. */
export interface PipelinePlan {
  /** Dependencies first; ties keep the order the steps were given in. */
  readonly order: readonly string[];
  /** The step no other step depends on: its token is the pipeline's token. */
  readonly finalStep: string;
  /** `step` and every step that depends on it, directly or not, in run order. */
  dependentsOf(step: string): readonly string[];
}

/** Checks the steps' dependencies and orders them; any mistake names the step it is in. */
export function planPipeline(steps: readonly PlannedStep[]): PipelinePlan {
  if (steps.length === 0) {
    throw new ConfigurationException('TokenFetchPipeline needs at least one step', {
      field: 'steps',
    });
  }
  const indexOf = new Map<string, number>();
  steps.forEach((step, i) => {
    if (indexOf.has(step.name)) {
      throw new ConfigurationException(`Pipeline step '${step.name}' is defined twice`, {
        field: `steps[${i}].name`,
      });
    }
    indexOf.set(step.name, i);
  });
  steps.forEach((step, i) => {
    for (const dependency of step.dependsOn) {
      if (dependency === step.name) {
        throw new ConfigurationException(`Pipeline step '${step.name}' depends on itself`, {
          field: `steps[${i}].dependsOn`,
        });
      }
      if (!indexOf.has(dependency)) {
        throw new ConfigurationException(
          `Pipeline step '${step.name}' depends on unknown step '${dependency}'`,
          { field: `steps[${i}].dependsOn` },
        );
      }
    }
  });

  const dependents = new Map<string, string[]>(steps.map((step) => [step.name, []]));
  for (const step of steps) {
    for (const dependency of step.dependsOn) dependents.get(dependency)?.push(step.name);
  }
  const order = topologicalOrder(steps, dependents, indexOf);
  const finals = steps.filter((step) => dependents.get(step.name)?.length === 0);
  if (finals.length > 1) {
    const names = finals.map((step) => `'${step.name}'`).join(', ');
    throw new ConfigurationException(
      `Pipeline steps ${names} are all final (no step depends on them); a pipeline ends in one step`,
      { field: 'steps' },
    );
  }

  return {
    order,
    finalStep: order[order.length - 1],
    dependentsOf(step: string): readonly string[] {
      const reached = new Set<string>([step]);
      const queue = [step];
      while (queue.length) {
        for (const next of dependents.get(queue.shift() as string) ?? []) {
          if (reached.has(next)) continue;
          reached.add(next);
          queue.push(next);
        }
      }
      return order.filter((name) => reached.has(name));
    },
  };
}

/** Kahn's algorithm, taking the earliest declared ready step first. */
function topologicalOrder(
  steps: readonly PlannedStep[],
  dependents: ReadonlyMap<string, readonly string[]>,
  indexOf: ReadonlyMap<string, number>,
): string[] {
  const waitingOn = new Map(steps.map((step) => [step.name, new Set(step.dependsOn).size]));
  const ready = steps.filter((step) => waitingOn.get(step.name) === 0).map((step) => step.name);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => (indexOf.get(a) ?? 0) - (indexOf.get(b) ?? 0));
    const name = ready.shift() as string;
    order.push(name);
    for (const next of dependents.get(name) ?? []) {
      const left = (waitingOn.get(next) ?? 0) - 1;
      waitingOn.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < steps.length) throw cycleError(steps, new Set(order), indexOf);
  return order;
}

function cycleError(
  steps: readonly PlannedStep[],
  ordered: ReadonlySet<string>,
  indexOf: ReadonlyMap<string, number>,
): ConfigurationException {
  const byName = new Map(steps.map((step) => [step.name, step]));
  // Every unordered step waits on another unordered one, so walking those edges must loop.
  const path: string[] = [];
  let current = steps.find((step) => !ordered.has(step.name)) as PlannedStep;
  while (!path.includes(current.name)) {
    path.push(current.name);
    const next = current.dependsOn.find((dependency) => !ordered.has(dependency)) as string;
    current = byName.get(next) as PlannedStep;
  }
  const cycle = [...path.slice(path.indexOf(current.name)), current.name];
  return new ConfigurationException(
    `Pipeline step '${current.name}' is in a dependency cycle: ${cycle.join(' → ')}`,
    { field: `steps[${indexOf.get(current.name)}].dependsOn` },
  );
}
