// Scenarios that span several VS Code launches on one profile. The launcher
// (scripts/lib/launchScenarios.mjs) names the scenario and the phase of each launch and decides how
// VS Code is quit between them; each scenario module defines the tests of its phases.

export interface ScenarioModule {
  /** Defines (describe/it) the tests of each phase, by the phase names the launcher uses. */
  readonly phases: Readonly<Record<string, () => void>>;
}

// Lazily imported, like the suite's test files, so they evaluate after the mocha globals exist.
const SCENARIOS: Readonly<Record<string, () => Promise<ScenarioModule>>> = {
  queuedSends: () => import('../restart/queuedSends'),
};

export async function loadScenarioPhase(id: string, phase: string): Promise<void> {
  const load = SCENARIOS[id];
  if (!load) throw new Error(`unknown scenario "${id}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const define = (await load()).phases[phase];
  if (!define) throw new Error(`scenario "${id}" has no phase "${phase}"`);
  define();
}
