import { OptionChecker } from '../errors/option-checker';

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
export function planPipeline(
  steps: readonly PlannedStep[],
  check = new OptionChecker('TokenFetchPipeline'),
): PipelinePlan {
  if (steps.length === 0) check.fail('steps', 'must have at least one step');
  const indexOf = new Map<string, number>();
  steps.forEach((step, i) => {
    if (indexOf.has(step.name)) check.fail(`steps[${i}].name`, `'${step.name}' is defined twice`);
    indexOf.set(step.name, i);
  });
  steps.forEach((step, i) => {
    for (const dependency of step.dependsOn) {
      if (dependency === step.name) {
        check.fail(`steps[${i}].dependsOn`, `of '${step.name}' names the step itself`);
      }
      if (!indexOf.has(dependency)) {
        check.fail(`steps[${i}].dependsOn`, `of '${step.name}' names unknown step '${dependency}'`);
      }
    }
  });

  const dependents = new Map<string, string[]>(steps.map((step) => [step.name, []]));
  for (const step of steps) {
    for (const dependency of step.dependsOn) dependents.get(dependency)?.push(step.name);
  }
  const order = topologicalOrder(steps, dependents, indexOf, check);
  const finals = steps.filter((step) => dependents.get(step.name)?.length === 0);
  if (finals.length > 1) {
    const names = finals.map((step) => `'${step.name}'`).join(', ');
    check.fail(
      'steps',
      `must end in one step, but ${names} are all final (no step depends on them)`,
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
  check: OptionChecker,
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
  if (order.length < steps.length) failOnCycle(steps, new Set(order), indexOf, check);
  return order;
}

function failOnCycle(
  steps: readonly PlannedStep[],
  ordered: ReadonlySet<string>,
  indexOf: ReadonlyMap<string, number>,
  check: OptionChecker,
): never {
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
  return check.fail(
    `steps[${indexOf.get(current.name)}].dependsOn`,
    `of '${current.name}' makes a cycle: ${cycle.join(' → ')}`,
  );
}
