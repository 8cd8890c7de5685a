import { OptionChecker } from '../errors/option-checker';
import type { TokenFetcher } from './token-fetcher';

type PlannedStep = Pick<TokenFetcher, 'name' | 'dependsOn' | 'timeout'>;

/**
 * Checks the steps' dependencies (any mistake names the step it is in) and plans the run: an order
 * (dependencies first, ties in the given order), the one final step, and each step's worst case.
 */
export function planPipeline(steps: readonly PlannedStep[], check: OptionChecker) {
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

  const order = runOrder(steps, indexOf, check);
  const finals = steps.filter(
    (step) => !steps.some((other) => other.dependsOn.includes(step.name)),
  );
  if (finals.length > 1) {
    const names = finals.map((step) => `'${step.name}'`).join(', ');
    check.fail(
      'steps',
      `must end in one step, but ${names} are all final (no step depends on them)`,
    );
  }

  const worstCaseMs = new Map<string, number>();
  for (const name of order) {
    const { dependsOn, timeout } = steps[indexOf.get(name) as number];
    // With dependencies, a step may fetch them and itself twice (a revoked upstream token).
    const once = timeout + Math.max(0, ...dependsOn.map((dep) => worstCaseMs.get(dep) ?? 0));
    worstCaseMs.set(name, dependsOn.length > 0 ? 2 * once : once);
  }

  return {
    order,
    finalStep: order[order.length - 1],
    worstCaseMs,
    dependentsOf(step: string): readonly string[] {
      // In run order a step comes after its dependencies, so one pass collects its dependents.
      const reached = [step];
      for (const name of order) {
        const { dependsOn } = steps[indexOf.get(name) as number];
        if (dependsOn.some((dependency) => reached.includes(dependency))) reached.push(name);
      }
      return reached;
    },
  };
}

/** Dependencies first, taking the earliest declared step that is ready each time. */
function runOrder(
  steps: readonly PlannedStep[],
  indexOf: ReadonlyMap<string, number>,
  check: OptionChecker,
): string[] {
  const order: string[] = [];
  const pending = [...steps];
  while (pending.length) {
    const next = pending.findIndex((step) => step.dependsOn.every((dep) => order.includes(dep)));
    if (next < 0) failOnCycle(steps, new Set(order), indexOf, check);
    order.push(pending.splice(next, 1)[0].name);
  }
  return order;
}

function failOnCycle(
  steps: readonly PlannedStep[],
  ordered: ReadonlySet<string>,
  indexOf: ReadonlyMap<string, number>,
  check: OptionChecker,
): never {
  // Every unordered step waits on another unordered one, so walking those edges must loop.
  const path: string[] = [];
  let current = steps.find((step) => !ordered.has(step.name)) as PlannedStep;
  while (!path.includes(current.name)) {
    path.push(current.name);
    const next = current.dependsOn.find((dependency) => !ordered.has(dependency)) as string;
    current = steps[indexOf.get(next) as number];
  }
  const cycle = [...path.slice(path.indexOf(current.name)), current.name];
  return check.fail(
    `steps[${indexOf.get(current.name)}].dependsOn`,
    `of '${current.name}' makes a cycle: ${cycle.join(' → ')}`,
  );
}
